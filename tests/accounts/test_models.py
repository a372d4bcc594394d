import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from accounts import services
from accounts.models import ClinicianProfile, PatientProfile, Role, User
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_stored_lowercase():
    user = User.objects.create_user(
        "Jo.Bloggs@Example.TEST", "a-long-password", first_name="Jo", last_name="B"
    )
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username")
    assert user.email == "jo.bloggs@example.test"
    assert User.objects.get_by_natural_key("JO.BLOGGS@example.test") == user


def test_two_accounts_cannot_share_an_email_whatever_its_case():
    User.objects.create_user("sam@example.test", "a-long-password", first_name="S", last_name="A")
    with pytest.raises(IntegrityError):
        User.objects.create(email="SAM@example.test", first_name="S", last_name="B")


def test_create_superuser_makes_an_admin_who_may_use_the_admin_site():
    admin = User.objects.create_superuser(
        "boss@example.test", "a-long-password", first_name="B", last_name="C"
    )
    assert admin.role == Role.ADMIN
    assert admin.is_staff and admin.is_superuser and admin.is_admin


@pytest.mark.parametrize("role", [Role.PATIENT, Role.CLINICIAN])
def test_patients_and_clinicians_may_not_use_the_admin_site(role):
    user = User.objects.create_user(
        f"{role}@example.test", "a-long-password", first_name="A", last_name="B", role=role
    )
    assert not user.is_staff


def test_time_zone_defaults_to_the_clinics(settings):
    settings.CLINIC_TIME_ZONE = "Europe/Dublin"
    user = User.objects.create_user("tz@example.test", "a-long-password", first_name="T", last_name="Z")
    assert user.time_zone == "Europe/Dublin"
    assert str(user.zone) == "Europe/Dublin"


@pytest.mark.parametrize("bad_zone", ["Mars/Olympus_Mons", "", "../../etc/passwd", "Europe/Londres"])
def test_a_time_zone_that_is_not_an_iana_name_is_rejected(bad_zone):
    user = PatientFactory.build(time_zone=bad_zone)
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert "time_zone" in error.value.message_dict


def test_patient_create_gives_the_patient_role_and_a_profile():
    user = services.patient_create(
        email="runner@example.test",
        first_name="Rita",
        last_name="Runner",
        password="a-long-password",
        affected_side="right",
        sport_or_occupation="Trail running",
    )
    assert user.role == Role.PATIENT
    assert user.patient_profile.affected_side == "right"
    assert user.patient_profile.public_id is not None
    assert user.check_password("a-long-password")


def test_clinician_create_refuses_an_unknown_discipline_and_saves_nothing():
    with pytest.raises(ValidationError):
        services.clinician_create(
            email="x@example.test",
            first_name="X",
            last_name="Y",
            password="a-long-password",
            discipline="astrology",
        )
    assert not User.objects.filter(email="x@example.test").exists()
    assert not ClinicianProfile.objects.exists()


def test_patient_profile_refuses_symptoms_in_the_future_or_before_birth():
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    profile = PatientProfile(date_of_birth=datetime.date(1990, 1, 1), onset_date=tomorrow)
    with pytest.raises(ValidationError) as error:
        profile.clean()
    assert "onset_date" in error.value.message_dict
    profile = PatientProfile(date_of_birth=datetime.date(1990, 1, 1), onset_date=datetime.date(1989, 1, 1))
    with pytest.raises(ValidationError) as error:
        profile.clean()
    assert error.value.message_dict["onset_date"] == ["Symptoms cannot begin before the date of birth."]


def test_role_outside_the_three_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        User.objects.create(email="odd@example.test", first_name="O", last_name="D", role="superhero")
