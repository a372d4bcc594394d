"""Questionnaires the patient fills in (VISA-H, PSFS, a pain rating), scored and kept once a day each."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import User
from accounts.services import patient_lock
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
        audit_record(actor=patient, action="rehab.outcome.record", patient=patient, audit=audit, obj=measure)
    return measure
