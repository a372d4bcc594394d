"""Rehab's doors to patient data, on careteam's policy. Each raises Http404 for missing and forbidden alike
and records the staff read it hands out in the audit log; a patient reading their own plan is not recorded."""

import uuid
from collections.abc import Callable

from django.core.paginator import Page
from django.http import Http404

from accounts.audit import AuditContext, audit_staff_read, audit_staff_read_many
from accounts.models import User
from careteam.access import may_change_plan, may_view_clinical_record, may_view_patient
from careteam.selectors import counted_page
from rehab import selectors
from rehab.models import FlareUp, Prescription, RehabPlan, SessionLog

PATIENTS_PER_PAGE = 25
CASELOAD_VIEW = "patient_list.view"


def _plan_allowed(
    user: User,
    public_id: uuid.UUID,
    allowed: Callable[[User, User], bool],
    *,
    audit: AuditContext,
    action: str,
) -> RehabPlan:
    related = ("patient", "lead_clinician", "condition")
    plan = RehabPlan.objects.select_related(*related).filter(public_id=public_id).first()
    if plan is None or not allowed(user, plan.patient):
        raise Http404
    audit_staff_read(actor=user, action=action, patient=plan.patient, audit=audit, obj=plan)
    return plan


def plan_for_staff(user: User, public_id: uuid.UUID, *, audit: AuditContext, action: str) -> RehabPlan:
    """A plan the clinician or admin may read (history)."""
    return _plan_allowed(user, public_id, may_view_clinical_record, audit=audit, action=action)


def plan_for_reader(user: User, public_id: uuid.UUID, *, audit: AuditContext, action: str) -> RehabPlan:
    """A plan its patient or their team may read (print)."""
    return _plan_allowed(user, public_id, may_view_patient, audit=audit, action=action)


def plan_for_editor(user: User, public_id: uuid.UUID, *, audit: AuditContext) -> RehabPlan:
    """A plan the user may change; the builder shows it again whatever the change's fate, so it is a read."""
    return _plan_allowed(user, public_id, may_change_plan, audit=audit, action="rehab.plan.view")


def prescription_in_plan(plan: RehabPlan, public_id: uuid.UUID) -> Prescription:
    prescription = plan.prescriptions.select_related("exercise").filter(public_id=public_id).first()
    if prescription is None:
        raise Http404
    return prescription


def own_active_plan_for_user(user: User) -> RehabPlan:
    """The signed-in patient's active plan, which the forms of Today write to."""
    plan = selectors.active_plan_of(user) if user.is_authenticated and user.is_patient else None
    if plan is None:
        raise Http404
    return plan


def session_in_plan(plan: RehabPlan, public_id: uuid.UUID) -> SessionLog:
    session = plan.sessions.filter(public_id=public_id).first()
    if session is None:
        raise Http404
    return session


def open_flare_up_for_editor(user: User, plan_public_id: uuid.UUID, *, audit: AuditContext) -> FlareUp:
    plan = plan_for_editor(user, plan_public_id, audit=audit)
    flare_up = plan.flare_ups.filter(ended_at__isnull=True).select_related("plan__patient").first()
    if flare_up is None:
        raise Http404
    return flare_up


def caseload_page_for_user(
    user: User,
    page_number: str | None,
    *,
    search: str,
    stage: int | None,
    needs_attention: bool,
    sort: str = "name",
    audit: AuditContext,
) -> Page:
    """One page of "My patients": the clinician's own patients (every patient for an admin), with each
    patient shown recorded in the audit log."""
    patients = selectors.my_patients(
        user, search=search, stage=stage, needs_attention=needs_attention, sort=sort
    )
    page = counted_page(patients, page_number, PATIENTS_PER_PAGE)
    audit_staff_read_many(actor=user, action=CASELOAD_VIEW, patients=page.object_list, audit=audit)
    return page
