import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.audit import AuditContext
from accounts.models import AuditEvent
from rehab.content.exercises import EXERCISES
from rehab.content.stage_templates import STAGE_TEMPLATES
from rehab.models import Exercise, PlanRevision, PlanTemplate, Prescription, RehabPlan
from rehab.services import plans
from tests.factories import ClinicianFactory

pytestmark = pytest.mark.django_db


def test_library_load_ships_every_exercise_and_one_template_per_stage_and_runs_twice_harmlessly():
    first = plans.library_load()
    second = plans.library_load()
    assert first.exercises_created == len(EXERCISES) >= 14
    assert first.templates_created == 4
    assert (second.exercises_created, second.templates_created) == (0, 0)
    assert Exercise.objects.count() == len(EXERCISES)
    assert sorted(PlanTemplate.objects.values_list("stage", flat=True)) == [1, 2, 3, 4]
    for template in PlanTemplate.objects.prefetch_related("items__exercise"):
        assert template.items.count() == len(STAGE_TEMPLATES[template.stage - 1]["items"])
        assert all(template.stage in item.exercise.stages for item in template.items.all())


def test_library_load_keeps_an_admins_edit_unless_asked_to_update():
    plans.library_load()
    Exercise.objects.filter(slug="bridge").update(summary="Edited by the clinic")
    plans.library_load()
    assert Exercise.objects.get(slug="bridge").summary == "Edited by the clinic"
    plans.library_load(update=True)
    assert Exercise.objects.get(slug="bridge").summary != "Edited by the clinic"


def test_a_plan_assigned_from_a_template_copies_its_exercises_and_records_revision_one(
    stage_one_plan, clinician
):
    template = PlanTemplate.objects.get(stage=1)
    expected = [(item.exercise_id, item.sets, item.reps, item.hold_seconds) for item in template.items.all()]
    got = [(rx.exercise_id, rx.sets, rx.reps, rx.hold_seconds) for rx in stage_one_plan.prescriptions.all()]
    assert got == expected
    assert stage_one_plan.version == 1 and stage_one_plan.lead_clinician == clinician
    revision = stage_one_plan.revisions.get()
    assert revision.number == 1
    assert len(revision.snapshot["prescriptions"]) == len(expected)


def test_a_patient_cannot_have_two_active_plans(stage_one_plan, clinician, condition):
    with pytest.raises(ValidationError, match="already has an active plan"):
        plans.plan_assign(
            patient=stage_one_plan.patient,
            template=PlanTemplate.objects.get(stage=2),
            by=clinician,
            condition=condition,
            start_date=datetime.date(2026, 11, 20),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RehabPlan.objects.create(
            patient=stage_one_plan.patient,
            condition=condition,
            stage=2,
            start_date=datetime.date(2026, 11, 20),
            lead_clinician=clinician,
        )


def _first(plan: RehabPlan) -> Prescription:
    return plan.prescriptions.order_by("order").first()


def test_changing_a_dosage_makes_exactly_one_revision_with_a_readable_diff(stage_one_plan, clinician):
    rx = _first(stage_one_plan)
    revision = plans.prescription_update(
        plan=stage_one_plan,
        prescription=rx,
        changes={"sets": rx.sets + 1, "hold_seconds": 30},
        signed=plans.Signed(by=clinician, reason="Holds feel easy now", expected_version=1),
    )
    assert stage_one_plan.revisions.count() == 2
    assert revision.number == 2 and stage_one_plan.version == 2
    assert (
        revision.summary
        == f"{rx.exercise.name}: sets {rx.sets} → {rx.sets + 1}, hold (s) {rx.hold_seconds} → 30"
    )
    assert revision.reason == "Holds feel easy now"


def test_adding_removing_and_moving_each_make_one_revision(stage_one_plan, clinician):
    nordic = Exercise.objects.get(slug="nordic-hamstring-curl")
    added = plans.prescription_add(
        plan=stage_one_plan,
        exercise=nordic,
        signed=plans.Signed(by=clinician, reason="Ready for eccentric work", expected_version=1),
    )
    assert added.summary.startswith("Added Nordic")
    last = stage_one_plan.prescriptions.order_by("-order").first()
    moved = plans.prescription_move(
        plan=stage_one_plan,
        prescription=last,
        offset=-1,
        signed=plans.Signed(by=clinician, reason="Do it first", expected_version=2),
    )
    assert moved.summary.startswith("Order changed: ")
    removed = plans.prescription_remove(
        plan=stage_one_plan,
        prescription=last,
        signed=plans.Signed(by=clinician, reason="Too soon after all", expected_version=3),
    )
    assert removed.summary.startswith("Removed Nordic")
    assert list(stage_one_plan.revisions.values_list("number", flat=True)) == [4, 3, 2, 1]
    orders = list(stage_one_plan.prescriptions.values_list("order", flat=True))
    assert orders == list(range(1, len(orders) + 1))


def test_changing_the_stage_is_a_revision_too(stage_one_plan, clinician):
    revision = plans.plan_update(
        plan=stage_one_plan,
        stage=2,
        signed=plans.Signed(by=clinician, reason="Two calm weeks", expected_version=1),
    )
    assert revision.summary == "Stage: Stage 1: settle and protect → Stage 2: build strength"
    stage_one_plan.refresh_from_db()
    assert stage_one_plan.stage == 2


def test_a_change_to_an_active_plan_needs_a_reason_and_saves_nothing_without_one(stage_one_plan, clinician):
    rx = _first(stage_one_plan)
    sets_before = rx.sets
    with pytest.raises(ValidationError) as error:
        plans.prescription_update(
            plan=stage_one_plan,
            prescription=rx,
            changes={"sets": sets_before + 1},
            signed=plans.Signed(by=clinician, reason="  ", expected_version=1),
        )
    assert "reason" in error.value.message_dict
    rx.refresh_from_db()
    assert rx.sets == sets_before
    assert stage_one_plan.revisions.count() == 1


def test_a_save_against_an_older_version_is_refused_and_overwrites_nothing(stage_one_plan, clinician):
    colleague = ClinicianFactory()
    rx = _first(stage_one_plan)
    plans.prescription_update(
        plan=stage_one_plan,
        prescription=rx,
        changes={"sets": 2},
        signed=plans.Signed(by=colleague, reason="First save", expected_version=1),
    )
    with pytest.raises(plans.PlanConflict) as conflict:
        plans.prescription_update(
            plan=stage_one_plan,
            prescription=rx,
            changes={"sets": 9},
            signed=plans.Signed(by=clinician, reason="Second save", expected_version=1),
        )
    assert conflict.value.plan.version == 2
    rx.refresh_from_db()
    assert rx.sets == 2
    assert stage_one_plan.revisions.count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sets", 0),
        ("sets", 11),
        ("reps", 51),
        ("hold_seconds", 301),
        ("times_per_day", 5),
        ("days_of_week", []),
    ],
)
def test_dosage_outside_its_bounds_is_refused_with_a_message(stage_one_plan, clinician, field, value):
    rx = _first(stage_one_plan)
    with pytest.raises(ValidationError) as error:
        plans.prescription_update(
            plan=stage_one_plan,
            prescription=rx,
            changes={field: value},
            signed=plans.Signed(by=clinician, reason="Try", expected_version=1),
        )
    assert field in error.value.message_dict
    assert PlanRevision.objects.filter(plan=stage_one_plan).count() == 1


def test_a_save_that_changes_nothing_makes_no_revision(stage_one_plan, clinician):
    rx = _first(stage_one_plan)
    with pytest.raises(ValidationError, match="Nothing changed"):
        plans.prescription_update(
            plan=stage_one_plan,
            prescription=rx,
            changes={"sets": rx.sets},
            signed=plans.Signed(by=clinician, reason="Same", expected_version=1),
        )
    assert stage_one_plan.revisions.count() == 1


def test_a_plan_change_made_without_a_request_still_writes_its_audit_row(stage_one_plan, clinician):
    rx = stage_one_plan.prescriptions.first()
    revision = plans.prescription_update(
        plan=stage_one_plan,
        prescription=rx,
        changes={"sets": rx.sets + 1},
        signed=plans.Signed(by=clinician, reason="From the shell", expected_version=1),
    )
    event = AuditEvent.objects.get(action="rehab.plan.change")
    assert (event.actor, event.patient) == (clinician, stage_one_plan.patient)
    assert (event.object_type, event.object_id) == ("rehab.PlanRevision", str(revision.public_id))
    assert (event.ip, event.user_agent) == (None, "")


def test_a_refused_plan_change_leaves_neither_a_revision_nor_an_audit_row(stage_one_plan, clinician):
    rx = stage_one_plan.prescriptions.first()
    with pytest.raises(ValidationError):
        plans.prescription_update(
            plan=stage_one_plan,
            prescription=rx,
            changes={"sets": rx.sets},
            signed=plans.Signed(
                by=clinician,
                reason="Same again",
                expected_version=1,
                audit=AuditContext(ip="203.0.113.9", user_agent="Firefox"),
            ),
        )
    assert not AuditEvent.objects.filter(action="rehab.plan.change").exists()
    assert stage_one_plan.revisions.count() == 1


def test_a_revision_is_dated_at_the_moment_the_service_is_told(stage_one_plan, clinician):
    moment = datetime.datetime(2026, 11, 9, 9, 15, tzinfo=datetime.UTC)
    revision = plans.plan_update(
        plan=stage_one_plan,
        goals="Run 5 km",
        signed=plans.Signed(by=clinician, reason="Goals agreed", expected_version=1, now=moment),
    )
    assert revision.created_at == moment


def test_pain_limits_change_is_a_revision_and_bounds_are_checked(stage_one_plan, clinician):
    revision = plans.plan_pain_limits_update(
        plan=stage_one_plan,
        pain_safe_max=2,
        pain_alert_above=4,
        load_test_rise_alert=1,
        signed=plans.Signed(by=clinician, reason="Stricter after surgery", expected_version=1),
    )
    assert "Pain limits: safe pain up to 3 → 2" in revision.summary
    with pytest.raises(ValidationError):
        plans.plan_pain_limits_update(
            plan=stage_one_plan,
            pain_safe_max=5,
            pain_alert_above=4,
            load_test_rise_alert=1,
            signed=plans.Signed(by=clinician, reason="x", expected_version=2),
        )
    stage_one_plan.refresh_from_db()
    assert (stage_one_plan.pain_safe_max, stage_one_plan.pain_alert_above) == (2, 4)
