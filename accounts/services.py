"""Writes to accounts that have rules: a person's role comes with its profile."""

import datetime

from django.db import transaction
from django.db.models import Model

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import (
    EMAIL_MAX_LENGTH,
    AuditEvent,
    ClinicianProfile,
    PatientProfile,
    Role,
    User,
    sign_in_address,
)


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
    A patient's details are part of their record, so that change is audited, and so is anyone's change of
    time zone, which decides which day "today" is for them."""
    # From the database: a ModelForm bound to this user has already set the new values on the instance.
    previous_time_zone = User.objects.values_list("time_zone", flat=True).get(pk=user.pk)
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
    if time_zone != previous_time_zone:
        audit_record(
            actor=user, action="account.time_zone_change", patient=None, audit=audit,
            detail=f"{previous_time_zone} -> {time_zone}",
        )  # fmt: skip
    return user


def account_for_address(address: str) -> User | None:
    """The account an email address signs in to, compared as sign-in compares it (`get_by_natural_key`)."""
    address = sign_in_address(address)[:EMAIL_MAX_LENGTH]
    if not address:
        return None
    return User.objects.filter(email=address).first()


def audit_auth_event(
    *,
    action: str,
    audit: AuditContext,
    actor: User | None = None,
    address: str = "",
    obj: Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """Audit a sign-in, sign-out, lockout or password event. An event that names an email address rather
    than a signed-in person (a failed sign-in, a lockout, a reset request) is the account's, when an account
    has that address; when none has, the actor stays empty and the detail keeps the address as typed."""
    if actor is None and address:
        actor = account_for_address(address)
        if actor is None:
            typed = address.strip()[:EMAIL_MAX_LENGTH]
            detail = f"{typed}: {detail}" if detail else typed
    return audit_record(actor=actor, action=action, patient=None, audit=audit, obj=obj, detail=detail)


def patient_lock(*, patient: User) -> None:
    """Inside a transaction, make writes to one patient's record take turns.

    Checks such as "no active plan yet" or "not filled in today" find no row to lock while there is nothing
    yet; locking the patient's own row serialises two simultaneous requests (a double tap) instead.
    """
    User.objects.select_for_update().filter(pk=patient.pk).first()
