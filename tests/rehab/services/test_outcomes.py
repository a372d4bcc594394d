"""Questionnaires: scored, kept once a day per kind, refused when an answer is wrong; a PSFS keeps the earlier
activities and a falling VISA-H tells the care team."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from careteam.models import Alert, AlertKind, AlertSeverity
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


# Two VISA-H questionnaires two weeks apart, in the evening in London.
FIRST = datetime.datetime(2026, 11, 2, 18, 0, tzinfo=datetime.UTC)
SECOND = FIRST + datetime.timedelta(days=14)


def visa_h_scoring(total: int) -> dict:
    """VISA-H answers that score `total` (0 to 60): items 1-6 carry it, items 7 and 8 score 0."""
    items = {}
    for n in range(1, 7):
        items[f"q{n}"] = min(10, total)
        total -= items[f"q{n}"]
    assert total == 0
    return {**items, "q7": "none", "q8": "free-0"}


def record_visa_h(patient, total: int, now: datetime.datetime) -> OutcomeMeasure:
    return outcome_services.outcome_record(
        patient=patient, kind="visa_h", answers=visa_h_scoring(total), now=now
    )


def test_a_visa_h_ten_points_below_the_previous_one_raises_one_alert_naming_both_scores_and_dates(
    patient,
):
    record_visa_h(patient, 50, FIRST)
    latest = record_visa_h(patient, 40, SECOND)
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == (AlertKind.SCORE_FALLING, AlertSeverity.MEDIUM)
    assert alert.trigger == (
        "VISA-H fell by 10 points: 50 on 02 Nov 2026, 40 on 16 Nov 2026 "
        "(out of 100; higher means fewer symptoms)."
    )
    assert alert.dedupe_key == f"rehab-visa-h-fall-{latest.public_id}"
    assert alert.raised_at == SECOND


def test_a_visa_h_nine_points_below_the_previous_one_raises_no_alert(patient):
    record_visa_h(patient, 50, FIRST)
    record_visa_h(patient, 41, SECOND)
    assert not Alert.objects.exists()


def test_a_rising_visa_h_raises_no_alert(patient):
    record_visa_h(patient, 30, FIRST)
    record_visa_h(patient, 45, SECOND)
    assert not Alert.objects.exists()


def test_the_first_visa_h_raises_no_alert_however_low(patient):
    record_visa_h(patient, 0, FIRST)
    assert not Alert.objects.exists()


def test_a_visa_h_is_compared_with_the_previous_one_not_the_best_one(patient):
    record_visa_h(patient, 50, FIRST)
    record_visa_h(patient, 42, SECOND)  # down 8
    record_visa_h(patient, 34, SECOND + datetime.timedelta(days=14))  # down 8 more, 16 below the first
    assert not Alert.objects.exists()


def test_each_falling_visa_h_raises_its_own_alert(patient):
    record_visa_h(patient, 60, FIRST)
    record_visa_h(patient, 50, SECOND)
    record_visa_h(patient, 40, SECOND + datetime.timedelta(days=14))
    assert Alert.objects.filter(kind=AlertKind.SCORE_FALLING).count() == 2


def test_other_questionnaires_falling_raise_no_visa_h_alert(patient):
    activities = ["Sitting", "Running", "Driving"]
    record_psfs(patient, list(zip(activities, (10, 10, 10), strict=True)), FIRST)
    record_psfs(patient, list(zip(activities, (0, 0, 0), strict=True)), SECOND)
    assert not Alert.objects.exists()


def record_psfs(patient, rows, now: datetime.datetime) -> OutcomeMeasure:
    return outcome_services.outcome_record(
        patient=patient, kind="psfs", answers={"activities": rows}, now=now
    )


def test_a_psfs_rates_the_earlier_activities_again_and_may_add_new_ones(patient):
    record_psfs(patient, [("Sitting", 3), ("Running", 1), ("Driving", 4)], FIRST)
    later = record_psfs(patient, [("Sitting", 5), ("Running", 2), ("Driving", 6), ("Stairs", 4)], SECOND)
    assert [row["activity"] for row in later.answers["activities"]] == [
        "Sitting",
        "Running",
        "Driving",
        "Stairs",
    ]


def test_a_psfs_that_leaves_out_an_earlier_activity_is_refused_and_nothing_is_saved(patient):
    record_psfs(patient, [("Sitting", 3), ("Running", 1), ("Driving", 4)], FIRST)
    with pytest.raises(ValidationError) as error:
        record_psfs(patient, [("Sitting", 5), ("Stairs", 2), ("Cycling", 6)], SECOND)
    assert error.value.message_dict == {
        "activities": [
            "Please rate every activity from last time again (“Running”; “Driving”). You can add new "
            "activities, but the earlier ones stay on your list."
        ]
    }
    assert OutcomeMeasure.objects.filter(kind="psfs").count() == 1


def test_a_psfs_is_checked_against_the_latest_earlier_one(patient):
    record_psfs(patient, [("Sitting", 3), ("Running", 1), ("Driving", 4)], FIRST)
    record_psfs(patient, [("Sitting", 4), ("Running", 2), ("Driving", 5), ("Stairs", 3)], SECOND)
    with pytest.raises(ValidationError, match="“Stairs”"):
        record_psfs(
            patient, [("Sitting", 5), ("Running", 3), ("Driving", 6)], SECOND + datetime.timedelta(days=14)
        )
