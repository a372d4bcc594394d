from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User

pytestmark = pytest.mark.django_db

DEMO_EMAILS = {
    "patient@demo.test": Role.PATIENT,
    "physio@demo.test": Role.CLINICIAN,
    "chiro@demo.test": Role.CLINICIAN,
    "massage@demo.test": Role.CLINICIAN,
    "kinesiology@demo.test": Role.CLINICIAN,
    "nutrition@demo.test": Role.CLINICIAN,
    "psychotherapy@demo.test": Role.CLINICIAN,
    "admin@demo.test": Role.ADMIN,
}


def test_seed_demo_run_twice_creates_each_account_once_and_keeps_changes(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    patient = User.objects.get(email="patient@demo.test")
    patient.first_name = "Changed by the user"
    patient.save()

    call_command("seed_demo", stdout=StringIO())

    assert {user.email: user.role for user in User.objects.all()} == DEMO_EMAILS
    patient.refresh_from_db()
    assert patient.first_name == "Changed by the user"


def test_every_demo_account_signs_in_with_the_published_password(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    for email in DEMO_EMAILS:
        # The lockout backend (django-axes) checks a password only for a request it can count against.
        assert client.login(request=HttpRequest(), username=email, password=DEMO_PASSWORD), email
        client.logout()


def test_the_demo_patient_is_a_runner_and_the_physio_a_physiotherapist(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    patient = User.objects.get(email="patient@demo.test")
    assert "runner" in patient.patient_profile.sport_or_occupation.lower()
    assert User.objects.get(email="physio@demo.test").clinician_profile.discipline == "physiotherapy"


def test_seed_demo_refuses_to_run_outside_demo_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs in demo mode"):
        call_command("seed_demo")
    assert not User.objects.exists()
