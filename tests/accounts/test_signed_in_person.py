"""The signed-in person and their authenticator, read in one query on every request
(accounts.middleware.AuthenticationMiddleware), and the session checked as Django checks it."""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import AuthenticationMiddleware, signed_in_person
from accounts.models import User
from tests.factories import ClinicianFactory, PatientFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:details")
SIGN_IN = reverse("accounts:login")
OLD_KEY, NEW_KEY = "an-old-secret-key-" + "o" * 40, "a-new-secret-key-" + "n" * 40


def request_of(client: Client):
    """A request carrying the client's session, loaded, so that only the person's own reads are counted."""
    request = RequestFactory().get("/")
    request.session = client.session
    request.session.load()
    return request


def same_values(read, expected) -> list[str]:
    """The fields whose value or Python type differ between two instances of a model."""
    return [
        field.attname
        for field in type(expected)._meta.concrete_fields
        if getattr(read, field.attname) != getattr(expected, field.attname)
        or type(getattr(read, field.attname)) is not type(getattr(expected, field.attname))
    ]


def test_the_person_and_their_authenticator_are_read_in_one_query_as_the_orm_reads_them(client):
    clinician = ClinicianFactory(last_login=timezone.now())
    device = TOTPDevice.objects.create(
        user=clinician, name="Phone", confirmed=True, throttling_failure_timestamp=timezone.now()
    )
    client.force_login(clinician)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    request = request_of(client)
    with CaptureQueriesContext(connection) as queries:
        person = signed_in_person(request)
    assert len(queries) == 1
    assert isinstance(person, User) and person.is_verified()
    assert same_values(person, User.objects.get(pk=clinician.pk)) == []
    assert same_values(person.otp_device, TOTPDevice.objects.get(pk=device.pk)) == []


def test_a_backup_code_device_is_read_with_the_person(client):
    clinician = ClinicianFactory()
    static = StaticDevice.objects.create(user=clinician, name="Backup codes", confirmed=True)
    client.force_login(clinician)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = static.persistent_id
    session.save()
    person = signed_in_person(request_of(client))
    assert person.otp_device == static and isinstance(person.otp_device, StaticDevice)


def test_a_person_without_a_second_factor_is_read_in_one_query_and_not_verified(client):
    patient = PatientFactory()
    client.force_login(patient)
    request = request_of(client)
    with CaptureQueriesContext(connection) as queries:
        person = signed_in_person(request)
    assert len(queries) == 1
    assert person == patient and person.otp_device is None and not person.is_verified()


def test_a_session_naming_no_one_is_signed_out(client):
    client.force_login(PatientFactory())
    session = client.session
    session[SESSION_KEY] = str(User.objects.order_by("-pk").first().pk + 1)
    session.save()
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)
    assert isinstance(response.wsgi_request.user, AnonymousUser)


def test_a_session_signed_with_a_retired_secret_key_holds_and_moves_to_the_current_one(client):
    patient = PatientFactory()
    with override_settings(SECRET_KEY=OLD_KEY):
        client.force_login(patient)
        old_session_key = client.session.session_key
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert client.get(PAGE).status_code == 200
        session = client.session
        assert session.session_key != old_session_key
        assert session[HASH_SESSION_KEY] == User.objects.get(pk=patient.pk).get_session_auth_hash()
    with override_settings(SECRET_KEY=NEW_KEY):  # the old key dropped: the session holds on its new hash
        assert client.get(PAGE).status_code == 200


def test_a_session_signed_with_a_secret_key_no_longer_known_is_signed_out_and_flushed(client):
    patient = PatientFactory()
    with override_settings(SECRET_KEY=OLD_KEY):
        client.force_login(patient)
    with override_settings(SECRET_KEY=NEW_KEY):
        response = client.get(PAGE)
        assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)
        assert BACKEND_SESSION_KEY not in client.session


def test_a_session_of_a_backend_no_longer_configured_is_signed_out(client):
    patient = PatientFactory()
    client.force_login(patient)
    session = client.session
    session[BACKEND_SESSION_KEY] = "accounts.backends.RetiredBackend"
    session.save()
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_a_session_of_another_configured_backend_is_read_by_django_and_django_otp(client):
    backend = "django.contrib.auth.backends.AllowAllUsersModelBackend"
    clinician = ClinicianFactory()
    device = TOTPDevice.objects.create(user=clinician, name="Phone", confirmed=True)
    with override_settings(AUTHENTICATION_BACKENDS=[backend]):
        client.force_login(clinician, backend=backend)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        person = signed_in_person(request_of(client))
        assert person == clinician and person.otp_device == device and person.is_verified()
        User.objects.filter(pk=clinician.pk).update(is_active=False)  # that backend lets them in still
        assert signed_in_person(request_of(client)) == clinician


def test_null_values_are_read_as_none(client):
    clinician = ClinicianFactory(last_login=None)
    device = TOTPDevice.objects.create(user=clinician, name="Phone", confirmed=True)
    client.force_login(clinician)
    User.objects.filter(pk=clinician.pk).update(last_login=None)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    person = signed_in_person(request_of(client))
    assert person.last_login is None and person.otp_device.throttling_failure_timestamp is None
    assert same_values(person, User.objects.get(pk=clinician.pk)) == []


def test_an_inactive_persons_session_reads_as_a_visitor_who_is_not_verified(client):
    patient = PatientFactory()
    client.force_login(patient)
    User.objects.filter(pk=patient.pk).update(is_active=False)
    person = signed_in_person(request_of(client))
    assert isinstance(person, AnonymousUser)
    assert person.otp_device is None and person.is_verified() is False


def test_a_session_without_a_password_hash_is_signed_out_and_flushed(client):
    client.force_login(PatientFactory())
    session = client.session
    del session[HASH_SESSION_KEY]
    session.save()
    request = request_of(client)
    assert isinstance(signed_in_person(request), AnonymousUser)
    assert BACKEND_SESSION_KEY not in request.session


@pytest.mark.parametrize("user_id", ["0", "-1", "9" * 25, "abc", "1.5", ""])
def test_a_session_whose_person_id_is_not_an_id_reads_as_a_visitor(client, user_id):
    client.force_login(PatientFactory())
    session = client.session
    session[SESSION_KEY] = user_id
    session.save()
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_without_model_backend_in_the_settings_its_sessions_are_signed_out(client):
    client.force_login(PatientFactory())
    with override_settings(
        AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    ):
        response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_another_backends_session_naming_no_device_passes_no_second_factor(client):
    backend = "django.contrib.auth.backends.AllowAllUsersModelBackend"
    clinician = ClinicianFactory()
    with override_settings(AUTHENTICATION_BACKENDS=[backend]):
        client.force_login(clinician, backend=backend)
        for forged in (
            "accounts.user/1",
            "nothing.here/1",
            "otp_totp.totpdevice/x",
            "otp_totp.totpdevice/" + "9" * 30,
        ):
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = forged
            session.save()
            person = signed_in_person(request_of(client))
            assert person == clinician and person.otp_device is None, forged


def test_auser_reads_the_session_again_after_request_user_was_read(client):
    patient = PatientFactory()
    client.force_login(patient)
    request = request_of(client)
    AuthenticationMiddleware(lambda request: None).process_request(request)
    assert request.user.pk == patient.pk
    request.session.flush()  # signed out in this request, after request.user was read
    assert isinstance(async_to_sync(request.auser)(), AnonymousUser)
