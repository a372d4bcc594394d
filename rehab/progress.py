"""Adherence and readiness, worked out from plain data so that they can be tested without a database.

Adherence = sessions done / sessions prescribed, day by day in the patient's time zone. What was prescribed
on a day is read from the plan revision in force that day (each revision holds a full snapshot), and on the
days of a flare-up from the flare-up set only. A day counts at most as many done sessions as it prescribed,
and today is left out until it is over.
"""

import dataclasses
import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any

from rehab.schedule import Dose, daterange, prescribed_sessions

ADHERENCE_TARGET = 80
READINESS_DAYS = 14
READINESS_MIN_CHECK_INS = 5
LOAD_TEST_READY_MAX = 2
REST_PAIN_CHECK_INS = 7

# The flare-up set of a plan that has nothing to offer in a flare-up (no exercise ticked and no isometric
# one, as in stages 3 and 4): the library's isometric bridge hold at a gentler dose than its stage 1 default
# (5 x 45 s). For clinical review: isometric holds are the sources' choice for easing tendon pain (Rio et al.
# 2015; source 001 "start early for pain relief"); 4 holds of 30 s at a comfortable effort, a minute's rest,
# twice a day (morning and evening) every day is within the 3-5 x 30 s, once or twice a day asked for, and
# leaves room to do less. The clinician replaces it by ticking exercises "In the flare-up set".
FLARE_UP_FALLBACK: dict[str, Any] = {
    "exercise": "isometric-bridge-hold",
    "sets": 4,
    "reps": None,
    "hold_seconds": 30,
    "rest_seconds": 60,
    "times_per_day": 2,
    "days_of_week": [0, 1, 2, 3, 4, 5, 6],
    "load": "Body weight. A comfortable effort, well short of your hardest push.",
    "note_to_patient": "A gentle hold for the flare-up: stop short of your hardest push, and lower your hips "
    "a little if the pain builds during the hold.",
    "in_flare_up_set": True,
}


@dataclasses.dataclass(frozen=True)
class PlanVersion:
    effective_from: datetime.date
    doses: list[Dose]
    flare_doses: list[Dose]
    stage: int


def flare_up_set(entries: Sequence[dict], isometric_slugs: set[str]) -> list[dict]:
    """The snapshot entries done in a flare-up: those ticked, or when none is ticked the isometric ones, or
    when there are none of those either `FLARE_UP_FALLBACK`: never empty."""
    ticked = [entry for entry in entries if entry.get("in_flare_up_set")]
    isometric = [entry for entry in entries if entry["exercise"] in isometric_slugs]
    return ticked or isometric or [FLARE_UP_FALLBACK]


def plan_versions(
    revisions: Iterable[tuple[datetime.datetime, dict]], zone: zoneinfo.ZoneInfo, isometric_slugs: set[str]
) -> list[PlanVersion]:
    """One PlanVersion per revision, oldest first, effective from the local date it was saved."""
    versions = []
    for created_at, snapshot in sorted(revisions, key=lambda pair: pair[0]):
        entries = snapshot["prescriptions"]
        versions.append(
            PlanVersion(
                effective_from=created_at.astimezone(zone).date(),
                doses=[Dose.from_snapshot(entry) for entry in entries],
                flare_doses=[Dose.from_snapshot(entry) for entry in flare_up_set(entries, isometric_slugs)],
                stage=snapshot["stage"],
            )
        )
    return versions


def version_on(versions: Sequence[PlanVersion], day: datetime.date) -> PlanVersion | None:
    """The version in force at the end of `day`; days before the first revision use the first one."""
    current = versions[0] if versions else None
    for version in versions:
        if version.effective_from <= day:
            current = version
    return current


def flare_up_days(
    flare_ups: Iterable[tuple[datetime.datetime, datetime.datetime | None]],
    zone: zoneinfo.ZoneInfo,
    today: datetime.date,
) -> set[datetime.date]:
    days: set[datetime.date] = set()
    for started_at, ended_at in flare_ups:
        first = started_at.astimezone(zone).date()
        last = ended_at.astimezone(zone).date() if ended_at else today
        days.update(daterange(first, last))
    return days


def prescribed_on(versions: Sequence[PlanVersion], flare_days: set[datetime.date], day: datetime.date) -> int:
    version = version_on(versions, day)
    if version is None:
        return 0
    return prescribed_sessions(version.flare_doses if day in flare_days else version.doses, day)


@dataclasses.dataclass(frozen=True)
class Adherence:
    first: datetime.date
    last: datetime.date
    done: int
    prescribed: int

    @property
    def percent(self) -> int | None:
        if not self.prescribed:
            return None
        return round(100 * self.done / self.prescribed)


def adherence(
    *,
    versions: Sequence[PlanVersion],
    flare_days: set[datetime.date],
    done_by_day: dict[datetime.date, int],
    first: datetime.date,
    last: datetime.date,
) -> Adherence:
    done = prescribed = 0
    for day in daterange(first, last):
        due = prescribed_on(versions, flare_days, day)
        prescribed += due
        done += min(done_by_day.get(day, 0), due)
    return Adherence(first, last, done, prescribed)


def weekly_adherence(
    *,
    versions: Sequence[PlanVersion],
    flare_days: set[datetime.date],
    done_by_day: dict[datetime.date, int],
    start: datetime.date,
    today: datetime.date,
) -> list[Adherence]:
    """Monday-to-Sunday weeks from the plan's start up to yesterday; the first week starts on the plan's
    start day and the last ends yesterday."""
    last = today - datetime.timedelta(days=1)
    weeks = []
    first = start
    while first <= last:
        sunday = first + datetime.timedelta(days=6 - first.weekday())
        weeks.append(
            adherence(
                versions=versions,
                flare_days=flare_days,
                done_by_day=done_by_day,
                first=first,
                last=min(sunday, last),
            )
        )
        first = sunday + datetime.timedelta(days=1)
    return weeks


# --- ready for the next stage? ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    figure: str  # what the data shows, in words
    met: bool | None  # None: not enough data, or the clinician's own judgement
    judged_by_clinician: bool = False


@dataclasses.dataclass(frozen=True)
class Readiness:
    stage: int
    next_stage: int | None
    criteria: list[Criterion]
    window: tuple[datetime.date, datetime.date]

    @property
    def data_met(self) -> bool:
        return all(c.met for c in self.criteria if not c.judged_by_clinician)

    @property
    def clinician_items(self) -> list[Criterion]:
        return [c for c in self.criteria if c.judged_by_clinician]

    @property
    def met_count(self) -> int:
        return sum(1 for c in self.criteria if not c.judged_by_clinician and c.met)

    @property
    def data_count(self) -> int:
        return sum(1 for c in self.criteria if not c.judged_by_clinician)


CLINICIAN_CHECKS = {
    "drop_lunge": "A drop lunge on the painful side is pain-free",
    "strength_symmetry": "Strength is similar on both sides",
}


def readiness(
    *,
    stage: int,
    safe_max: int,
    today: datetime.date,
    sessions: Sequence[tuple[datetime.date, int | None, int | None]],
    check_ins: Sequence[tuple[datetime.date, int, int]],
    adherence_window: Adherence,
) -> Readiness:
    """The checklist for moving from `stage` to the next, over the last 14 days before today.

    sessions: (date, pain during, pain after; both None when not rated) of the window, judged by the worse of
    the two; check_ins: (date, pain on waking, load test pain) of the window plus the one just before it and
    the latest seven, oldest first. The morning criteria need `READINESS_MIN_CHECK_INS` check-ins in the
    window, and a morning is compared only with the morning before it (yesterday's check-in), as the pain
    rules do.
    """
    first = today - datetime.timedelta(days=READINESS_DAYS)
    rated = [
        max(during, after)
        for day, during, after in sessions
        if first <= day <= today and during is not None and after is not None
    ]
    criteria = []

    if not rated:
        pain_figure, pain_met = "No rated sessions in the last 14 days.", None
    else:
        over = sum(1 for pain in rated if pain > safe_max)
        pain_figure = (
            f"Highest {max(rated)}/10 during or after, over {len(rated)} rated sessions; "
            f"{over} above {safe_max}."
        )
        pain_met = over == 0
    criteria.append(
        Criterion(
            "pain_during",
            f"Pain during exercise {safe_max}/10 or less in every session, and straight after it too",
            pain_figure,
            pain_met,
        )
    )

    ordered = sorted(check_ins)
    by_day = {row[0]: row for row in ordered}
    in_window = [row for row in ordered if first <= row[0] <= today]
    enough = len(in_window) >= READINESS_MIN_CHECK_INS
    too_few = f" At least {READINESS_MIN_CHECK_INS} are needed to judge."
    rises = []
    for day, waking, load in in_window:
        before = by_day.get(day - datetime.timedelta(days=1))
        if before is not None and (load > before[2] or waking > before[1]):
            rises.append(day)
    if not in_window:
        rise_figure, rise_met = "No morning check-ins in the last 14 days." + too_few, None
    else:
        rise_figure = f"{len(in_window)} check-ins, {len(rises)} with more pain than the morning before" + (
            f" (latest {rises[-1]:%d %b})." if rises else "."
        )
        rise_met = (not rises) if enough else None
        if not enough:
            rise_figure += too_few
    criteria.append(Criterion("no_morning_rise", "No rise in pain the next morning", rise_figure, rise_met))

    percent = adherence_window.percent
    criteria.append(
        Criterion(
            "adherence",
            f"Adherence {ADHERENCE_TARGET} % or more",
            f"{adherence_window.done} of {adherence_window.prescribed} sessions done"
            + (f" ({percent} %)." if percent is not None else "."),
            None if percent is None else percent >= ADHERENCE_TARGET,
        )
    )

    loads = [row[2] for row in in_window]
    criteria.append(
        Criterion(
            "load_test",
            f"Load test (three single-leg bridges) {LOAD_TEST_READY_MAX}/10 or less",
            (f"Highest {max(loads)}/10, latest {loads[-1]}/10." if loads else "No load tests in 14 days.")
            + ("" if enough else too_few),
            (max(loads) <= LOAD_TEST_READY_MAX) if enough else None,
        )
    )

    if stage == 3:
        latest = ordered[-REST_PAIN_CHECK_INS:]
        enough = len(latest) == REST_PAIN_CHECK_INS
        at_rest = [row[1] for row in latest]
        criteria.append(
            Criterion(
                "no_rest_pain",
                f"No pain at rest: pain on waking 0 on the last {REST_PAIN_CHECK_INS} check-ins",
                (f"Pain on waking: {', '.join(str(p) for p in at_rest)}." if at_rest else "No check-ins yet.")
                + ("" if enough else f" Only {len(latest)} check-ins so far."),
                (enough and all(p == 0 for p in at_rest)) if at_rest else None,
            )
        )
        for key, label in CLINICIAN_CHECKS.items():
            criteria.append(Criterion(key, label, "Judged by the clinician at an appointment.", None, True))

    return Readiness(
        stage=stage,
        next_stage=stage + 1 if stage < 4 else None,
        criteria=criteria,
        window=(first, today),
    )
