"""The rehab plan on the care-team record (careteam:patient_detail): the active plan's stage and start, with
the ways into the plan builder and the progress charts, which link back to the record."""

from accounts.models import User
from common.panels import Panel
from rehab.models import PlanStatus, RehabPlan


def plan_panel(*, viewer: User, patient: User) -> Panel | None:
    """One query: the active plan, if any. Admins and every team member who may see the record get it."""
    if not patient.is_patient:
        return None
    plan = (
        RehabPlan.objects.filter(patient=patient, status=PlanStatus.ACTIVE)
        .only("stage", "start_date", "patient_id")
        .first()
    )
    return Panel("rehab/_record_panel.html", {"patient": patient, "plan": plan})


def register_record_panels() -> None:
    from careteam.panels import register_record_panel

    register_record_panel("rehab.plan", plan_panel)
