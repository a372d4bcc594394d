"""The audit log: who read or wrote which patient's record, what, when and from where.

Writes are audited by the service that makes them, in the same transaction, whoever the actor is. Staff
reads are audited by the access helper that hands the record out (`audit_staff_read`); a patient reading
their own record is not. Either way the caller passes the request's `AuditContext`, or `WITHOUT_REQUEST`
from the demo, a task or the shell.

A staff read's rows, in a transaction of their own, are committed without waiting for the disk on
PostgreSQL unless settings.AUDIT_READS_WAIT_FOR_DISK (`_insert_staff_reads`).
"""

import dataclasses
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import USER_AGENT_MAX_LENGTH, AuditEvent, Role, User
from common.private_page_cache import KeptPage


@dataclasses.dataclass(frozen=True)
class AuditContext:
    """Where a read or write came from: the client's address and browser."""

    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def of(cls, request: HttpRequest) -> "AuditContext":
        user_agent = request.META.get("HTTP_USER_AGENT", "")
        return cls(ip=client_ip(request), user_agent=user_agent[:USER_AGENT_MAX_LENGTH])


WITHOUT_REQUEST = AuditContext()


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


def is_staff_user(user: User) -> bool:
    """Clinicians and admins: the people whose reads of a record are audited."""
    return user.is_authenticated and user.role in (Role.CLINICIAN, Role.ADMIN)


def _event(
    *,
    actor: User | None,
    action: str,
    patient: User | None,
    audit: AuditContext,
    obj: Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """An audit row, not yet saved. `obj` names what was read or written, by its public id when it has one."""
    return AuditEvent(
        actor=actor,
        action=action,
        detail=detail[:300],
        patient=patient,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(getattr(obj, "public_id", None) or getattr(obj, "pk", "")) if obj is not None else "",
        ip=audit.ip,
        user_agent=audit.user_agent,
    )


def audit_record(
    *,
    actor: User | None,
    action: str,
    patient: User | None,
    audit: AuditContext,
    obj: Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """Write one audit row."""
    event = _event(actor=actor, action=action, patient=patient, audit=audit, obj=obj, detail=detail)
    event.full_clean(exclude=["actor", "patient"])  # given as saved instances; no need to look them up again
    event.save()
    return event


def audit_staff_read(
    *, actor: User, action: str, patient: User, audit: AuditContext, obj: Model | None = None
) -> None:
    """Record a staff read of a patient's record; patients looking at their own are not recorded."""
    if is_staff_user(actor):
        shared = _event(actor=actor, action=action, patient=None, audit=audit, obj=obj)
        shared.full_clean(exclude=["actor", "patient"])
        _insert_staff_reads(shared, [patient.pk])


def audit_staff_read_again(*, actor: User, action: str, patient_ids: list[int], audit: AuditContext) -> None:
    """The rows `audit_staff_read_many` wrote for a list page (and which it writes through this), written
    again when the same page is served kept (common/private_page_cache.py): the same patients are shown."""
    if is_staff_user(actor) and patient_ids:
        _insert_staff_reads(_event(actor=actor, action=action, patient=None, audit=audit), patient_ids)


def _insert_staff_reads(shared: AuditEvent, patient_ids: list[int]) -> None:
    """One row like `shared` for each patient, in one INSERT ... SELECT over their ids, its other values
    prepared once by their fields as the ORM would: the rows differ only by patient, and `bulk_create` would
    build a model and every value of every row, more than the rest of serving a kept page.

    Alone in its transaction (autocommit), on PostgreSQL, the statement is committed without waiting for
    the disk (`synchronous_commit` off for that transaction only, set by the statement itself), unless
    settings.AUDIT_READS_WAIT_FOR_DISK: the wait was a fifth to a third of serving a kept page to staff. The
    rows are committed, and seen by every later query, before the page is sent; a crash of the database
    server itself could lose those of its last fraction of a second (three times `wal_writer_delay`, 0.6 s
    by default), never leave the log inconsistent. Inside a transaction already open (a write) they commit
    with it, waiting as it does; changes to a record, their audit rows and sign-ins always wait."""
    shared.at = timezone.now()
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(field.column) for field in fields)
    patient_id = f"patient.{qn(User._meta.pk.column)}"  # type: ignore[union-attr]  # every model has one
    chosen = ", ".join(patient_id if field.name == "patient" else "%s" for field in fields)
    params = [
        field.get_db_prep_save(getattr(shared, field.attname), connection)
        for field in fields
        if field.name != "patient"
    ]
    params += patient_ids
    ids = ", ".join(["%s"] * len(patient_ids))
    audit_table, user_table = qn(AuditEvent._meta.db_table), qn(User._meta.db_table)
    first, source = "", f"{user_table} AS patient"
    alone = connection.vendor == "postgresql" and not connection.in_atomic_block
    if alone and not settings.AUDIT_READS_WAIT_FOR_DISK:
        first = "WITH no_wait AS (SELECT set_config('synchronous_commit', 'off', true)) "
        source += " CROSS JOIN no_wait"
    # Names from the models and placeholders only; every value goes as a parameter.
    sql = (
        f"{first}INSERT INTO {audit_table} ({columns}) SELECT {chosen} "  # noqa: S608
        f"FROM {source} WHERE {patient_id} IN ({ids})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def kept_and_audited(kept: KeptPage, *, actor: User, action: str, audit: AuditContext) -> HttpResponse | None:
    """The page kept for a member of staff (common/private_page_cache.py), with the audit rows of the patients
    it shows (kept with it as its memo) written again, as drawing it would; None when it must be drawn."""
    served = kept.served()
    if served is None:
        return None
    audit_staff_read_again(actor=actor, action=action, patient_ids=served.memo, audit=audit)
    return served.response


def audit_staff_read_many(*, actor: User, action: str, patients: Iterable[User], audit: AuditContext) -> None:
    """One audit row per patient shown on a page that lists several, in one insert."""
    audit_staff_read_again(
        actor=actor, action=action, patient_ids=[patient.pk for patient in patients], audit=audit
    )
