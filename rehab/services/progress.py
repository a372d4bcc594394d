"""Moving a patient to the next stage when their data and the clinician's checks support it."""

import dataclasses
import datetime

from django.core.exceptions import ValidationError

from rehab import selectors
from rehab.models import PlanRevision, RehabPlan
from rehab.services.plans import Signed, plan_revising


def plan_stage_advance(
    *,
    plan: RehabPlan,
    clinician_checks: set[str],
    today: datetime.date,
    signed: Signed,
) -> PlanRevision:
    """Approve the move to the next stage: a stage-change revision whose reason also records the readiness
    figures and the clinician's own checks."""
    readiness = selectors.readiness_of(plan, today)
    if readiness.next_stage is None:
        raise ValidationError("This plan is already at the last stage.")
    reason = (signed.reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the patient is ready: they see it."})
    missing = [item.label for item in readiness.clinician_items if item.key not in clinician_checks]
    if missing:
        raise ValidationError({"clinician_checks": [f"Confirm first: {label.lower()}." for label in missing]})
    unmet = [c.label for c in readiness.criteria if not c.judged_by_clinician and not c.met]
    record = f"Readiness: {readiness.met_count} of {readiness.data_count} data criteria met"
    if unmet:
        record += " (not met: " + "; ".join(label.lower() for label in unmet) + ")"
    if readiness.clinician_items:
        record += "; confirmed by the clinician: " + "; ".join(
            i.label.lower() for i in readiness.clinician_items
        )
    recorded = dataclasses.replace(signed, reason=f"{reason} — {record}."[:500])
    with plan_revising(plan, recorded, action="rehab.plan.advance") as draft:
        draft.plan.stage = readiness.next_stage
    return draft.saved
