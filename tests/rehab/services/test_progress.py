"""Readiness for the next stage, and the move to it that a clinician approves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rehab import selectors
from rehab.services import plans, progress
from tests.factories import MorningCheckInFactory, SessionLogFactory

pytestmark = pytest.mark.django_db


def _patient_today(patient) -> datetime.date:
    return timezone.localtime(timezone=patient.zone).date()


def _good_fortnight(plan, today, *, waking=0):
    for days_ago in range(1, 16):
        day = today - datetime.timedelta(days=days_ago)
        for slot, name in enumerate(["Morning", "Evening"]):
            SessionLogFactory(plan=plan, date=day, slot=slot, slot_name=name, pain_during=2)
        MorningCheckInFactory(plan=plan, date=day, pain_on_waking=waking, load_test_pain=1)


def test_readiness_shows_each_criterion_with_its_figures(stage_one_plan, patient):
    today = _patient_today(patient)
    stage_one_plan.start_date = today - datetime.timedelta(days=30)
    stage_one_plan.save()
    _good_fortnight(stage_one_plan, today, waking=1)
    SessionLogFactory(
        plan=stage_one_plan, date=today - datetime.timedelta(days=3), slot=2, slot_name="x", pain_during=5
    )
    readiness = selectors.readiness_of(stage_one_plan, today)
    by_key = {c.key: c for c in readiness.criteria}
    assert readiness.next_stage == 2
    assert not by_key["pain_during"].met and "Highest 5/10" in by_key["pain_during"].figure
    assert by_key["no_morning_rise"].met
    assert by_key["adherence"].met and "28 of 28 sessions done (100 %)" in by_key["adherence"].figure
    assert by_key["load_test"].met
    assert "no_rest_pain" not in by_key  # only before running


def test_moving_to_running_needs_no_rest_pain_and_the_clinicians_two_checks(
    stage_one_plan, patient, clinician
):
    today = _patient_today(patient)
    plans.plan_update(
        plan=stage_one_plan,
        stage=3,
        signed=plans.Signed(by=clinician, reason="Strong now", expected_version=1),
    )
    _good_fortnight(stage_one_plan, today)
    readiness = selectors.readiness_of(stage_one_plan, today)
    assert readiness.data_met and [c.key for c in readiness.clinician_items] == [
        "drop_lunge",
        "strength_symmetry",
    ]
    with pytest.raises(ValidationError, match="Confirm first"):
        progress.plan_stage_advance(
            plan=stage_one_plan,
            clinician_checks={"drop_lunge"},
            today=today,
            signed=plans.Signed(by=clinician, reason="Ready to run", expected_version=2),
        )
    revision = progress.plan_stage_advance(
        plan=stage_one_plan,
        clinician_checks={"drop_lunge", "strength_symmetry"},
        today=today,
        signed=plans.Signed(by=clinician, reason="Ready to run", expected_version=2),
    )
    stage_one_plan.refresh_from_db()
    assert stage_one_plan.stage == 4
    assert revision.summary.startswith("Stage: Stage 3")
    assert "Ready to run — Readiness: 5 of 5 data criteria met" in revision.reason
    assert "a drop lunge on the painful side is pain-free" in revision.reason
    charts = selectors.progress_of(stage_one_plan, today)
    assert [label for _, label in charts.events][-1] == "Moved to stage 4"
