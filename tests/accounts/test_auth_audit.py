"""Sign-in, sign-out, password and time-zone events are written to the audit log, with who and from where."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import TEST_PASSWORD, ClinicianFactory, PatientFactory

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")
FROM = {"REMOTE_ADDR": "203.0.113.21", "HTTP_USER_AGENT": "Firefox on the ward PC"}


def only(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def test_a_sign_in_is_audited_with_the_person_and_where_from(client):
    patient = PatientFactory()
    client.post(SIGN_IN, {"username": patient.email, "password": TEST_PASSWORD}, **FROM)
    event = only("auth.sign_in")
    assert (event.actor, event.patient, event.ip, event.user_agent) == (
        patient,
        None,
        "203.0.113.21",
        "Firefox on the ward PC",
    )


def test_a_failed_sign_in_to_an_account_is_audited_with_the_account(client):
    patient = PatientFactory()
    client.post(SIGN_IN, {"username": patient.email.upper(), "password": "not-the-password"}, **FROM)
    event = only("auth.sign_in_failed")
    assert (event.actor, event.detail, event.ip) == (patient, "", "203.0.113.21")
    assert not AuditEvent.objects.filter(action="auth.sign_in").exists()


def test_a_failed_sign_in_to_an_unknown_address_is_audited_with_the_address_typed(client):
    client.post(SIGN_IN, {"username": "Nobody@Example.test", "password": "not-the-password"}, **FROM)
    event = only("auth.sign_in_failed")
    assert (event.actor, event.detail) == (None, "nobody@example.test")


def test_a_form_refused_before_any_password_check_writes_nothing(client):
    client.post(SIGN_IN, {"username": "", "password": "not-the-password"})
    assert not AuditEvent.objects.exists()


def test_signing_out_is_audited(client):
    patient = PatientFactory()
    client.force_login(patient)
    client.post(reverse("accounts:logout"), **FROM)
    event = only("auth.sign_out")
    assert (event.actor, event.ip) == (patient, "203.0.113.21")


def test_a_password_change_is_audited(client):
    patient = PatientFactory()
    client.force_login(patient)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a-new-long-phrase",
            "new_password2": "a-new-long-phrase",
        },
        **FROM,
    )
    event = only("auth.password_change")
    assert (event.actor, event.ip) == (patient, "203.0.113.21")


def test_a_refused_password_change_is_not_audited_as_a_change(client):
    client.force_login(PatientFactory())
    client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "a-new-long-phrase", "new_password2": "a-new-long-phrase"},
    )
    assert not AuditEvent.objects.filter(action="auth.password_change").exists()


def test_a_reset_request_and_the_new_password_are_audited(client):
    patient = PatientFactory()
    client.post(reverse("accounts:password_reset"), {"email": patient.email}, **FROM)
    request_event = only("auth.password_reset_request")
    assert (request_event.actor, request_event.ip, request_event.detail) == (patient, "203.0.113.21", "")

    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "a-new-long-phrase", "new_password2": "a-new-long-phrase"}, **FROM
    )
    done = only("auth.password_reset_done")
    assert (done.actor, done.ip) == (patient, "203.0.113.21")


def test_a_reset_request_for_an_unknown_address_is_audited_with_the_address(client):
    client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    event = only("auth.password_reset_request")
    assert (event.actor, event.detail) == (None, "nobody@example.test")


def _details(client, time_zone: str, **extra):
    return client.post(
        reverse("accounts:details"),
        {"first_name": "Robin", "last_name": "Hill", "time_zone": time_zone, **extra},
        **FROM,
    )


def test_a_time_zone_change_is_audited_with_both_zones(client):
    clinician = ClinicianFactory(time_zone="Europe/London")
    client.force_login(clinician)
    assert _details(client, "Pacific/Kiritimati", registration_number="HCPC-1").status_code == 302
    event = only("account.time_zone_change")
    assert (event.actor, event.detail, event.ip) == (
        clinician,
        "Europe/London -> Pacific/Kiritimati",
        "203.0.113.21",
    )


def test_saving_details_without_a_new_time_zone_writes_no_zone_change(client):
    patient = PatientFactory(time_zone="Europe/London")
    client.force_login(patient)
    assert _details(client, "Europe/London", sport_or_occupation="", goals="").status_code == 302
    assert not AuditEvent.objects.filter(action="account.time_zone_change").exists()
    assert AuditEvent.objects.filter(action="patient.details.update", actor=patient).exists()
