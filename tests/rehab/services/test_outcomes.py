"""Questionnaires: scored, kept once a day per kind, refused when an answer is wrong."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rehab.models import OutcomeMeasure
from rehab.services import outcomes as outcome_services

pytestmark = pytest.mark.django_db


def test_outcome_measures_are_scored_kept_and_refused_when_wrong(stage_one_plan, patient):
    answers = {"q1": 4, "q2": 5, "q3": 6, "q4": 4, "q5": 5, "q6": 6, "q7": "modified", "q8": "on-2"}
    measure = outcome_services.outcome_record(patient=patient, kind="visa_h", answers=answers)
    assert (measure.score, measure.plan) == (Decimal("44"), stage_one_plan)
    with pytest.raises(ValidationError, match="already filled this in today"):
        outcome_services.outcome_record(patient=patient, kind="visa_h", answers=answers)
    psfs = outcome_services.outcome_record(
        patient=patient, kind="psfs", answers={"activities": [("Sit", "3"), ("Run", "1"), ("Drive", "4")]}
    )
    assert psfs.score == Decimal("2.7")
    with pytest.raises(ValidationError) as error:
        outcome_services.outcome_record(patient=patient, kind="pain_rating", answers={"rating": "11"})
    assert "rating" in error.value.message_dict
    assert OutcomeMeasure.objects.count() == 2
