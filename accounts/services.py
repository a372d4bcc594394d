"""Writes to accounts that have rules: a person's role comes with its profile."""

import datetime

from django.db import transaction

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import ClinicianProfile, PatientProfile, Role, User


@transaction.atomic
def patient_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    time_zone: str | None = None,
    date_of_birth: datetime.date | None = None,
    affected_side: str = "",
    onset_date: datetime.date | None = None,
    sport_or_occupation: str = "",
    goals: str = "",
) -> User:
    user = _user_create(
        role=Role.PATIENT,
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        time_zone=time_zone,
    )
    profile = PatientProfile(
        user=user,
        date_of_birth=date_of_birth,
        affected_side=affected_side,
        onset_date=onset_date,
        sport_or_occupation=sport_or_occupation,
        goals=goals,
    )
    profile.full_clean()
    profile.save()
    return user


@transaction.atomic
def clinician_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    discipline: str,
    registration_number: str = "",
    time_zone: str | None = None,
) -> User:
    user = _user_create(
        role=Role.CLINICIAN,
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        time_zone=time_zone,
    )
    profile = ClinicianProfile(user=user, discipline=discipline, registration_number=registration_number)
    profile.full_clean()
    profile.save()
    return user


def admin_create(*, email: str, first_name: str, last_name: str, password: str | None) -> User:
    return User.objects.create_superuser(email, password, first_name=first_name, last_name=last_name)


def _user_create(
    *, email: str, first_name: str, last_name: str, password: str | None, role: str, time_zone: str | None
) -> User:
    fields = {"first_name": first_name, "last_name": last_name, "role": role}
    if time_zone:
        fields["time_zone"] = time_zone
    return User.objects.create_user(email, password, **fields)


@transaction.atomic
def user_update_details(
    *,
    user: User,
    first_name: str,
    last_name: str,
    time_zone: str,
    audit: AuditContext = WITHOUT_REQUEST,
    **profile_fields,
) -> User:
    """Save what a person may change about themselves; profile fields go to the profile of their role.
    A patient's details are part of their record, so that change is audited."""
    user.first_name, user.last_name, user.time_zone = first_name, last_name, time_zone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "time_zone"])
    profile = user.profile
    if profile is not None and profile_fields:
        for name, value in profile_fields.items():
            setattr(profile, name, value)
        profile.full_clean()
        profile.save(update_fields=list(profile_fields))
    if user.is_patient:
        audit_record(actor=user, action="patient.details.update", patient=user, audit=audit, obj=profile)
    return user


def patient_lock(*, patient: User) -> None:
    """Inside a transaction, make writes to one patient's record take turns.

    Checks such as "no active plan yet" or "not filled in today" find no row to lock while there is nothing
    yet; locking the patient's own row serialises two simultaneous requests (a double tap) instead.
    """
    User.objects.select_for_update().filter(pk=patient.pk).first()
