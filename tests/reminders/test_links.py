"""The snooze and unsubscribe links of reminder emails: they work without signing in, change nothing on a
GET (mail scanners open links), change the settings on the POST as the patient's own audited write, and
answer an expired or tampered link with a clear 400 page."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from reminders import links
from reminders.models import ReminderSettings
from reminders.services.preferences import Snooze
from tests.factories import DeliveryFactory, PatientFactory, ReminderSettingsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(db):
    return PatientFactory(time_zone="Europe/London")


@pytest.fixture
def delivery(patient):
    ReminderSettingsFactory(user=patient)
    return DeliveryFactory(recipient=patient, kind="exercise", channel="email")


def snooze_address(delivery, choice=Snooze.HOUR, **kwargs) -> str:
    return reverse("reminders:link_snooze", kwargs={"token": links.snooze_token(delivery, choice, **kwargs)})


def unsubscribe_address(delivery, **kwargs) -> str:
    return reverse(
        "reminders:link_unsubscribe", kwargs={"token": links.unsubscribe_token(delivery, **kwargs)}
    )


def settings_of(patient) -> ReminderSettings:
    return ReminderSettings.objects.get(user=patient)


def test_opening_a_snooze_link_shows_one_button_and_changes_nothing(patient, delivery):
    response = Client().get(snooze_address(delivery, Snooze.WEEK))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Snooze reminders for a week?" in page
    assert page.count('<form method="post">') == 1
    assert settings_of(patient).snoozed_until is None
    assert not AuditEvent.objects.filter(patient=patient).exists()


@pytest.mark.parametrize(
    ("choice", "expected_local"),
    [
        (Snooze.HOUR, lambda now: now + datetime.timedelta(hours=1)),
        (
            Snooze.TOMORROW,
            lambda now: datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(7)),
        ),
        (Snooze.WEEK, lambda now: now + datetime.timedelta(days=7)),
    ],  # fmt: skip
)
def test_pressing_the_button_snoozes_without_signing_in_as_the_patients_own_audited_write(
    patient, delivery, choice, expected_local
):
    before = timezone.now().astimezone(patient.zone).replace(tzinfo=None)

    response = Client(REMOTE_ADDR="203.0.113.7").post(snooze_address(delivery, choice))

    assert response.status_code == 200
    assert "Reminders snoozed" in response.content.decode()
    until = settings_of(patient).snoozed_until.astimezone(patient.zone).replace(tzinfo=None)
    assert abs(until - expected_local(before)) < datetime.timedelta(minutes=1)
    event = AuditEvent.objects.get(patient=patient)
    assert (event.actor, event.action, event.ip) == (
        patient,
        f"reminders.snooze.{choice.value}",
        "203.0.113.7",
    )


def test_the_unsubscribe_link_turns_email_off_and_nothing_else_only_on_post(patient, delivery):
    client = Client()
    address = unsubscribe_address(delivery)

    assert client.get(address).status_code == 200
    assert settings_of(patient).email is True
    response = client.post(address)

    assert response.status_code == 200
    assert "No more reminder emails" in response.content.decode()
    row = settings_of(patient)
    assert (row.email, row.in_app, row.exercise_on) == (False, True, True)
    assert AuditEvent.objects.get(patient=patient).actor == patient


def test_a_mail_apps_one_click_unsubscribe_post_works(patient, delivery):
    """RFC 8058: the mail app POSTs `List-Unsubscribe=One-Click` to the List-Unsubscribe address."""
    response = Client().post(
        links.unsubscribe_url(delivery).removeprefix("http://localhost:8000"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert settings_of(patient).email is False


def test_a_link_older_than_its_lifetime_gets_the_expired_page_and_changes_nothing(patient, delivery):
    made = timezone.now() - links.LINK_MAX_AGE - datetime.timedelta(minutes=1)
    client = Client()

    for address in (snooze_address(delivery, now=made), unsubscribe_address(delivery, now=made)):
        for method in (client.get, client.post):
            response = method(address)
            page = response.content.decode()
            assert response.status_code == 400
            assert "This link has expired" in page
            assert f'href="{reverse("accounts:login")}?next={reverse("reminders:preferences")}"' in page

    row = settings_of(patient)
    assert (row.snoozed_until, row.email) == (None, True)
    assert not AuditEvent.objects.filter(patient=patient).exists()


def test_a_link_still_within_its_lifetime_works(patient, delivery):
    made = timezone.now() - links.LINK_MAX_AGE + datetime.timedelta(minutes=5)

    assert Client().post(unsubscribe_address(delivery, now=made)).status_code == 200
    assert settings_of(patient).email is False


def tampered(token: str) -> list[str]:
    payload, stamp, signature = token.split(":")
    other = links.snooze_token(DeliveryFactory(channel="email"), Snooze.WEEK).split(":")[0]
    return [
        f"{payload}:{stamp}:{signature[:-2]}{'AB' if signature[-2:] != 'AB' else 'CD'}",  # signature changed
        f"{other}:{stamp}:{signature}",  # another delivery's payload under this signature
        f"{payload}:{stamp}",  # cut short
        "not-a-token",
    ]


def test_a_tampered_link_gets_the_clear_400_page_and_changes_nothing(patient, delivery):
    client = Client()
    token = links.snooze_token(delivery, Snooze.WEEK)

    for bad in tampered(token):
        response = client.post(reverse("reminders:link_snooze", kwargs={"token": bad}))
        page = response.content.decode()
        assert response.status_code == 400, bad
        assert "This link does not work" in page
        assert "sign in and open Reminders" in page

    assert settings_of(patient).snoozed_until is None


def test_a_snooze_token_does_not_unsubscribe(patient, delivery):
    token = links.snooze_token(delivery, Snooze.HOUR)

    response = Client().post(reverse("reminders:link_unsubscribe", kwargs={"token": token}))

    assert response.status_code == 400
    assert settings_of(patient).email is True


def test_the_link_acts_for_the_emails_recipient_whoever_is_signed_in(patient, delivery):
    someone_else = PatientFactory()
    client = Client()
    client.force_login(someone_else)

    assert client.post(unsubscribe_address(delivery)).status_code == 200

    assert settings_of(patient).email is False
    assert not ReminderSettings.objects.filter(user=someone_else, email=False).exists()


def test_unsubscribing_works_even_when_other_saved_settings_no_longer_validate(patient, delivery):
    from reminders.models import ReminderSettings

    settings_of(patient)  # the row exists
    ReminderSettings.objects.update_or_create(user=patient, defaults={"sms": True, "sms_number": ""})

    response = Client().post(unsubscribe_address(delivery))

    assert response.status_code == 200
    assert settings_of(patient).email is False
