"""Plan snapshots and the readable differences between two of them.

A snapshot is plain JSON, so a revision still reads correctly after the library or the plan has changed.
"""

from rehab.models import PlanStatus, RehabPlan, Stage, dosage_label

FIELD_LABELS = {
    "sets": "sets",
    "reps": "reps",
    "hold_seconds": "hold (s)",
    "rest_seconds": "rest (s)",
    "load": "load",
    "times_per_day": "times a day",
    "days_of_week": "days",
    "note_to_patient": "note to the patient",
    "in_flare_up_set": "in the flare-up set",
}
THRESHOLD_LABELS = {
    "pain_safe_max": "safe pain up to",
    "pain_alert_above": "alert when pain is above",
    "load_test_rise_alert": "alert when the load test rises by",
}
WEEKDAY_ABBREVIATIONS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def plan_snapshot(plan: RehabPlan) -> dict:
    prescriptions = plan.prescriptions.select_related("exercise").order_by("order", "pk")
    return {
        "stage": plan.stage,
        "status": plan.status,
        "goals": plan.goals,
        "start_date": plan.start_date.isoformat(),
        **{name: getattr(plan, name) for name in THRESHOLD_LABELS},
        "prescriptions": [
            {
                "id": str(item.public_id),
                "exercise": item.exercise.slug,
                "name": item.exercise.name,
                "sets": item.sets,
                "reps": item.reps,
                "hold_seconds": item.hold_seconds,
                "rest_seconds": item.rest_seconds,
                "load": item.load,
                "times_per_day": item.times_per_day,
                "days_of_week": sorted(item.days_of_week),
                "note_to_patient": item.note_to_patient,
                "in_flare_up_set": item.in_flare_up_set,
            }
            for item in prescriptions
        ],
    }


def _show(name: str, value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value in (None, ""):
        return "none"
    if name == "days_of_week":
        return "every day" if len(value) == 7 else ", ".join(WEEKDAY_ABBREVIATIONS[day] for day in value)
    return str(value)


def _entry_label(entry: dict) -> str:
    return f"{entry['name']} {dosage_label(entry['sets'], entry['reps'], entry['hold_seconds'])}"


def revision_changes(before: dict, after: dict) -> list[str]:
    """What changed from one snapshot to another, one plain sentence per change."""
    changes = []
    if before["stage"] != after["stage"]:
        changes.append(f"Stage: {Stage(before['stage']).label} → {Stage(after['stage']).label}")
    if before["status"] != after["status"]:
        changes.append(f"Status: {PlanStatus(before['status']).label} → {PlanStatus(after['status']).label}")
    if before["goals"] != after["goals"]:
        changes.append("Goals rewritten")
    for name, label in THRESHOLD_LABELS.items():
        # Snapshots older than the pain limits do not have them: nothing to compare.
        if name in before and name in after and before[name] != after[name]:
            changes.append(f"Pain limits: {label} {before[name]} → {after[name]}")

    old = {entry["id"]: entry for entry in before["prescriptions"]}
    new = {entry["id"]: entry for entry in after["prescriptions"]}
    for entry in after["prescriptions"]:
        if entry["id"] not in old:
            changes.append(f"Added {_entry_label(entry)}")
    for entry in before["prescriptions"]:
        if entry["id"] not in new:
            changes.append(f"Removed {_entry_label(entry)}")
    for entry in after["prescriptions"]:
        previous = old.get(entry["id"])
        if previous is None:
            continue
        edits = [
            f"{label} {_show(name, previous.get(name))} → {_show(name, entry.get(name))}"
            for name, label in FIELD_LABELS.items()
            if name in previous and name in entry and previous[name] != entry[name]
        ]
        if edits:
            changes.append(f"{entry['name']}: " + ", ".join(edits))

    kept_before = [entry["id"] for entry in before["prescriptions"] if entry["id"] in new]
    kept_after = [entry["id"] for entry in after["prescriptions"] if entry["id"] in old]
    if kept_before != kept_after:
        order = ", ".join(new[item]["name"] for item in kept_after)
        changes.append(f"Order changed: {order}")
    return changes
