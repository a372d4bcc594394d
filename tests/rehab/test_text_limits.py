"""Every free-text field of the rehab app has a length limit that the model and the form enforce; over-long
input through a page answers 400, names the limit and changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse

from common import text_limits
from rehab.models import (
    Exercise,
    FlareUp,
    OutcomeMeasure,
    PlanRevision,
    PlanTemplate,
    Prescription,
    RehabPlan,
    SessionLog,
)
from tests.factories import ExerciseFactory
from tests.rehab.views.test_daily import NOTHING_NEW, log_all_done
from tests.rehab.views.test_plans import _dosage_post

pytestmark = pytest.mark.django_db

BOUNDED_TEXT = [
    (Exercise, "steps", text_limits.LONG_TEXT),
    (Exercise, "cautions", text_limits.LONG_TEXT),
    (PlanTemplate, "summary_for_patient", text_limits.NOTE),
    (PlanTemplate, "criteria_for_clinician", text_limits.LONG_TEXT),
    (RehabPlan, "goals", text_limits.NOTE),
    (FlareUp, "note", text_limits.NOTE),
]


@pytest.mark.parametrize(("model", "name", "limit"), BOUNDED_TEXT, ids=lambda v: getattr(v, "__name__", v))
def test_the_model_field_refuses_one_character_more_than_its_limit(model, name, limit):
    field = model._meta.get_field(name)
    assert field.max_length == limit
    assert any(isinstance(v, MaxLengthValidator) and v.limit_value == limit for v in field.validators)
    field.run_validators("x" * limit)
    with pytest.raises(ValidationError, match=f"at most {limit} characters"):
        field.run_validators("x" * (limit + 1))


def test_no_text_field_of_the_app_is_left_without_a_limit():
    from django.apps import apps

    for model in apps.get_app_config("rehab").get_models():
        for field in model._meta.get_fields():
            if field.get_internal_type() in ("TextField", "CharField"):
                assert field.max_length, f"{model.__name__}.{field.name}"
                assert any(isinstance(v, MaxLengthValidator) for v in field.validators), field.name


def test_full_clean_refuses_over_long_exercise_steps():
    exercise = ExerciseFactory.build(steps="Lie down.\n" * 600)
    with pytest.raises(ValidationError) as refused:
        exercise.full_clean()
    assert list(refused.value.message_dict) == ["steps"]


def test_an_over_long_session_note_answers_400_and_the_session_stays_unrated(client, stage_one_plan, patient):
    client.force_login(patient)
    log_all_done(client, patient)
    session = SessionLog.objects.get()
    scores = {"pain_during": "2", "pain_after": "2", "effort": "3"}
    rate = reverse("rehab:today_session_rate", args=[session.public_id])

    response = client.post(rate, scores | {"note": "x" * 1001})

    assert response.status_code == 400
    assert "at most 1000 characters (it has 1001)" in response.content.decode()
    session.refresh_from_db()
    assert not session.is_rated and session.note == ""
    assert client.post(rate, scores | {"note": "x" * 1000}).status_code == 302


def test_an_over_long_note_ending_a_flare_up_answers_400_and_leaves_it_open(
    client, stage_one_plan, patient, clinician, team
):
    client.force_login(patient)
    assert client.post(reverse("rehab:today_flare_up"), NOTHING_NEW).status_code == 302
    client.force_login(clinician)
    end = reverse("rehab:flare_up_end", args=[stage_one_plan.public_id])

    response = client.post(end, {"note": "n" * (text_limits.NOTE + 1)})

    assert response.status_code == 400
    assert f"at most {text_limits.NOTE} characters" in response.content.decode()
    assert FlareUp.objects.get().is_open
    assert client.post(end, {"note": "n" * text_limits.NOTE}).status_code == 302


def test_over_long_plan_goals_answer_400_and_the_plan_keeps_its_goals(
    client, stage_one_plan, clinician, team
):
    client.force_login(clinician)
    data = {"stage": 1, "status": "active", "reason": "", "version": stage_one_plan.version}
    revisions = PlanRevision.objects.filter(plan=stage_one_plan).count()

    response = client.post(
        reverse("rehab:plan_settings", args=[stage_one_plan.public_id]),
        data | {"goals": "g" * (text_limits.NOTE + 1)},
    )

    assert response.status_code == 400
    assert f"at most {text_limits.NOTE} characters" in response.content.decode()
    plan = RehabPlan.objects.get(pk=stage_one_plan.pk)
    assert plan.goals == "Sit through a meeting without pain" and plan.version == stage_one_plan.version
    assert PlanRevision.objects.filter(plan=plan).count() == revisions


def test_an_over_long_note_to_the_patient_on_an_exercise_answers_400_and_changes_nothing(
    client, stage_one_plan, clinician, team
):
    client.force_login(clinician)
    rx = stage_one_plan.prescriptions.order_by("order").first()
    response = client.post(
        reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id]),
        _dosage_post(rx, stage_one_plan.version, note_to_patient="p" * 501),
    )
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    assert Prescription.objects.get(pk=rx.pk).note_to_patient == rx.note_to_patient


def test_an_over_long_psfs_activity_answers_400_and_nothing_is_recorded(client, stage_one_plan, patient):
    client.force_login(patient)
    rows = {"activity_1": "Sitting" * 100, "rating_1": "3", "activity_2": "Running", "rating_2": "1"}
    response = client.post(reverse("rehab:outcome_form", args=["psfs"]), rows)
    assert response.status_code == 400
    assert "keep it under 100 characters" in response.content.decode()
    assert not OutcomeMeasure.objects.exists()


def test_an_admin_cannot_save_exercise_steps_over_the_limit(client, admin_user):
    exercise = ExerciseFactory(steps="Lie on your back.")
    client.force_login(admin_user)
    url = reverse("admin:rehab_exercise_change", args=[exercise.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data["stages"] = ["1"]  # the admin ticks stages in checkboxes
    data = {name: value for name, value in data.items() if value is not False}

    response = client.post(url, data | {"steps": "s" * (text_limits.LONG_TEXT + 1)})

    assert response.status_code == 200
    assert f"at most {text_limits.LONG_TEXT} characters" in response.content.decode()
    assert Exercise.objects.get(pk=exercise.pk).steps == "Lie on your back."
    assert client.post(url, data | {"steps": "s" * text_limits.LONG_TEXT}).status_code == 302
