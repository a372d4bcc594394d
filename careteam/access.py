"""Who may see which patient: the one door to patient data.

- A patient sees only their own record.
- A clinician sees only patients of a care team they are active on today.
- An admin sees everything, and every read and write is audited (as for clinicians).

Every `*_for_user` helper raises `Http404` for a missing object and a forbidden one alike, so ids leak
nothing, and records the staff read it hands out in the audit log under the `action` the page names (writes
are audited by the services that make them).
"""

import dataclasses
import uuid
from collections.abc import Callable

from django.core.paginator import Page
from django.db.models import CharField, OuterRef, Subquery, Value
from django.http import Http404

from accounts.audit import AuditContext, audit_staff_read, audit_staff_read_many, is_staff_user
from accounts.models import Role, User
from careteam import selectors
from careteam.models import Alert, CareTeamMembership, Note, Referral, ReferralStatus, TeamRole

INBOX_VIEW = "alert_inbox.view"


def _uuid(value: str | uuid.UUID) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


@dataclasses.dataclass(frozen=True)
class PatientPermissions:
    """What one user may do with one patient's record today, worked out with at most one query."""

    view: bool = False  # anything of the patient: their own pages, or the record for staff
    view_record: bool = False  # the staff pages of the record: team-only notes, referrals, timeline
    write_note: bool = False
    change_plan: bool = False
    refer: bool = False
    acknowledge_alert: bool = False
    manage_team: bool = False


def team_role(user: User, patient: User) -> str | None:
    """The role of the user's membership of the patient's team today, or None when they are not on it."""
    if not user.is_authenticated or not user.is_clinician:
        return None
    membership = (
        CareTeamMembership.objects.active().filter(patient=patient, clinician=user).only("role").first()
    )
    return membership.role if membership is not None else None


def permissions_for(user: User, patient: User) -> PatientPermissions:
    return _permissions(user, patient, lambda: team_role(user, patient))


def _permissions(user: User, patient: User, role_of: Callable[[], str | None]) -> PatientPermissions:
    """`role_of` gives the user's team role, asked only for a clinician."""
    if not user.is_authenticated or not user.is_active:
        return PatientPermissions()
    if user.is_admin:
        return PatientPermissions(view=True, view_record=True, manage_team=True)
    if user.is_patient:
        return PatientPermissions(view=user.pk == patient.pk)
    role = role_of()
    if role is None:
        return PatientPermissions()
    return PatientPermissions(
        view=True,
        view_record=True,
        write_note=True,
        change_plan=True,
        refer=True,
        acknowledge_alert=True,
        manage_team=role == TeamRole.LEAD,
    )


def is_active_team_member(user: User, patient: User) -> bool:
    return team_role(user, patient) is not None


def is_active_lead(user: User, patient: User) -> bool:
    return team_role(user, patient) == TeamRole.LEAD


def may_view_patient(user: User, patient: User) -> bool:
    return permissions_for(user, patient).view


def may_view_clinical_record(user: User, patient: User) -> bool:
    """The staff view of a record (team-only notes, referrals, timeline); patients use "My care team"."""
    return permissions_for(user, patient).view_record


def may_write_note(user: User, patient: User) -> bool:
    return permissions_for(user, patient).write_note


def may_change_plan(user: User, patient: User) -> bool:
    return permissions_for(user, patient).change_plan


def may_refer(user: User, patient: User) -> bool:
    return permissions_for(user, patient).refer


def may_acknowledge_alert(user: User, patient: User) -> bool:
    return permissions_for(user, patient).acknowledge_alert


def may_manage_team(user: User, patient: User) -> bool:
    return permissions_for(user, patient).manage_team


class ReferralView:
    """How much of a referral a user sees. FULL: the patient, the reason and the history. BRIEF: only what a
    clinician needs to offer to take a referral to their discipline (the discipline, urgency, date and
    referring clinician), never the patient's name or the reason, until the lead confirms them."""

    FULL = "full"
    BRIEF = "brief"


def referral_view(user: User, referral: Referral) -> str | None:
    """FULL for the patient's team and admins, and for the clinician a referral names while it is open; BRIEF
    for a clinician of the discipline while an unnamed referral is open, or while their acceptance waits for
    the lead; None (not found) for anyone else."""
    if may_view_clinical_record(user, referral.patient):
        return ReferralView.FULL
    if not user.is_authenticated or not user.is_active or not user.is_clinician:
        return None
    if referral.status == ReferralStatus.OPEN and is_referral_recipient(user, referral):
        return ReferralView.FULL if referral.to_clinician_id == user.pk else ReferralView.BRIEF
    if referral.status == ReferralStatus.AWAITING_LEAD and referral.responded_by_id == user.pk:
        return ReferralView.BRIEF
    return None


def may_view_referral(user: User, referral: Referral) -> bool:
    return referral_view(user, referral) is not None


def is_referral_recipient(user: User, referral: Referral) -> bool:
    if not user.is_authenticated or not user.is_active or not user.is_clinician:
        return False
    if referral.to_clinician_id is not None:
        return referral.to_clinician_id == user.pk
    profile = getattr(user, "clinician_profile", None)
    return profile is not None and profile.discipline == referral.discipline


def may_review_acceptance(user: User, referral: Referral) -> bool:
    """The lead (or an admin) confirms or declines a clinician's acceptance waiting for them."""
    return referral.status == ReferralStatus.AWAITING_LEAD and may_manage_team(user, referral.patient)


def _patient(public_id: str | uuid.UUID, *, viewer: User) -> User:
    """The patient with `viewer_role`, the viewer's team role today (None when not on the team or not a
    clinician), read in the same query."""
    patients = User.objects.select_related("patient_profile").filter(
        role=Role.PATIENT, patient_profile__public_id=_uuid(public_id)
    )
    if viewer.is_authenticated and viewer.is_clinician:
        membership = CareTeamMembership.objects.active().filter(patient=OuterRef("pk"), clinician=viewer)
        patients = patients.annotate(viewer_role=Subquery(membership.values("role")[:1]))
    else:
        patients = patients.annotate(viewer_role=Value(None, output_field=CharField()))
    patient = patients.first()
    if patient is None:
        raise Http404
    return patient


def _patient_where(
    user: User, public_id: str | uuid.UUID, allowed: str, *, audit: AuditContext, action: str
) -> tuple[User, PatientPermissions]:
    patient = _patient(public_id, viewer=user)
    permissions = _permissions(user, patient, lambda: patient.viewer_role)  # type: ignore[attr-defined]
    if not getattr(permissions, allowed):
        raise Http404
    audit_staff_read(actor=user, action=action, patient=patient, audit=audit)
    patient._door_permissions = (user.pk, permissions)  # type: ignore[attr-defined]
    return patient, permissions


def permissions_at_door(user: User, patient: User) -> PatientPermissions:
    """What the user may do with a patient that a door here handed out to them in this request, without asking
    the database again (for the parts of a page, such as the record's panels, that get only the patient);
    worked out afresh for a patient that came another way."""
    known = getattr(patient, "_door_permissions", None)
    if known is not None and known[0] == user.pk:
        return known[1]
    return permissions_for(user, patient)


def patient_record_for_user(
    user: User, public_id: str | uuid.UUID, *, audit: AuditContext, action: str
) -> User:
    """The patient, for the staff pages of the record (404 for the patient themself, too)."""
    return _patient_where(user, public_id, "view_record", audit=audit, action=action)[0]


def patient_record_with_permissions_for_user(
    user: User, public_id: str | uuid.UUID, *, audit: AuditContext, action: str
) -> tuple[User, PatientPermissions]:
    """As `patient_record_for_user`, with what the user may do there, without asking the database twice."""
    return _patient_where(user, public_id, "view_record", audit=audit, action=action)


def patient_record_with_team_for_user(
    user: User, public_id: str | uuid.UUID, *, audit: AuditContext, action: str
) -> tuple[User, PatientPermissions, list[CareTeamMembership]]:
    """As `patient_record_with_permissions_for_user`, with today's team (`selectors.team_of`), in one query
    when the patient has a team: the team's memberships carry the patient and the user's role."""
    team = list(selectors.team_of_public_id(_uuid(public_id)))
    if not team:
        patient, permissions = _patient_where(user, public_id, "view_record", audit=audit, action=action)
        return patient, permissions, team
    patient = team[0].patient
    roles = sorted(membership.role for membership in team if membership.clinician_id == user.pk)
    permissions = _permissions(user, patient, lambda: roles[0] if roles else None)
    if not permissions.view_record:
        raise Http404
    audit_staff_read(actor=user, action=action, patient=patient, audit=audit)
    patient._door_permissions = (user.pk, permissions)  # type: ignore[attr-defined]
    return patient, permissions, team


def patient_for_note_writer(user: User, public_id: str | uuid.UUID, *, audit: AuditContext) -> User:
    return _patient_where(user, public_id, "write_note", audit=audit, action="note_form.view")[0]


def patient_for_referrer(user: User, public_id: str | uuid.UUID, *, audit: AuditContext) -> User:
    return _patient_where(user, public_id, "refer", audit=audit, action="referral_form.view")[0]


def patient_for_plan_editor(user: User, public_id: str | uuid.UUID, *, audit: AuditContext) -> User:
    """The patient, for assigning a plan: the team's clinicians (admins read plans but do not write them)."""
    return _patient_where(user, public_id, "change_plan", audit=audit, action="rehab.plan.view")[0]


def patient_for_team_clinician(
    user: User, public_id: str | uuid.UUID, *, audit: AuditContext, action: str
) -> User:
    """The patient, for a change only the team's clinicians make to what the patient gets (such as suggested
    reminder times); admins read the record but do not write it."""
    return _patient_where(user, public_id, "change_plan", audit=audit, action=action)[0]


def patient_for_team_manager(user: User, public_id: str | uuid.UUID, *, audit: AuditContext) -> User:
    """The patient, for a change to their care team: the team's lead and admins only."""
    return _patient_where(user, public_id, "manage_team", audit=audit, action="team.view")[0]


def note_for_writer(user: User, public_id: str | uuid.UUID, *, audit: AuditContext) -> Note:
    note = Note.objects.select_related("patient", "author").filter(public_id=_uuid(public_id)).first()
    if note is None or not may_write_note(user, note.patient):
        raise Http404
    audit_staff_read(actor=user, action="note.view", patient=note.patient, audit=audit, obj=note)
    return note


def referral_for_user(user: User, public_id: str | uuid.UUID, *, audit: AuditContext) -> tuple[Referral, str]:
    """The referral and how much of it the user sees (a `ReferralView`)."""
    referral = (
        Referral.objects.select_related(
            "patient", "referred_by", "to_clinician", "responded_by", "reviewed_by", "completed_by"
        )
        .filter(public_id=_uuid(public_id))
        .first()
    )
    view = referral_view(user, referral) if referral is not None else None
    if referral is None or view is None:
        raise Http404
    audit_staff_read(actor=user, action="referral.view", patient=referral.patient, audit=audit, obj=referral)
    return referral, view


def alert_for_acknowledger(user: User, public_id: str | uuid.UUID, *, audit: AuditContext) -> Alert:
    alert = Alert.objects.select_related("patient").filter(public_id=_uuid(public_id)).first()
    if alert is None or not may_acknowledge_alert(user, alert.patient):
        raise Http404
    audit_staff_read(actor=user, action="alert.view", patient=alert.patient, audit=audit, obj=alert)
    return alert


def membership_for_manager(
    user: User, public_id: str | uuid.UUID, *, audit: AuditContext
) -> CareTeamMembership:
    membership = (
        CareTeamMembership.objects.select_related("patient", "clinician")
        .filter(public_id=_uuid(public_id))
        .first()
    )
    if membership is None or not may_manage_team(user, membership.patient):
        raise Http404
    audit_staff_read(actor=user, action="team.view", patient=membership.patient, audit=audit)
    return membership


@dataclasses.dataclass(frozen=True)
class Inbox:
    """A page of the staff inbox: open alerts of the user's patients, referrals addressed to them by name,
    referrals to their discipline (shown briefly, without the patient), and acceptances waiting for them as
    the lead. `shown_patient_ids`: the patients it shows, each recorded in the audit log."""

    alerts: Page
    referrals: list[Referral]
    discipline_referrals: list[Referral]
    to_confirm: list[Referral]
    shown_patient_ids: list[int]


def inbox_for_user(user: User, *, page: str | int | None, per_page: int, audit: AuditContext) -> Inbox:
    """Page `page` of the user's "Needs attention", for clinicians and admins only (404 for anyone else). Each
    patient it shows gets one audit row."""
    if not is_staff_user(user):
        raise Http404
    alerts = selectors.counted_page(selectors.alert_inbox(user), page, per_page)
    referrals = list(selectors.referrals_named_for(user)[:per_page])
    discipline_referrals = list(selectors.referrals_to_discipline_of(user)[:per_page])
    to_confirm = list(selectors.acceptances_waiting_for(user)[:per_page])
    shown = {alert.patient for alert in alerts.object_list} | {
        referral.patient for referral in [*referrals, *to_confirm]
    }
    audit_staff_read_many(actor=user, action=INBOX_VIEW, patients=shown, audit=audit)
    return Inbox(
        alerts=alerts,
        referrals=referrals,
        discipline_referrals=discipline_referrals,
        to_confirm=to_confirm,
        shown_patient_ids=sorted(patient.pk for patient in shown),
    )
