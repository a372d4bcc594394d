"""Questionnaires the patient fills in (VISA-H, PSFS, a pain rating), scored and kept once a day each."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import User
from accounts.services import patient_lock
from careteam.models import AlertKind, AlertSeverity
from careteam.services import alert_raise
from rehab import outcomes, selectors
from rehab.models import OutcomeMeasure


def outcome_record(
    *,
    patient: User,
    kind: str,
    answers: dict,
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> OutcomeMeasure:
    """Score and keep a questionnaire the patient filled in; raises ValidationError naming each bad answer.

    answers: VISA-H {"q1".."q6": 0-10, "q7": choice, "q8": choice}; PSFS {"activities": [(name, rating)]};
    pain rating {"rating": 0-10}. Once a day per kind, so a double tap does not count twice.
    A PSFS must rate again every activity of the patient's previous one. A VISA-H that falls by
    `VISA_H_FALL_ALERT_POINTS` or more since the previous one raises an alert for the care team.
    """
    now = now or timezone.now()
    today = now.astimezone(patient.zone).date()
    score: int | Decimal
    try:
        if kind == outcomes.OutcomeKind.VISA_H:
            score, cleaned = outcomes.visa_h_score(answers)
        elif kind == outcomes.OutcomeKind.PSFS:
            score, cleaned = outcomes.psfs_score(answers.get("activities", []))
        elif kind == outcomes.OutcomeKind.PAIN_RATING:
            score, cleaned = outcomes.pain_rating_score(answers.get("rating"))
        else:
            raise ValidationError("Unknown questionnaire.")
    except outcomes.AnswerError as error:
        raise ValidationError(error.problems) from None
    with transaction.atomic():
        patient_lock(patient=patient)
        if OutcomeMeasure.objects.filter(patient=patient, kind=kind, taken_on=today).exists():
            raise ValidationError("You have already filled this in today; nothing was changed.")
        if kind == outcomes.OutcomeKind.PSFS:
            _require_earlier_activities(patient, today, cleaned)
        previous = selectors.latest_outcome_before(patient, kind, today)
        measure = OutcomeMeasure(
            patient=patient,
            plan=selectors.active_plan_of(patient),
            kind=kind,
            taken_on=today,
            score=score,
            answers=cleaned,
            created_at=now,
        )
        measure.full_clean()
        measure.save()
        if kind == outcomes.OutcomeKind.VISA_H and previous is not None:
            _visa_h_fall_alert(previous, measure, now=now)
        audit_record(actor=patient, action="rehab.outcome.record", patient=patient, audit=audit, obj=measure)
    return measure


def _require_earlier_activities(patient: User, today: datetime.date, cleaned: dict) -> None:
    """The PSFS compares the same activities over time, so a PSFS that leaves one out is refused whole."""
    left_out = outcomes.psfs_left_out(selectors.psfs_activities_to_rate_again(patient, today), cleaned)
    if left_out:
        names = "; ".join(f"“{name}”" for name in left_out)
        raise ValidationError(
            {
                "activities": f"Please rate every activity from last time again ({names}). You can add new "
                "activities, but the earlier ones stay on your list."
            }
        )


def _visa_h_fall_alert(previous: OutcomeMeasure, latest: OutcomeMeasure, *, now: datetime.datetime) -> None:
    """One alert per falling score; the trigger states the two scores and dates and leaves the meaning to
    the clinician."""
    if not outcomes.visa_h_fell(previous=previous.score, latest=latest.score):
        return
    # VISA-H totals are whole numbers; the column keeps one decimal for the PSFS.
    before, after = int(previous.score), int(latest.score)
    alert_raise(
        patient=latest.patient,
        kind=AlertKind.SCORE_FALLING,
        severity=AlertSeverity.MEDIUM,
        trigger=f"VISA-H fell by {before - after} points: {before} on {previous.taken_on:%d %b %Y}, "
        f"{after} on {latest.taken_on:%d %b %Y} (out of 100; higher means fewer symptoms).",
        dedupe_key=f"rehab-visa-h-fall-{latest.public_id}",
        now=now,
    )
