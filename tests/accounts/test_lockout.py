"""Five failed sign-ins lock the address and throttle the IP address; password resets are throttled too;
admins see lockouts and lift them; the answer never tells whether an account exists."""

import datetime
import socket
import uuid

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import TEST_PASSWORD, AdminFactory, ClinicianFactory, PatientFactory

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")
ADMIN_SIGN_IN = reverse("admin:login")
RESET = reverse("accounts:password_reset")
LOCKED = "Too many failed sign-ins. Try again in 15 minutes, or reset your password."
RESET_REFUSED = "Too many password reset requests. Try again in 15 minutes."


def sign_in(client, email, password, *, url=SIGN_IN, ip="198.51.100.7"):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=ip)


def fail(client, email, times, *, url=SIGN_IN, ip="198.51.100.7"):
    return [sign_in(client, email, "not-the-password", url=url, ip=ip).status_code for _ in range(times)]


def test_six_bad_passwords_lock_the_account_even_against_the_right_password(client):
    patient = PatientFactory(email="patient@demo.test")
    assert fail(client, patient.email, 4) == [400] * 4
    fifth = sign_in(client, patient.email, "not-the-password")
    assert fifth.status_code == 429
    for _ in range(2):
        refused = sign_in(client, patient.email, TEST_PASSWORD)
        assert refused.status_code == 429
        assert LOCKED in refused.content.decode()
        assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_the_same_for_an_unknown_address(client):
    PatientFactory(email="patient@demo.test")
    fail(client, "patient@demo.test", 5, ip="198.51.100.7")
    known = sign_in(client, "patient@demo.test", TEST_PASSWORD, ip="198.51.100.7")
    fail(client, "nobody@demo.test", 5, ip="198.51.100.8")
    unknown = sign_in(client, "nobody@demo.test", TEST_PASSWORD, ip="198.51.100.8")
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content
    assert "demo.test" not in known.content.decode()
    assert known["Retry-After"] == "900"


def test_the_address_counts_as_one_whatever_its_case(client):
    patient = PatientFactory(email="patient@demo.test")
    for email in ["Patient@demo.test", "PATIENT@DEMO.TEST", " patient@demo.test", "patient@Demo.Test"]:
        sign_in(client, email, "not-the-password", ip="198.51.100.7")
    sign_in(client, patient.email, "not-the-password", ip="198.51.100.7")
    assert sign_in(client, patient.email, TEST_PASSWORD, ip="198.51.100.7").status_code == 429


def test_a_locked_account_stays_locked_from_another_ip_address(client):
    patient = PatientFactory()
    for n in range(5):
        sign_in(client, patient.email, "not-the-password", ip=f"203.0.113.{n + 1}")
    assert sign_in(client, patient.email, TEST_PASSWORD, ip="192.0.2.200").status_code == 429


def test_an_ip_address_trying_many_accounts_is_throttled_for_every_account(client):
    patient = PatientFactory()
    for n in range(5):
        sign_in(client, f"guess{n}@demo.test", "not-the-password", ip="203.0.113.66")
    assert sign_in(client, patient.email, TEST_PASSWORD, ip="203.0.113.66").status_code == 429
    assert sign_in(client, patient.email, TEST_PASSWORD, ip="192.0.2.1").status_code == 302


def test_four_failures_do_not_lock(client):
    patient = PatientFactory()
    fail(client, patient.email, 4)
    assert sign_in(client, patient.email, TEST_PASSWORD).status_code == 302


def test_the_admin_sign_in_is_locked_too(client):
    admin = AdminFactory()
    assert fail(client, admin.email, 4, url=ADMIN_SIGN_IN) == [200] * 4  # the admin's form answers 200
    assert fail(client, admin.email, 1, url=ADMIN_SIGN_IN) == [429]
    refused = sign_in(client, admin.email, TEST_PASSWORD, url=ADMIN_SIGN_IN)
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_at_the_admin_and_the_portal_count_together(client):
    clinician = ClinicianFactory()
    fail(client, clinician.email, 3, url=ADMIN_SIGN_IN)
    fail(client, clinician.email, 2, url=SIGN_IN)
    assert sign_in(client, clinician.email, TEST_PASSWORD).status_code == 429


def test_the_lockout_ends_fifteen_minutes_after_the_last_failure(client):
    patient = PatientFactory()
    fail(client, patient.email, 5)
    last = AccessAttempt.objects.get().attempt_time
    AccessAttempt.objects.update(attempt_time=last - datetime.timedelta(minutes=14))
    assert sign_in(client, patient.email, TEST_PASSWORD).status_code == 429  # and the wait starts again
    AccessAttempt.objects.update(attempt_time=last - datetime.timedelta(minutes=16))
    assert sign_in(client, patient.email, TEST_PASSWORD).status_code == 302


def test_a_lockout_is_audited_once_with_the_account_and_where_it_came_from(client):
    patient = PatientFactory()
    fail(client, patient.email, 7, ip="203.0.113.9")
    event = AuditEvent.objects.get(action="auth.lockout")
    assert (event.actor, event.patient, event.ip) == (patient, None, "203.0.113.9")
    assert event.detail == "address locked, IP address throttled"


def test_a_lockout_of_an_address_without_account_is_audited_with_the_address_typed(client):
    fail(client, "Nobody@Demo.test", 5)
    event = AuditEvent.objects.get(action="auth.lockout")
    assert event.actor is None
    assert event.detail == "nobody@demo.test: address locked, IP address throttled"


def test_a_throttled_ip_address_is_audited_when_it_is_throttled(client):
    for n in range(6):
        sign_in(client, f"guess{n}@demo.test", "not-the-password", ip="203.0.113.66")
    event = AuditEvent.objects.get(action="auth.lockout")
    assert event.detail == "guess4@demo.test: IP address throttled"


def _unlock(client, attempts):
    return client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock", "_selected_action": [attempt.pk for attempt in attempts]},
    )


def test_admins_see_current_lockouts_and_unlock_them_audited(client):
    patient = PatientFactory()
    fail(client, patient.email, 5, ip="203.0.113.9")
    PatientFactory(email="typo@demo.test")
    sign_in(client, "typo@demo.test", "not-the-password", ip="192.0.2.50")  # one failure: no lockout
    admin = AdminFactory()
    client.force_login(admin)

    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    listed = [attempt.username for attempt in page.context["cl"].result_list]
    assert listed == [patient.email]
    assert "Sign-in lockouts" in page.content.decode()

    response = _unlock(client, AccessAttempt.objects.filter(username=patient.email))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=patient.email).exists()
    event = AuditEvent.objects.get(action="auth.unlock")
    assert (event.actor, event.object_type, event.object_id) == (admin, "accounts.User", str(patient.pk))
    assert event.detail == f"{patient.email} from 203.0.113.9"

    client.logout()
    assert sign_in(client, patient.email, TEST_PASSWORD, ip="203.0.113.9").status_code == 302


def test_only_admins_may_see_or_lift_lockouts(client):
    patient = PatientFactory()
    fail(client, patient.email, 5)
    client.force_login(ClinicianFactory())
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 302
    _unlock(client, AccessAttempt.objects.all())
    assert AccessAttempt.objects.exists()
    assert not AuditEvent.objects.filter(action="auth.unlock").exists()


def test_lockout_records_cannot_be_edited_or_deleted_in_the_admin(client):
    patient = PatientFactory()
    fail(client, patient.email, 5)
    attempt = AccessAttempt.objects.get()
    client.force_login(AdminFactory())
    assert (
        client.post(
            reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def reset(client, email, ip="198.51.100.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_requests_for_one_address_are_throttled(client):
    patient = PatientFactory()
    for n in range(5):
        assert reset(client, patient.email, ip=f"203.0.113.{n + 1}").status_code == 302
    refused = reset(client, patient.email, ip="192.0.2.99")
    assert refused.status_code == 429
    assert RESET_REFUSED in refused.content.decode()
    assert len(mail.outbox) == 5
    assert reset(client, PatientFactory().email, ip="192.0.2.100").status_code == 302


def test_password_reset_requests_from_one_ip_address_are_throttled(client):
    people = [PatientFactory() for _ in range(6)]
    statuses = [reset(client, person.email, ip="203.0.113.77").status_code for person in people]
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5


def test_a_refused_reset_looks_the_same_for_an_unknown_address(client):
    PatientFactory(email="patient@demo.test")
    for _ in range(5):
        reset(client, "patient@demo.test", ip="203.0.113.1")
        reset(client, "nobody@demo.test", ip="203.0.113.2")
    known = reset(client, "patient@demo.test", ip="203.0.113.1")
    unknown = reset(client, "nobody@demo.test", ip="203.0.113.2")
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content


def test_refused_reset_requests_are_audited(client):
    patient = PatientFactory()
    for _ in range(6):
        reset(client, patient.email)
    refused = AuditEvent.objects.filter(
        action="auth.password_reset_request", detail="refused: too many requests"
    )
    assert [event.actor for event in refused] == [patient]


def _redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "common.redis_cache.SharedClientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": uuid.uuid4().hex,  # counts of this test only
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_password_reset_still_works_when_the_cache_is_down(client, settings, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.CACHES = _redis_cache(f"redis://127.0.0.1:{closed_port}/0")
    patient = PatientFactory()
    assert reset(client, patient.email).status_code == 302
    assert len(mail.outbox) == 1
    assert "Password reset throttle unavailable" in caplog.text


@pytest.mark.integration
def test_password_resets_are_counted_in_the_real_redis(client, settings):
    settings.CACHES = _redis_cache(settings.REDIS_URL)
    patient = PatientFactory()
    statuses = [reset(client, patient.email, ip=f"203.0.113.{n + 1}").status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]


def test_an_address_the_database_would_fold_onto_an_account_signs_in_to_nothing(client):
    """A dotless "ı" stays itself under Python's lower(), so the lockout counts "alıce@…" apart from
    "alice@…"; sign-in must not then match it to alice's account (PostgreSQL's UPPER() would)."""
    PatientFactory(email="alice@example.org", password=TEST_PASSWORD)
    response = sign_in(client, "al\u0131ce@example.org", TEST_PASSWORD)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
