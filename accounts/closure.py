"""Closing a patient's account: the patient asks, sign-in stops at once, an admin completes the request.

Health records are never deleted: the clinic must keep them for years after the last treatment. Closing
marks them closed (`PatientProfile.closed_at`) and keeps the person out of the portal. The care team is told
by the portal layer (`portal.data_rights.account_close`), which calls `closure_request_open`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditContext, audit_record
from accounts.models import AccountClosureRequest, PatientProfile, User


@transaction.atomic
def closure_request_open(
    *, patient: User, reason: str, audit: AuditContext, now: datetime.datetime | None = None
) -> AccountClosureRequest:
    """Record the patient's request and stop their sign-in: an inactive user cannot sign in, and every
    session of theirs stops authenticating on its next request. Audited as "patient.account_closure"."""
    if not patient.is_patient:
        raise ValidationError("Only a patient can ask to close their account here.")
    patient = User.objects.select_for_update().get(pk=patient.pk)
    if AccountClosureRequest.objects.filter(patient=patient, completed_at__isnull=True).exists():
        raise ValidationError("You have already asked to close your account.")
    closure = AccountClosureRequest(
        patient=patient, reason=reason.strip(), requested_at=now or timezone.now()
    )
    closure.full_clean(exclude=["patient"])
    closure.save()
    patient.is_active = False
    patient.save(update_fields=["is_active"])
    audit_record(actor=patient, action="patient.account_closure", patient=patient, audit=audit, obj=closure)
    return closure


@transaction.atomic
def closure_complete(
    *, closure: AccountClosureRequest, by: User, audit: AuditContext, now: datetime.datetime | None = None
) -> bool:
    """An admin completes a request: who and when are recorded, and the patient's records are marked closed.
    Returns False, changing nothing, when the request was already complete. Audited as
    "admin.account_closure_complete"."""
    if not by.is_admin:
        raise ValidationError("Only an admin can complete an account closure.")
    moment = now or timezone.now()
    completed = AccountClosureRequest.objects.filter(pk=closure.pk, completed_at__isnull=True).update(
        completed_at=moment, completed_by=by
    )
    if not completed:
        return False
    User.objects.filter(pk=closure.patient_id).update(is_active=False)
    PatientProfile.objects.filter(user_id=closure.patient_id, closed_at__isnull=True).update(closed_at=moment)
    closure.refresh_from_db()
    audit_record(
        actor=by, action="admin.account_closure_complete", patient=closure.patient, audit=audit, obj=closure
    )
    return True
