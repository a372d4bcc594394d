"""The red-flag screen in the daily loop: the weekly "anything new?" check, the screen that comes before a
flare-up, and a clinician releasing the hold that a "yes" put on the plan (see `rehab.holds`)."""

import dataclasses
import datetime
import uuid
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST, AuditContext
from accounts.models import User
from conditions import red_flags
from conditions.models import RedFlagScreen, ScreenSource
from conditions.services import red_flag_holds_release, red_flag_screen_record
from rehab import holds
from rehab.models import FlareUp, PlanRevision, RehabPlan
from rehab.services import daily
from rehab.services.plans import Signed, plan_revising

NOTE_REQUIRED = "Write a note for the patient: they read it before they exercise again."


def weekly_check_record(
    *,
    plan: RehabPlan,
    patient: User,
    answers: dict[str, bool],
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> RedFlagScreen:
    """The patient's answers to the weekly check on Today; a "yes" puts their plan on hold."""
    daily._require_own_active_plan(plan, patient)
    return red_flag_screen_record(
        patient=patient, answers=answers, source=ScreenSource.WEEKLY, audit=audit, now=now
    )


def flare_up_start_screened(
    *,
    plan: RehabPlan,
    by: User,
    answers: dict[str, bool],
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> tuple[RedFlagScreen, FlareUp | None]:
    """Screen first, then start the flare-up: a worse spell of pain can be a red flag, and then the plan is
    held instead (no flare-up exercises either). Returns the screen and the flare-up, if one started."""
    daily._require_own_active_plan(plan, by)
    if holds.plan_hold_of(by) is not None:
        raise ValidationError(holds.ON_HOLD)
    with transaction.atomic():
        screen = red_flag_screen_record(
            patient=by, answers=answers, source=ScreenSource.FLARE_UP, audit=audit, now=now
        )
        if screen.flags:
            return screen, None
        return screen, daily.flare_up_start(plan=plan, by=by, audit=audit, now=now)


def plan_hold_release(*, plan: RehabPlan, signed: Signed, seen: Collection[uuid.UUID]) -> PlanRevision:
    """A clinician has reviewed the red flags and lets the patient exercise again. Their note (the reason)
    is what the patient reads on Today, so it is required; the release is a revision of the plan.

    `seen` are the screens the clinician was shown: when another "yes" has come in since, nothing is
    released, so no sign is cleared unread."""
    if not (signed.reason or "").strip():
        raise ValidationError({"reason": NOTE_REQUIRED})
    if not plan.is_active:
        raise ValidationError("Only an active plan can be released from a hold.")
    now = signed.now or timezone.now()
    signed = dataclasses.replace(signed, now=now)
    with plan_revising(plan, signed, action="rehab.plan.hold_release") as draft:
        screens = red_flag_holds_release(
            patient=plan.patient, by=signed.by, note=signed.reason.strip(), now=now
        )
        if not screens:
            raise ValidationError("This plan is not on hold.")
        if {screen.public_id for screen in screens} != set(seen):
            raise ValidationError(
                "New signs were reported since this page was opened. Read them before you release the plan."
            )
        flags = red_flags.flags_from_codes(code for screen in screens for code in screen.flags)
        draft.event = "Released from the red-flag hold (" + "; ".join(f.label.lower() for f in flags) + ")"
    return draft.saved
