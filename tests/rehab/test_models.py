"""Invariants the database keeps for rehab, whatever code writes the rows."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from common.models import AppendOnlyError
from rehab.forms import PrescriptionForm
from rehab.models import DOSAGE_RANGES, OutcomeMeasure, PlanRevision, Prescription
from tests.factories import OutcomeMeasureFactory

pytestmark = pytest.mark.django_db


def test_a_plan_revision_cannot_be_changed_or_deleted(stage_one_plan):
    revision = stage_one_plan.revisions.get()
    revision.reason = "Rewritten history"
    with pytest.raises(AppendOnlyError):
        revision.save()
    with pytest.raises(AppendOnlyError):
        revision.delete()
    with pytest.raises(AppendOnlyError):
        PlanRevision.objects.filter(pk=revision.pk).update(reason="Rewritten history")
    with pytest.raises(AppendOnlyError):
        PlanRevision.objects.filter(pk=revision.pk).delete()
    assert PlanRevision.objects.get(pk=revision.pk).reason.startswith("Assigned from the template")


def test_the_database_keeps_one_questionnaire_of_a_kind_a_day(patient):
    taken_on = datetime.date(2026, 11, 30)
    OutcomeMeasureFactory(patient=patient, kind="pain_rating", taken_on=taken_on, score=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeMeasure.objects.create(
            patient=patient, kind="pain_rating", taken_on=taken_on, score=4, answers={"rating": 4}
        )
    OutcomeMeasureFactory(
        patient=patient, kind="pain_rating", taken_on=taken_on + datetime.timedelta(days=1), score=2
    )
    assert OutcomeMeasure.objects.filter(patient=patient).count() == 2


@pytest.mark.parametrize("name", sorted(DOSAGE_RANGES))
def test_the_database_and_the_dosage_form_share_each_range(stage_one_plan, name):
    low, high = DOSAGE_RANGES[name]
    field = PrescriptionForm.base_fields[name]
    assert (field.min_value, field.max_value) == (low, high)
    prescription = stage_one_plan.prescriptions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Prescription.objects.filter(pk=prescription.pk).update(**{name: high + 1})
    Prescription.objects.filter(pk=prescription.pk).update(**{name: high})
