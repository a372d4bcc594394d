import datetime

import factory

from accounts.models import ClinicianProfile, Discipline, PatientProfile, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.PATIENT
    password = factory.django.Password(TEST_PASSWORD)


class PatientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile

    user = factory.SubFactory(UserFactory, role=Role.PATIENT)
    date_of_birth = datetime.date(1985, 6, 1)
    affected_side = "left"
    onset_date = datetime.date(2026, 3, 1)
    sport_or_occupation = "Runner"
    goals = "Run 10 km without pain"


class ClinicianProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicianProfile

    user = factory.SubFactory(UserFactory, role=Role.CLINICIAN)
    discipline = Discipline.PHYSIOTHERAPY
    registration_number = factory.Sequence(lambda n: f"PH{n:06d}")


class PatientFactory(UserFactory):
    """A patient user with their profile."""

    role = Role.PATIENT
    profile = factory.RelatedFactory(PatientProfileFactory, factory_related_name="user")


class ClinicianFactory(UserFactory):
    """A clinician user with their profile; choose the discipline with profile__discipline=..."""

    role = Role.CLINICIAN
    profile = factory.RelatedFactory(ClinicianProfileFactory, factory_related_name="user")


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_superuser = True
