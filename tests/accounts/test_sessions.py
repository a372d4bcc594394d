"""Sessions end after inactivity (staff 15 minutes, patients 30) and 12 hours after signing in; signing in
gives a new session id; a password change or deactivation ends the person's other sessions."""

import time

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from accounts.models import AuditEvent, User
from tests.factories import TEST_PASSWORD, AdminFactory, ClinicianFactory, PatientFactory

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")
PAGE = reverse("accounts:details")  # a page every signed-in person may open
MINUTE = 60
HOUR = 60 * MINUTE


def set_clocks(client, *, signed_in_ago: int, last_seen_ago: int) -> None:
    """Put the session's stamps in the past instead of waiting."""
    now = int(time.time())
    session = client.session
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_SEEN] = now - last_seen_ago
    session.save()


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("factory", "idle_minutes"), [(PatientFactory, 30), (ClinicianFactory, 15), (AdminFactory, 15)]
)
def test_a_person_is_signed_out_after_their_roles_idle_limit_and_told_why(client, factory, idle_minutes):
    client.force_login(factory())
    set_clocks(client, signed_in_ago=2 * HOUR, last_seen_ago=idle_minutes * MINUTE + 5)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={PAGE}"
    assert not is_signed_in(client)
    sign_in_page = client.get(response["Location"])
    assert (
        f"You were signed out after {idle_minutes} minutes without activity." in sign_in_page.content.decode()
    )


@pytest.mark.parametrize(
    ("factory", "idle_minutes"), [(PatientFactory, 30), (ClinicianFactory, 15), (AdminFactory, 15)]
)
def test_a_person_active_within_their_idle_limit_stays_signed_in(client, factory, idle_minutes):
    client.force_login(factory())
    set_clocks(client, signed_in_ago=2 * HOUR, last_seen_ago=idle_minutes * MINUTE - 5)
    assert client.get(PAGE).status_code == 200
    assert is_signed_in(client)


def test_a_patient_idle_for_twenty_minutes_is_still_signed_in_where_staff_would_not_be(client):
    client.force_login(PatientFactory())
    set_clocks(client, signed_in_ago=HOUR, last_seen_ago=20 * MINUTE)
    assert client.get(PAGE).status_code == 200
    other = Client()
    other.force_login(ClinicianFactory())
    set_clocks(other, signed_in_ago=HOUR, last_seen_ago=20 * MINUTE)
    assert other.get(PAGE).status_code == 302


def test_everyone_is_signed_out_twelve_hours_after_signing_in_however_active(client):
    client.force_login(PatientFactory())
    set_clocks(client, signed_in_ago=12 * HOUR + 5, last_seen_ago=10)
    response = client.get(PAGE, follow=True)
    assert response.redirect_chain[0] == (f"{SIGN_IN}?next={PAGE}", 302)
    assert "12 hours have passed since you signed in" in response.content.decode()
    assert not is_signed_in(client)


def test_a_time_out_is_audited_as_such(client):
    clinician = ClinicianFactory()
    client.force_login(clinician)
    set_clocks(client, signed_in_ago=HOUR, last_seen_ago=16 * MINUTE)
    client.get(PAGE, REMOTE_ADDR="203.0.113.5")
    event = AuditEvent.objects.get(action="auth.session_timeout")
    assert (event.actor, event.detail, event.ip) == (clinician, "15 minutes without activity", "203.0.113.5")
    assert not AuditEvent.objects.filter(action="auth.sign_out").exists()


def test_a_timed_out_post_is_sent_to_sign_in_without_acting(client):
    patient = PatientFactory(first_name="Before")
    client.force_login(patient)
    set_clocks(client, signed_in_ago=HOUR, last_seen_ago=31 * MINUTE)
    response = client.post(
        PAGE, {"first_name": "After", "last_name": "Hill", "time_zone": "Europe/London", "goals": ""}
    )
    assert response["Location"] == SIGN_IN
    patient.refresh_from_db()
    assert patient.first_name == "Before"


def test_an_htmx_request_that_timed_out_is_told_to_load_the_sign_in_page(client):
    client.force_login(PatientFactory())
    set_clocks(client, signed_in_ago=HOUR, last_seen_ago=31 * MINUTE)
    response = client.get(PAGE, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == SIGN_IN


def test_activity_is_written_to_the_session_at_most_once_a_minute(client):
    client.force_login(PatientFactory())
    set_clocks(client, signed_in_ago=HOUR, last_seen_ago=30)
    key = client.session.session_key
    saved = Session.objects.get(session_key=key).expire_date
    client.get(PAGE)
    assert Session.objects.get(session_key=key).expire_date == saved
    assert int(time.time()) - client.session[LAST_SEEN] >= 30

    set_clocks(client, signed_in_ago=HOUR, last_seen_ago=90)
    client.get(PAGE)
    assert int(time.time()) - client.session[LAST_SEEN] < 5


def test_signing_in_starts_both_clocks_and_the_cookie_lasts_twelve_hours(client):
    patient = PatientFactory()
    response = client.post(SIGN_IN, {"username": patient.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    now = int(time.time())
    assert now - client.session[SIGNED_IN_AT] < 5 and now - client.session[LAST_SEEN] < 5
    assert response.cookies["sessionid"]["max-age"] == 12 * HOUR


def test_signing_in_gives_a_new_session_id(client):
    patient = PatientFactory()
    anonymous_session = client.session
    anonymous_session["seen_the_cookie_banner"] = True
    anonymous_session.save()
    before = client.cookies["sessionid"].value
    client.post(SIGN_IN, {"username": patient.email, "password": TEST_PASSWORD})
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert is_signed_in(client)


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(client):
    patient = PatientFactory()
    elsewhere = Client()
    elsewhere.force_login(patient)
    client.force_login(patient)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a-new-long-phrase",
            "new_password2": "a-new-long-phrase",
        },
    )
    assert response.status_code == 302
    assert client.get(PAGE).status_code == 200
    assert elsewhere.get(PAGE).status_code == 302
    assert not is_signed_in(elsewhere)


def test_resetting_the_password_ends_every_session(client):
    patient = PatientFactory()
    elsewhere = Client()
    elsewhere.force_login(patient)
    client.post(reverse("accounts:password_reset"), {"email": patient.email})
    link = next(line for line in mail.outbox[0].body.split() if "/password/reset/" in line)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": "a-new-long-phrase", "new_password2": "a-new-long-phrase"})
    assert done.status_code == 302
    assert elsewhere.get(PAGE).status_code == 302


def test_deactivating_a_person_ends_their_sessions(client):
    patient = PatientFactory()
    client.force_login(patient)
    assert client.get(PAGE).status_code == 200
    patient.is_active = False
    patient.save(update_fields=["is_active"])
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)
    assert not response.wsgi_request.user.is_authenticated


def test_the_backend_that_restores_sessions_refuses_an_inactive_person():
    patient = PatientFactory(is_active=False)
    assert ModelBackend().get_user(patient.pk) is None
    User.objects.filter(pk=patient.pk).update(is_active=True)
    assert ModelBackend().get_user(patient.pk) == patient


def test_a_deactivated_admin_is_refused_by_the_admin_too(client):
    admin = AdminFactory()
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    assert client.get(reverse("admin:index")).status_code == 302


def test_passwords_shorter_than_twelve_characters_are_refused(client):
    client.force_login(PatientFactory())
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "short-pw-11", "new_password2": "short-pw-11"},
    )
    assert response.status_code == 400
    assert "at least 12 characters" in response.content.decode()
