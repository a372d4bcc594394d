"""The free text of reminders has limits that the model and the forms enforce; over-long input through a page
answers 400, names the limit and saves nothing."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse

from common import text_limits
from reminders.models import Notification, ReminderSettings, TimeSuggestion
from tests.reminders.test_clinicians import form_data, suggest_url, world  # noqa: F401 - world is a fixture
from tests.reminders.test_preferences import settings_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "name", "limit"),
    [(Notification, "body", text_limits.NOTE), (TimeSuggestion, "note", 500)],
    ids=["notification body", "suggestion note"],
)
def test_the_model_field_refuses_one_character_more_than_its_limit(model, name, limit):
    field = model._meta.get_field(name)
    assert field.max_length == limit
    field.run_validators("x" * limit)
    with pytest.raises(ValidationError, match=f"at most {limit} characters"):
        field.run_validators("x" * (limit + 1))


def test_every_text_field_of_the_app_has_a_limit_the_model_enforces():
    unbounded_by_design = {(apps.get_model("reminders", "Delivery"), "last_error")}  # written by the worker
    for model in apps.get_app_config("reminders").get_models():
        for field in model._meta.get_fields():
            if field.get_internal_type() in ("TextField", "CharField") and (model, field.name) not in (
                unbounded_by_design
            ):
                assert any(isinstance(v, MaxLengthValidator) for v in field.validators), (
                    f"{model.__name__}.{field.name}"
                )


def test_an_over_long_suggestion_note_answers_400_names_the_limit_and_saves_nothing(client, world):  # noqa: F811
    client.force_login(world.lead)
    response = client.post(suggest_url(world), form_data(**{"suggestion-note": "n" * 501}))
    assert response.status_code == 400
    assert "at most 500 characters (it has 501)" in response.content.decode()
    assert not TimeSuggestion.objects.exists() and not Notification.objects.exists()
    assert client.post(suggest_url(world), form_data(**{"suggestion-note": "n" * 500})).status_code == 302


def test_an_over_long_text_number_answers_400_and_keeps_the_settings(client, patient, settings):
    settings.SMS_ENABLED = True
    client.force_login(patient)
    response = client.post(
        reverse("reminders:settings_save"), settings_post(sms="on", sms_number="+44" + "7" * 10_000)
    )
    assert response.status_code == 400
    assert "at most 16 characters" in response.content.decode()
    assert not ReminderSettings.objects.filter(user=patient, sms=True).exists()
