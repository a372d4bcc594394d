"""Migrations 0004 and 0005: alert limits above 7 are capped at 7, and the safe limit stays below the alert
limit."""

import datetime

import pytest

from rehab.models import RehabPlan
from tests.factories import ClinicianFactory, ConditionFactory, PatientFactory
from tests.migrating import migrate_to, migrate_to_latest

BEFORE = [("rehab", "0003_invariants")]
AFTER = [("rehab", "0005_pain_limit_constraints")]


@pytest.mark.django_db(transaction=True)
def test_alert_limits_above_seven_are_capped_and_the_safe_limit_stays_below():
    patients, clinician, condition = (
        [PatientFactory(), PatientFactory()],
        ClinicianFactory(),
        ConditionFactory(),
    )
    executor = migrate_to(BEFORE)
    old_plan = executor.loader.project_state(BEFORE).apps.get_model("rehab", "RehabPlan")
    for patient, (safe, alert) in zip(patients, [(8, 9), (3, 10)], strict=True):
        old_plan.objects.create(
            patient_id=patient.pk, condition_id=condition.pk, lead_clinician_id=clinician.pk, stage=1,
            start_date=datetime.date(2026, 11, 2), pain_safe_max=safe, pain_alert_above=alert,
        )  # fmt: skip

    migrate_to(AFTER)
    limits = [
        (plan.pain_safe_max, plan.pain_alert_above)
        for plan in RehabPlan.objects.order_by("patient_id").filter(patient__in=patients)
    ]
    assert limits == [(6, 7), (3, 7)]
    migrate_to_latest()
