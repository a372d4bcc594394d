"""Rehab's doors to patient data, on careteam's policy. Each raises Http404 for missing and forbidden."""

import uuid
from collections.abc import Callable

from django.http import Http404

from accounts.models import User
from careteam.access import may_change_plan, may_view_clinical_record, may_view_patient
from rehab.models import FlareUp, Prescription, RehabPlan, SessionLog


def _plan_allowed(user: User, public_id: uuid.UUID, allowed: Callable[[User, User], bool]) -> RehabPlan:
    related = ("patient", "lead_clinician", "condition")
    plan = RehabPlan.objects.select_related(*related).filter(public_id=public_id).first()
    if plan is None or not allowed(user, plan.patient):
        raise Http404
    return plan


def plan_for_staff(user: User, public_id: uuid.UUID) -> RehabPlan:
    """A plan the clinician or admin may read (history)."""
    return _plan_allowed(user, public_id, may_view_clinical_record)


def plan_for_reader(user: User, public_id: uuid.UUID) -> RehabPlan:
    """A plan its patient or their team may read (print)."""
    return _plan_allowed(user, public_id, may_view_patient)


def plan_for_editor(user: User, public_id: uuid.UUID) -> RehabPlan:
    return _plan_allowed(user, public_id, may_change_plan)


def prescription_in_plan(plan: RehabPlan, public_id: uuid.UUID) -> Prescription:
    prescription = plan.prescriptions.select_related("exercise").filter(public_id=public_id).first()
    if prescription is None:
        raise Http404
    return prescription


def session_of_patient(user: User, public_id: uuid.UUID) -> SessionLog:
    """A session log of the signed-in patient's own."""
    session = (
        SessionLog.objects.select_related("plan").filter(public_id=public_id, patient_id=user.pk).first()
        if user.is_authenticated and user.is_patient
        else None
    )
    if session is None:
        raise Http404
    return session


def open_flare_up_for_editor(user: User, plan_public_id: uuid.UUID) -> FlareUp:
    plan = plan_for_editor(user, plan_public_id)
    flare_up = plan.flare_ups.filter(ended_at__isnull=True).select_related("plan__patient").first()
    if flare_up is None:
        raise Http404
    return flare_up
