"""Writes with rules for the exercise library and rehab plans: the clinician's plan builder.

Every change to a plan is its own service with keyword-only arguments. Each runs inside `plan_revising`, which
locks the plan row, refuses an edit made against an older version (two clinicians saving at once), asks for a
reason when the plan is active, and after the change stores a full snapshot as a new PlanRevision whose number
is the plan's new version, with its audit row, in the same transaction. `Signed` carries who changes the
plan, why, against which version, from where and when.
"""

import contextlib
import dataclasses
import datetime
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import User
from accounts.services import patient_lock
from rehab.content.exercises import EXERCISES
from rehab.content.stage_templates import STAGE_TEMPLATES
from rehab.models import (
    EVERY_DAY,
    Exercise,
    PlanRevision,
    PlanStatus,
    PlanTemplate,
    PlanTemplateItem,
    Prescription,
    RehabPlan,
    Stage,
)
from rehab.revisions import plan_snapshot, revision_changes

PAIN_LIMIT_FIELDS = ("pain_safe_max", "pain_alert_above", "load_test_rise_alert")
DOSAGE_FIELDS = ("sets", "reps", "hold_seconds", "rest_seconds", "load", "times_per_day", "days_of_week")
PRESCRIPTION_FIELDS = (*DOSAGE_FIELDS, "note_to_patient", "in_flare_up_set")


class PlanConflict(Exception):
    """The plan was saved by someone else since the editor loaded it."""

    def __init__(self, plan: RehabPlan):
        self.plan = plan
        super().__init__(
            f"This plan was changed by someone else (it is now at version {plan.version}). "
            "Your change was not saved: check the plan as it is now and make your change again."
        )


# --- the library ----------------------------------------------------------------------------------------


@dataclasses.dataclass
class LibraryLoadResult:
    exercises_created: int = 0
    exercises_updated: int = 0
    templates_created: int = 0
    templates_updated: int = 0


@transaction.atomic
def library_load(*, update: bool = False) -> LibraryLoadResult:
    """Create the shipped exercises and stage templates that are missing; with `update`, overwrite them too.

    Admins' own exercises and edits to shipped ones are kept unless `update` is given.
    """
    result = LibraryLoadResult()
    by_slug = {}
    for entry in EXERCISES:
        exercise = Exercise.objects.filter(slug=entry["slug"]).first()
        if exercise is not None and not update:
            by_slug[exercise.slug] = exercise
            continue
        created = exercise is None
        exercise = exercise or Exercise(slug=entry["slug"])
        dosage = entry["dosage"]
        exercise.name = entry["name"]
        exercise.stages = list(entry["stages"])
        exercise.hip_flexion = entry["hip_flexion"]
        exercise.target = entry["target"]
        exercise.position = entry["position"]
        exercise.equipment = entry["equipment"]
        exercise.is_isometric = entry["is_isometric"]
        exercise.clinician_choice_only = entry["clinician_choice_only"]
        exercise.summary = entry["summary"]
        exercise.steps = "\n".join(entry["steps"])
        exercise.cautions = "\n".join(entry["cautions"])
        exercise.default_sets = dosage["sets"]
        exercise.default_reps = dosage["reps"]
        exercise.default_hold_seconds = dosage["hold_seconds"]
        exercise.default_rest_seconds = dosage["rest_seconds"]
        exercise.default_times_per_day = dosage["times_per_day"]
        exercise.default_days_per_week = dosage["days_per_week"]
        exercise.default_load_note = dosage["load_note"]
        exercise.illustration = entry["illustration"]
        exercise.illustration_alt = entry["alt"]
        exercise.full_clean()
        exercise.save()
        by_slug[exercise.slug] = exercise
        if created:
            result.exercises_created += 1
        else:
            result.exercises_updated += 1

    for entry in STAGE_TEMPLATES:
        template = PlanTemplate.objects.filter(stage=entry["stage"]).first()
        if template is not None and not update:
            continue
        created = template is None
        template = template or PlanTemplate(stage=entry["stage"])
        template.name = entry["name"]
        template.summary_for_patient = entry["summary_for_patient"]
        template.criteria_for_clinician = "\n".join(entry["criteria_for_clinician"])
        template.full_clean()
        template.save()
        template.items.all().delete()
        for order, item in enumerate(entry["items"], start=1):
            exercise = by_slug[item["exercise"]]
            template_item = PlanTemplateItem(
                template=template,
                exercise=exercise,
                order=order,
                **_default_dosage(exercise, item.get("dosage", {})),
            )
            template_item.full_clean()
            template_item.save()
        if created:
            result.templates_created += 1
        else:
            result.templates_updated += 1
    return result


def _default_dosage(exercise: Exercise, overrides: dict) -> dict:
    """The exercise's default dosage, with a template item's own values (library keys) on top."""
    return {
        "sets": overrides.get("sets", exercise.default_sets),
        "reps": overrides.get("reps", exercise.default_reps),
        "hold_seconds": overrides.get("hold_seconds", exercise.default_hold_seconds),
        "rest_seconds": overrides.get("rest_seconds", exercise.default_rest_seconds),
        "load": overrides.get("load_note", exercise.default_load_note),
        "times_per_day": overrides.get("times_per_day", exercise.default_times_per_day),
        "days_of_week": _spread_days(overrides.get("days_per_week", exercise.default_days_per_week)),
    }


def _spread_days(days_per_week: int) -> list[int]:
    """Spread N days over the week with rest days between them: 3 -> Mon, Wed, Fri."""
    if days_per_week >= 7:
        return list(EVERY_DAY)
    step = 7 / days_per_week
    return sorted({int(i * step) for i in range(days_per_week)})


# --- plans ----------------------------------------------------------------------------------------------


@transaction.atomic
def plan_assign(
    *,
    patient: User,
    template: PlanTemplate,
    by: User,
    condition,
    start_date: datetime.date,
    goals: str = "",
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> RehabPlan:
    """Start a patient's plan from a stage template. Revision 1 records who assigned it, and when: `now`."""
    if not patient.is_patient:
        raise ValidationError("Plans are for patients.")
    patient_lock(patient=patient)
    if RehabPlan.objects.filter(patient=patient, status=PlanStatus.ACTIVE).exists():
        raise ValidationError(
            "This patient already has an active plan. Complete or pause it before assigning a new one."
        )
    plan = RehabPlan(
        patient=patient,
        condition=condition,
        stage=template.stage,
        goals=goals,
        start_date=start_date,
        lead_clinician=by,
        status=PlanStatus.ACTIVE,
        version=1,
    )
    plan.full_clean()
    plan.save()
    for item in template.items.select_related("exercise").order_by("order"):
        prescription = Prescription(
            plan=plan,
            exercise=item.exercise,
            in_flare_up_set=item.exercise.is_isometric,
            **{name: getattr(item, name) for name in (*DOSAGE_FIELDS, "order")},
        )
        prescription.full_clean()
        prescription.save()
    PlanRevision.objects.create(
        plan=plan,
        number=1,
        author=by,
        reason=f"Assigned from the template “{template.name}”.",
        summary=f"Plan started at {template.get_stage_display()} with {template.items.count()} exercises.",
        snapshot=plan_snapshot(plan),
        created_at=now or timezone.now(),
    )
    audit_record(actor=by, action="rehab.plan.assign", patient=patient, audit=audit, obj=plan)
    return plan


@dataclasses.dataclass
class PlanDraft:
    """The locked plan a change service edits; `revision` is filled in when the change is saved."""

    plan: RehabPlan
    revision: PlanRevision | None = None
    # Something that happened to the plan outside its own fields (a hold released): recorded first in the
    # revision's summary, it makes a revision even when no field changed.
    event: str = ""

    @property
    def saved(self) -> PlanRevision:
        if self.revision is None:
            raise RuntimeError("The plan change was not saved.")
        return self.revision


@dataclasses.dataclass(frozen=True, kw_only=True)
class Signed:
    """Who makes a change to a plan and why (the patient reads the reason), the version of the plan they
    changed, and where from and when, for the revision and its audit row."""

    by: User
    reason: str
    expected_version: int
    audit: AuditContext = WITHOUT_REQUEST
    now: datetime.datetime | None = None


@contextlib.contextmanager
def plan_revising(
    plan: RehabPlan, signed: Signed, *, action: str = "rehab.plan.change"
) -> Iterator[PlanDraft]:
    """Lock the plan, check the version and the reason, let the caller change `draft.plan` (or name an
    `draft.event`), then save what changed as the next revision with its audit row, all in one transaction;
    `plan` is refreshed after."""
    with transaction.atomic():
        locked = RehabPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.version != signed.expected_version:
            raise PlanConflict(locked)
        reason = (signed.reason or "").strip()
        if locked.is_active and not reason:
            raise ValidationError({"reason": "Say why you are changing this plan: the patient sees it."})
        before = plan_snapshot(locked)
        draft = PlanDraft(locked)
        yield draft
        after = plan_snapshot(locked)
        changes = [draft.event] * bool(draft.event) + revision_changes(before, after)
        if not changes:
            raise ValidationError("Nothing changed, so nothing was saved.")
        locked.version += 1
        locked.save(update_fields=["version", "stage", "status", "goals", *PAIN_LIMIT_FIELDS, "updated_at"])
        draft.revision = PlanRevision.objects.create(
            plan=locked,
            number=locked.version,
            author=signed.by,
            reason=reason or "Plan edited while not active.",
            summary="; ".join(changes)[:500],
            snapshot=after,
            created_at=signed.now or timezone.now(),
        )
        audit_record(
            actor=signed.by, action=action, patient=plan.patient, audit=signed.audit, obj=draft.revision
        )
    plan.refresh_from_db()


def prescription_update(
    *,
    plan: RehabPlan,
    prescription: Prescription,
    changes: dict,
    signed: Signed,
) -> PlanRevision:
    """Change the dosage, note or flare-up membership of one exercise; `changes` maps fields to values."""
    unknown = set(changes) - set(PRESCRIPTION_FIELDS)
    if unknown:
        raise ValueError(f"not a prescription field: {sorted(unknown)}")
    with plan_revising(plan, signed) as draft:
        current = draft.plan.prescriptions.get(pk=prescription.pk)
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
    return draft.saved


def prescription_add(
    *,
    plan: RehabPlan,
    exercise: Exercise,
    signed: Signed,
    dosage: dict | None = None,
) -> PlanRevision:
    """Add an exercise at the end of the plan, at its default dosage with `dosage` on top."""
    with plan_revising(plan, signed) as draft:
        last = draft.plan.prescriptions.aggregate(last=Max("order"))["last"] or 0
        values = {**_default_dosage(exercise, {}), "in_flare_up_set": exercise.is_isometric, **(dosage or {})}
        added = Prescription(plan=draft.plan, exercise=exercise, order=last + 1, **values)
        added.full_clean()
        added.save()
    return draft.saved


def prescription_remove(
    *,
    plan: RehabPlan,
    prescription: Prescription,
    signed: Signed,
) -> PlanRevision:
    with plan_revising(plan, signed) as draft:
        if draft.plan.prescriptions.count() <= 1:
            raise ValidationError("A plan needs at least one exercise. Add another before removing this one.")
        draft.plan.prescriptions.filter(pk=prescription.pk).delete()
        _renumber(draft.plan)
    return draft.saved


def prescription_move(
    *,
    plan: RehabPlan,
    prescription: Prescription,
    offset: int,
    signed: Signed,
) -> PlanRevision:
    """Move an exercise up (offset -1) or down (+1) in the plan's order."""
    with plan_revising(plan, signed) as draft:
        ordered = list(draft.plan.prescriptions.order_by("order", "pk"))
        index = next(i for i, item in enumerate(ordered) if item.pk == prescription.pk)
        target = index + offset
        if not 0 <= target < len(ordered):
            raise ValidationError("That exercise is already at the end of the list.")
        ordered.insert(target, ordered.pop(index))
        _renumber(draft.plan, ordered)
    return draft.saved


def plan_update(
    *,
    plan: RehabPlan,
    signed: Signed,
    stage: int | None = None,
    status: str | None = None,
    goals: str | None = None,
) -> PlanRevision:
    """Change the stage, status or goals of a plan."""
    with plan_revising(plan, signed) as draft:
        locked = draft.plan
        if stage is not None:
            if stage not in Stage.values:
                raise ValidationError({"stage": "Choose a stage from 1 to 4."})
            locked.stage = stage
        if status is not None:
            _status_check(locked, status)
            locked.status = status
        if goals is not None:
            locked.goals = goals.strip()
    return draft.saved


def _status_check(locked: RehabPlan, status: str) -> None:
    if status not in PlanStatus.values:
        raise ValidationError({"status": "Choose active, paused or completed."})
    if status != PlanStatus.ACTIVE:
        return
    patient_lock(patient=locked.patient)
    others = RehabPlan.objects.filter(patient=locked.patient, status=PlanStatus.ACTIVE).exclude(pk=locked.pk)
    if others.exists():
        raise ValidationError({"status": "This patient already has another active plan."})


def plan_pain_limits_update(
    *,
    plan: RehabPlan,
    pain_safe_max: int,
    pain_alert_above: int,
    load_test_rise_alert: int,
    signed: Signed,
) -> PlanRevision:
    """Change the plan's pain limits; a revision like any other change to the plan."""
    with plan_revising(plan, signed) as draft:
        draft.plan.pain_safe_max = pain_safe_max
        draft.plan.pain_alert_above = pain_alert_above
        draft.plan.load_test_rise_alert = load_test_rise_alert
        draft.plan.full_clean()
    return draft.saved


def _renumber(plan: RehabPlan, ordered: list[Prescription] | None = None) -> None:
    ordered = ordered if ordered is not None else list(plan.prescriptions.order_by("order", "pk"))
    for position, item in enumerate(ordered, start=1):
        if item.order != position:
            item.order = position
            item.save(update_fields=["order"])
