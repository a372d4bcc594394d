"""Writes to the care team record that have rules; each runs in one transaction and validates first.

Every service that changes a patient's record writes its own audit row in that transaction, naming the acting
user; callers pass the request's `AuditContext`, or nothing from the demo, a task or the shell.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import User
from accounts.services import patient_lock
from careteam.models import (
    Alert,
    AlertKind,
    AlertSeverity,
    CareTeamMembership,
    Note,
    NoteAddendum,
    Referral,
    ReferralStatus,
    TeamRole,
    Urgency,
    Visibility,
)
from common.clinic_time import clinic_today


def _discipline_of(clinician: User) -> str:
    profile = getattr(clinician, "clinician_profile", None) if clinician.is_clinician else None
    if profile is None:
        raise ValidationError(f"{clinician} is not a clinician with a discipline.")
    return profile.discipline


def _require_patient(patient: User) -> None:
    if not patient.is_patient:
        raise ValidationError(f"{patient} is not a patient.")


@transaction.atomic
def membership_add(
    *,
    patient: User,
    clinician: User,
    role: str = TeamRole.MEMBER,
    by: User | None,
    audit: AuditContext = WITHOUT_REQUEST,
    active_from: datetime.date | None = None,
) -> CareTeamMembership:
    """Put a clinician on a patient's team, in their own discipline, from `active_from` (default today).

    `by` is None only for set-up with nobody acting (the demo's first teams); that write has no actor to
    audit.
    """
    _require_patient(patient)
    discipline = _discipline_of(clinician)
    start = active_from or clinic_today()
    patient_lock(patient=patient)
    memberships = list(CareTeamMembership.objects.filter(patient=patient).running_on_or_after(start))
    if any(m.clinician_id == clinician.pk for m in memberships):
        raise ValidationError(f"{clinician} is already on this patient's care team.")
    if role == TeamRole.LEAD:
        current_lead = next((m for m in memberships if m.is_lead), None)
        if current_lead is not None:
            raise ValidationError(
                f"{current_lead.clinician} already leads this care team; end that membership first."
            )
    membership = CareTeamMembership(
        patient=patient,
        clinician=clinician,
        discipline=discipline,
        role=role,
        active_from=start,
        added_by=by,
    )
    membership.full_clean()
    membership.save()
    if by is not None:
        audit_record(actor=by, action="membership.add", patient=patient, audit=audit, obj=membership)
    return membership


@transaction.atomic
def membership_end(
    *,
    membership: CareTeamMembership,
    by: User,
    audit: AuditContext = WITHOUT_REQUEST,
    last_day: datetime.date | None = None,
) -> CareTeamMembership:
    """End a membership after `last_day` (default: yesterday, so access stops now).

    A membership that has not begun yet, or began today, ends "now" on the day before its first day: it is
    withdrawn and was never active.
    """
    membership = (
        CareTeamMembership.objects.select_for_update(of=("self",))
        .select_related("patient")
        .get(pk=membership.pk)
    )
    today = clinic_today()
    yesterday = today - datetime.timedelta(days=1)
    day_before_start = membership.active_from - datetime.timedelta(days=1)
    last_day = last_day or max(yesterday, day_before_start)
    if membership.active_to is not None and membership.active_to < today:
        raise ValidationError("This membership has already ended.")
    if last_day < yesterday:
        raise ValidationError("The last day cannot be earlier than yesterday; past access stays on record.")
    if last_day < day_before_start:
        raise ValidationError("The last day cannot be before the first day.")
    membership.active_to = last_day
    membership.ended_by = by
    membership.ended_at = timezone.now()
    membership.full_clean()
    membership.save(update_fields=["active_to", "ended_by", "ended_at"])
    audit_record(actor=by, action="membership.end", patient=membership.patient, audit=audit, obj=membership)
    return membership


@transaction.atomic
def note_create(
    *,
    patient: User,
    author: User,
    audit: AuditContext = WITHOUT_REQUEST,
    visibility: str = Visibility.TEAM,
    subjective: str = "",
    objective: str = "",
    assessment: str = "",
    plan: str = "",
    body: str = "",
    written_at: datetime.datetime | None = None,
) -> Note:
    """Write a note; the author's discipline is copied so the note keeps it. `written_at` is for demo data."""
    _require_patient(patient)
    note = Note(
        patient=patient,
        author=author,
        author_discipline=_discipline_of(author),
        visibility=visibility,
        subjective=subjective.strip(),
        objective=objective.strip(),
        assessment=assessment.strip(),
        plan=plan.strip(),
        body=body.strip(),
        created_at=written_at or timezone.now(),
    )
    note.full_clean()
    note.save()
    audit_record(actor=author, action="note.create", patient=patient, audit=audit, obj=note)
    return note


@transaction.atomic
def note_addendum_create(
    *, note: Note, author: User, audit: AuditContext = WITHOUT_REQUEST, reason: str, body: str
) -> NoteAddendum:
    addendum = NoteAddendum(
        note=note,
        author=author,
        author_discipline=_discipline_of(author),
        reason=reason.strip(),
        body=body.strip(),
    )
    addendum.full_clean()
    addendum.save()
    audit_record(actor=author, action="addendum.create", patient=note.patient, audit=audit, obj=addendum)
    return addendum


@transaction.atomic
def referral_create(
    *,
    patient: User,
    referred_by: User,
    audit: AuditContext = WITHOUT_REQUEST,
    discipline: str,
    reason: str,
    urgency: str = Urgency.ROUTINE,
    to_clinician: User | None = None,
) -> Referral:
    """Refer the patient to a named clinician (who joins the team on accepting) or to a discipline (where an
    acceptance waits for the lead's confirmation)."""
    _require_patient(patient)
    _discipline_of(referred_by)
    if to_clinician is not None:
        if not to_clinician.is_active or _discipline_of(to_clinician) != discipline:
            message = f"{to_clinician} is not a clinician of {discipline}; choose another, or nobody."
            raise ValidationError({"to_clinician": message})
        if CareTeamMembership.objects.active().filter(patient=patient, clinician=to_clinician).exists():
            raise ValidationError({"to_clinician": f"{to_clinician} is already on this patient's care team."})
    referral = Referral(
        patient=patient,
        referred_by=referred_by,
        discipline=discipline,
        to_clinician=to_clinician,
        reason=reason.strip(),
        urgency=urgency,
    )
    referral.full_clean()
    referral.save()
    audit_record(actor=referred_by, action="referral.create", patient=patient, audit=audit, obj=referral)
    return referral


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update(of=("self",)).select_related("patient").get(pk=referral.pk)


def _require_recipient(referral: Referral, clinician: User, verb: str) -> None:
    if referral.to_clinician_id is not None:
        if referral.to_clinician_id != clinician.pk:
            raise ValidationError(f"Only {referral.to_clinician} can {verb} this referral.")
    elif not clinician.is_clinician or _discipline_of(clinician) != referral.discipline:
        raise ValidationError(
            f"Only a clinician of {referral.get_discipline_display().lower()} can {verb} this referral."
        )


_WHICH: dict[str, str] = {
    ReferralStatus.OPEN: "an open referral",
    ReferralStatus.ACCEPTED: "an accepted referral",
    ReferralStatus.AWAITING_LEAD: "an acceptance waiting for the lead",
}


def _require_status(referral: Referral, status: str, verb: str) -> None:
    if referral.status != status:
        raise ValidationError(
            f"This referral is {referral.get_status_display().lower()}; only {_WHICH[status]} can be {verb}."
        )


def acceptance_needs_lead(referral: Referral, clinician: User) -> bool:
    """Whether `clinician` accepting `referral` must wait for the lead before they join the team.

    Only a referral naming the clinician vouches for them; and even then, a clinician who was on this team and
    was taken off it (or whose membership ran out) does not come back without the lead: accepting never
    re-opens a closed door. A clinician on the team today opens nothing by accepting.
    """
    if CareTeamMembership.objects.active().filter(patient=referral.patient, clinician=clinician).exists():
        return False
    if referral.to_clinician_id != clinician.pk:
        return True
    # Taken off (ended or withdrawn by someone, whatever its last day) or run out.
    return (
        CareTeamMembership.objects.filter(patient=referral.patient, clinician=clinician)
        .filter(Q(ended_at__isnull=False) | Q(active_to__lt=clinic_today()))
        .exists()
    )


def _join(referral: Referral, clinician: User, *, by: User, audit: AuditContext) -> None:
    """Put the clinician on the team unless a current or future membership already has them there."""
    already = CareTeamMembership.objects.filter(
        patient=referral.patient, clinician=clinician
    ).running_on_or_after(clinic_today())
    if not already.exists():
        membership_add(patient=referral.patient, clinician=clinician, by=by, audit=audit)


@transaction.atomic
def referral_accept(
    *, referral: Referral, clinician: User, audit: AuditContext = WITHOUT_REQUEST
) -> Referral:
    """Accept a referral addressed to you, by name or by discipline.

    Named, you join the patient's care team at once (an audited `membership.add` of its own). Otherwise (a
    referral to your discipline, or you were on this team before) the referral waits for the lead's
    confirmation and you get no access until then.
    """
    referral = _locked(referral)
    _require_status(referral, ReferralStatus.OPEN, "accepted")
    _require_recipient(referral, clinician, "accept")
    if not clinician.is_active:
        raise ValidationError("Your account is not active.")
    needs_lead = acceptance_needs_lead(referral, clinician)
    referral.status = ReferralStatus.AWAITING_LEAD if needs_lead else ReferralStatus.ACCEPTED
    referral.responded_by = clinician
    referral.responded_at = timezone.now()
    referral.full_clean()
    referral.save(update_fields=["status", "responded_by", "responded_at"])
    audit_record(
        actor=clinician,
        action="referral.accept",
        patient=referral.patient,
        audit=audit,
        obj=referral,
        detail="waiting for the lead's confirmation" if needs_lead else "joined the care team",
    )
    if not needs_lead:
        _join(referral, clinician, by=clinician, audit=audit)
    return referral


def _require_reviewer(referral: Referral, reviewer: User) -> None:
    """The patient's lead clinician today, or an admin (a team may be without a lead for a while)."""
    if reviewer.is_admin:
        return
    is_lead = CareTeamMembership.objects.active().filter(
        patient=referral.patient, clinician=reviewer, role=TeamRole.LEAD
    )
    if not is_lead.exists():
        raise ValidationError("Only the patient's lead clinician or an administrator can confirm this.")


@transaction.atomic
def referral_confirm(*, referral: Referral, by: User, audit: AuditContext = WITHOUT_REQUEST) -> Referral:
    """The lead confirms a clinician's acceptance: the referral is accepted and the clinician joins the team
    (added by the lead)."""
    referral = _locked(referral)
    _require_status(referral, ReferralStatus.AWAITING_LEAD, "confirmed")
    _require_reviewer(referral, by)
    clinician = referral.responded_by
    if clinician is None or not clinician.is_active or _discipline_of(clinician) != referral.discipline:
        raise ValidationError(
            f"{clinician} can no longer take this referral; decline it and refer the patient again."
        )
    referral.status = ReferralStatus.ACCEPTED
    referral.reviewed_by = by
    referral.reviewed_at = timezone.now()
    referral.full_clean()
    referral.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=by,
        action="referral.confirm",
        patient=referral.patient,
        audit=audit,
        obj=referral,
        detail=f"confirmed {clinician.get_full_name()}"[:300],
    )
    _join(referral, clinician, by=by, audit=audit)
    return referral


@transaction.atomic
def referral_decline_acceptance(
    *, referral: Referral, by: User, reason: str, audit: AuditContext = WITHOUT_REQUEST
) -> Referral:
    """The lead declines a clinician's acceptance, with the reason; the referral is closed as declined."""
    referral = _locked(referral)
    _require_status(referral, ReferralStatus.AWAITING_LEAD, "declined")
    _require_reviewer(referral, by)
    if not reason.strip():
        raise ValidationError("Say why you decline.")
    referral.status = ReferralStatus.DECLINED
    referral.reviewed_by = by
    referral.reviewed_at = timezone.now()
    referral.decline_reason = reason.strip()
    referral.full_clean()
    referral.save(update_fields=["status", "reviewed_by", "reviewed_at", "decline_reason"])
    audit_record(
        actor=by, action="referral.decline_acceptance", patient=referral.patient, audit=audit, obj=referral
    )
    return referral


@transaction.atomic
def referral_decline(
    *, referral: Referral, clinician: User, audit: AuditContext = WITHOUT_REQUEST, reason: str
) -> Referral:
    """The named clinician declines a referral. A referral to a discipline stays open until one of its
    clinicians accepts it: one clinician saying no does not close it for the others."""
    referral = _locked(referral)
    _require_status(referral, ReferralStatus.OPEN, "declined")
    if referral.to_clinician_id is None:
        raise ValidationError(
            "A referral to a discipline stays open for its other clinicians; you need not answer it."
        )
    _require_recipient(referral, clinician, "decline")
    if not reason.strip():
        raise ValidationError("Say why you decline the referral.")
    referral.status = ReferralStatus.DECLINED
    referral.responded_by = clinician
    referral.responded_at = timezone.now()
    referral.decline_reason = reason.strip()
    referral.full_clean()
    referral.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
    audit_record(
        actor=clinician, action="referral.decline", patient=referral.patient, audit=audit, obj=referral
    )
    return referral


@transaction.atomic
def referral_complete(
    *, referral: Referral, clinician: User, audit: AuditContext = WITHOUT_REQUEST
) -> Referral:
    """The clinician who accepted a referral, or the team's lead, marks it complete."""
    referral = _locked(referral)
    _require_status(referral, ReferralStatus.ACCEPTED, "completed")
    is_lead = CareTeamMembership.objects.active().filter(
        patient=referral.patient, clinician=clinician, role=TeamRole.LEAD
    )
    if referral.responded_by_id != clinician.pk and not is_lead.exists():
        raise ValidationError(
            "Only the clinician who accepted the referral or the lead clinician can complete it."
        )
    referral.status = ReferralStatus.COMPLETED
    referral.completed_by = clinician
    referral.completed_at = timezone.now()
    referral.full_clean()
    referral.save(update_fields=["status", "completed_by", "completed_at"])
    audit_record(
        actor=clinician, action="referral.complete", patient=referral.patient, audit=audit, obj=referral
    )
    return referral


def alert_raise(
    *,
    patient: User,
    kind: str,
    severity: str,
    trigger: str,
    dedupe_key: str = "",
    now: datetime.datetime | None = None,
) -> Alert | None:
    """Raise an alert for the patient's care team. The one way other apps ask a clinician to look.

    Called from inside other services (a session log, the self-check), which audit the write that caused it;
    it writes no audit row of its own.

    kind: an `AlertKind` value; severity: an `AlertSeverity` value (low, medium, high); trigger: what
    happened, in words a clinician reads in the inbox. With a `dedupe_key`, the alert is raised at most once
    per patient, kind and key: a repeated call returns None and creates nothing, even when two calls race.
    `now` is when it was raised: the moment of the service that raises it.
    """
    _require_patient(patient)
    if dedupe_key and Alert.objects.filter(patient=patient, kind=kind, dedupe_key=dedupe_key).exists():
        return None
    alert = Alert(
        patient=patient,
        kind=kind,
        severity=severity,
        trigger=trigger.strip(),
        dedupe_key=dedupe_key,
        raised_at=now or timezone.now(),
    )
    alert.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        if dedupe_key and Alert.objects.filter(patient=patient, kind=kind, dedupe_key=dedupe_key).exists():
            return None
        raise
    return alert


@transaction.atomic
def alert_acknowledge(
    *,
    alert: Alert,
    by: User,
    comment: str = "",
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> Alert:
    """Mark an alert seen and dealt with. The note of what was done is optional: who and when are kept
    either way, and a busy clinician should not have to type to clear an alert they have handled."""
    alert = Alert.objects.select_for_update(of=("self",)).select_related("patient").get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise ValidationError(f"{alert.acknowledged_by} already acknowledged this alert.")
    _acknowledge(alert, by=by, comment=comment, audit=audit, now=now or timezone.now())
    return alert


def _acknowledge(
    alert: Alert, *, by: User, comment: str, audit: AuditContext, now: datetime.datetime
) -> None:
    """Mark an open alert, locked by the caller, acknowledged, and audit it."""
    alert.acknowledged_by = by
    alert.acknowledged_at = now
    alert.acknowledge_comment = comment.strip()
    alert.full_clean()
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledge_comment"])
    audit_record(actor=by, action="alert.acknowledge", patient=alert.patient, audit=audit, obj=alert)


@transaction.atomic
def alerts_acknowledge(
    *, alerts: Sequence[Alert], by: User, comment: str = "", audit: AuditContext = WITHOUT_REQUEST
) -> tuple[list[Alert], list[Alert]]:
    """Acknowledge several alerts at once, with one optional note. Returns (acknowledged, already
    acknowledged by someone else meanwhile): the second are left as they are, not an error for the rest."""
    now = timezone.now()
    # Lock them all in one query, as `alert_acknowledge` locks one, rather than one query per alert.
    locked = {
        alert.pk: alert
        for alert in Alert.objects.select_for_update(of=("self",))
        .select_related("patient")
        .filter(pk__in=[alert.pk for alert in alerts])
    }
    done, taken = [], []
    for alert in alerts:
        current = locked.get(alert.pk)
        if current is None or current.acknowledged_at is not None:
            taken.append(alert)
            continue
        _acknowledge(current, by=by, comment=comment, audit=audit, now=now)
        done.append(current)
    return done, taken


__all__ = [
    "AlertKind",
    "AlertSeverity",
    "alert_acknowledge",
    "alerts_acknowledge",
    "alert_raise",
    "membership_add",
    "membership_end",
    "note_addendum_create",
    "note_create",
    "referral_accept",
    "referral_complete",
    "referral_confirm",
    "referral_create",
    "referral_decline",
    "referral_decline_acceptance",
]
