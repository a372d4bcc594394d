"""Writes to accounts that have rules: a person's role comes with its profile; the audit log."""

import datetime
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest

from accounts.models import AuditEvent, ClinicianProfile, PatientProfile, Role, User


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
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        role=Role.PATIENT,
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
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        role=Role.CLINICIAN,
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
    *, user: User, first_name: str, last_name: str, time_zone: str, **profile_fields
) -> User:
    """Save what a person may change about themselves; profile fields go to the profile of their role."""
    user.first_name, user.last_name, user.time_zone = first_name, last_name, time_zone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "time_zone"])
    profile = user.profile
    if profile is not None and profile_fields:
        for name, value in profile_fields.items():
            setattr(profile, name, value)
        profile.full_clean()
        profile.save(update_fields=list(profile_fields))
    return user


def patient_lock(*, patient: User) -> None:
    """Inside a transaction, make writes to one patient's record take turns.

    Checks such as "no active plan yet" or "not filled in today" find no row to lock while there is nothing
    yet; locking the patient's own row serialises two simultaneous requests (a double tap) instead.
    """
    User.objects.select_for_update().filter(pk=patient.pk).first()


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address. Behind our TLS proxy it is the last X-Forwarded-For entry, the one the proxy
    itself appended; earlier entries are written by the client and prove nothing. Anything that is not an IP
    address is ignored rather than stored."""
    candidates = []
    if settings.BEHIND_TLS_PROXY:
        candidates.append(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def audit_record(
    *,
    actor: User,
    action: str,
    patient: User | None,
    request: HttpRequest | None = None,
    obj: Model | None = None,
) -> AuditEvent:
    """Write one audit row. `obj` names what was read or written, by its public id when it has one."""
    event = AuditEvent(
        actor=actor,
        action=action,
        patient=patient,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(getattr(obj, "public_id", None) or getattr(obj, "pk", "")) if obj is not None else "",
        ip=client_ip(request) if request is not None else None,
    )
    event.full_clean(exclude=["actor", "patient"])  # given as saved instances; no need to look them up again
    event.save()
    return event


def audit_record_many(
    *, actor: User, action: str, patients: Iterable[User], request: HttpRequest | None = None
) -> None:
    """One audit row per patient shown on a page that lists several, in one insert."""
    ip = client_ip(request) if request is not None else None
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor=actor, action=action, patient=patient, ip=ip) for patient in patients]
    )
