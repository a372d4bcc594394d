"""A plan on hold: what the red-flag screen's "yes" does to a patient's exercises, read in one place.

A hold belongs to the patient, not to one plan: it starts when a red-flag screen with a "yes" is saved
(`conditions.services.red_flag_screen_record`) and lasts until a clinician of the care team releases it
(`rehab.services.screening.plan_hold_release`). While it lasts, Today shows no exercises and says why, no
session or morning check-in (a loading test) can be logged, a flare-up cannot start, and exercise reminders
stop: every one of them asks `plan_hold_of`.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from accounts.models import User
from conditions import red_flags, selectors
from conditions.models import RedFlagScreen

WEEKLY_CHECK_EVERY = datetime.timedelta(days=7)
ON_HOLD = (
    "Your exercises are on hold until a clinician has reviewed the signs you reported, so nothing was saved."
)


@dataclass(frozen=True)
class PlanHold:
    screens: tuple[RedFlagScreen, ...]

    @property
    def since(self) -> datetime.datetime:
        return self.screens[0].created_at

    @property
    def flags(self) -> tuple[red_flags.RedFlag, ...]:
        codes = {code for screen in self.screens for code in screen.flags}
        return red_flags.flags_from_codes(codes)

    @property
    def urgency(self) -> red_flags.Urgency:
        urgency = red_flags.most_urgent(self.flags)
        if urgency is None:  # a screen's flags were all retired from the table: treat them as urgent
            return red_flags.Urgency.SAME_DAY
        return urgency

    @property
    def advice(self) -> red_flags.UrgencyAdvice:
        return red_flags.URGENCY_ADVICE[self.urgency]


def plan_hold_of(patient: User) -> PlanHold | None:
    """The hold on the patient's exercises, or None when they may exercise."""
    screens = selectors.red_flag_screens_holding(patient=patient)
    return PlanHold(tuple(screens)) if screens else None


def patients_held(patient_ids: Iterable[int]) -> set[int]:
    """The bulk form of `plan_hold_of`: the ids of those of these patients whose exercises are on hold."""
    return selectors.patients_with_screens_holding(patient_ids=patient_ids)


def weekly_check_due(patient: User, now: datetime.datetime) -> bool:
    """The short "anything new?" screen is asked when the patient has not answered the screen (anywhere)
    in the last seven days."""
    last = selectors.last_red_flag_screen(patient=patient)
    return last is None or now - last.created_at >= WEEKLY_CHECK_EVERY


RELEASE_SHOWN_FOR = datetime.timedelta(days=7)


def recent_release_of(patient: User, now: datetime.datetime) -> RedFlagScreen | None:
    """The screen whose release the patient has not had a week to read yet: its note is shown on Today."""
    return selectors.last_released_red_flag_screen(patient=patient, since=now - RELEASE_SHOWN_FOR)


@dataclass(frozen=True)
class TodayScreens:
    """What Today shows from the red-flag screens: the hold, whether the weekly check is due, and the release
    note of the past week (as `plan_hold_of`, `weekly_check_due` and `recent_release_of` give them)."""

    hold: PlanHold | None
    weekly_check_due: bool
    recent_release: RedFlagScreen | None


def today_screens_of(patient: User, now: datetime.datetime) -> TodayScreens:
    """`TodayScreens` from one read of the patient's screens."""
    screens = selectors.red_flag_screens_for_today(
        patient=patient, since=now - max(WEEKLY_CHECK_EVERY, RELEASE_SHOWN_FOR)
    )
    holding = sorted(
        (screen for screen in screens if screen.urgency and screen.released_at is None),
        key=lambda screen: screen.created_at,
    )
    released = [
        (screen.released_at, screen)
        for screen in screens
        if screen.released_at is not None and screen.released_at >= now - RELEASE_SHOWN_FOR
    ]
    return TodayScreens(
        hold=PlanHold(tuple(holding)) if holding else None,
        weekly_check_due=all(now - screen.created_at >= WEEKLY_CHECK_EVERY for screen in screens),
        recent_release=max(released, key=lambda pair: pair[0])[1] if released else None,
    )


def held_since(patient: User, moment: datetime.datetime) -> bool:
    """Whether the patient's exercises were on hold at any time from `moment` until now: rules that count
    what the patient did not do must not count the time when they were told not to."""
    return selectors.red_flag_screens_overlapping(patient=patient, since=moment)
