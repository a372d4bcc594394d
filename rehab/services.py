"""Writes with rules for the exercise library and rehab plans.

Every change to a plan goes through `_plan_change`: it locks the plan row, refuses an edit made against an
older version (two clinicians saving at once), asks for a reason when the plan is active, applies the
change, and stores a full snapshot as a new PlanRevision whose number is the plan's new version.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.services import patient_lock
from careteam.models import AlertKind, Severity
from careteam.services import alert_raise
from rehab import outcomes, pain_rules, schedule, selectors
from rehab.content.exercises import EXERCISES
from rehab.content.stage_templates import STAGE_TEMPLATES
from rehab.models import (
    EVERY_DAY,
    SETS_RANGE,
    Exercise,
    ExerciseDone,
    FlareUp,
    MorningCheckIn,
    OutcomeMeasure,
    PlanRevision,
    PlanStatus,
    PlanTemplate,
    PlanTemplateItem,
    Prescription,
    RehabPlan,
    SessionLog,
    Stage,
)
from rehab.revisions import plan_snapshot, revision_changes

PAIN_LIMIT_FIELDS = ("pain_safe_max", "pain_alert_above", "load_test_rise_alert")
DOSAGE_FIELDS = ("sets", "reps", "hold_seconds", "rest_seconds", "load", "times_per_day", "days_of_week")


class PlanConflict(Exception):
    """The plan was saved by someone else since the editor loaded it."""

    def __init__(self, plan: RehabPlan):
        self.plan = plan
        super().__init__(
            f"This plan was changed by someone else (it is now at version {plan.version}). "
            "Your change was not saved: check the plan as it is now and make your change again."
        )


# --- the library ----------------------------------------------------------------------------------------


@dataclass
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
) -> RehabPlan:
    """Start a patient's plan from a stage template. Revision 1 records who assigned it."""
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
    )
    return plan


def _plan_change(
    *, plan: RehabPlan, by: User, reason: str, expected_version: int, apply: Callable[[RehabPlan], None]
) -> PlanRevision:
    with transaction.atomic():
        locked = RehabPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.version != expected_version:
            raise PlanConflict(locked)
        reason = (reason or "").strip()
        if locked.is_active and not reason:
            raise ValidationError({"reason": "Say why you are changing this plan: the patient sees it."})
        before = plan_snapshot(locked)
        apply(locked)
        after = plan_snapshot(locked)
        changes = revision_changes(before, after)
        if not changes:
            raise ValidationError("Nothing changed, so nothing was saved.")
        locked.version += 1
        locked.save(update_fields=["version", "stage", "status", "goals", *PAIN_LIMIT_FIELDS, "updated_at"])
        revision = PlanRevision.objects.create(
            plan=locked,
            number=locked.version,
            author=by,
            reason=reason or "Plan edited while not active.",
            summary="; ".join(changes)[:500],
            snapshot=after,
        )
    plan.refresh_from_db()
    return revision


def prescription_update(
    *, plan: RehabPlan, prescription: Prescription, by: User, reason: str, expected_version: int, **dosage
) -> PlanRevision:
    unknown = set(dosage) - {*DOSAGE_FIELDS, "note_to_patient", "in_flare_up_set"}
    if unknown:
        raise ValueError(f"not a prescription field: {sorted(unknown)}")

    def apply(locked: RehabPlan) -> None:
        current = locked.prescriptions.get(pk=prescription.pk)
        for name, value in dosage.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()

    return _plan_change(plan=plan, by=by, reason=reason, expected_version=expected_version, apply=apply)


def prescription_add(
    *, plan: RehabPlan, exercise: Exercise, by: User, reason: str, expected_version: int, **dosage
) -> PlanRevision:
    def apply(locked: RehabPlan) -> None:
        last = locked.prescriptions.aggregate(last=Max("order"))["last"] or 0
        values = {**_default_dosage(exercise, {}), "in_flare_up_set": exercise.is_isometric, **dosage}
        prescription = Prescription(plan=locked, exercise=exercise, order=last + 1, **values)
        prescription.full_clean()
        prescription.save()

    return _plan_change(plan=plan, by=by, reason=reason, expected_version=expected_version, apply=apply)


def prescription_remove(
    *, plan: RehabPlan, prescription: Prescription, by: User, reason: str, expected_version: int
) -> PlanRevision:
    def apply(locked: RehabPlan) -> None:
        if locked.prescriptions.count() <= 1:
            raise ValidationError("A plan needs at least one exercise. Add another before removing this one.")
        locked.prescriptions.filter(pk=prescription.pk).delete()
        _renumber(locked)

    return _plan_change(plan=plan, by=by, reason=reason, expected_version=expected_version, apply=apply)


def prescription_move(
    *, plan: RehabPlan, prescription: Prescription, by: User, reason: str, expected_version: int, offset: int
) -> PlanRevision:
    """Move an exercise up (offset -1) or down (+1) in the plan's order."""

    def apply(locked: RehabPlan) -> None:
        ordered = list(locked.prescriptions.order_by("order", "pk"))
        index = next(i for i, item in enumerate(ordered) if item.pk == prescription.pk)
        target = index + offset
        if not 0 <= target < len(ordered):
            raise ValidationError("That exercise is already at the end of the list.")
        ordered.insert(target, ordered.pop(index))
        _renumber(locked, ordered)

    return _plan_change(plan=plan, by=by, reason=reason, expected_version=expected_version, apply=apply)


def plan_update(
    *,
    plan: RehabPlan,
    by: User,
    reason: str,
    expected_version: int,
    stage: int | None = None,
    status: str | None = None,
    goals: str | None = None,
) -> PlanRevision:
    """Change the stage, status or goals of a plan."""

    def apply(locked: RehabPlan) -> None:
        if stage is not None:
            if stage not in Stage.values:
                raise ValidationError({"stage": "Choose a stage from 1 to 4."})
            locked.stage = stage
        if status is not None:
            if status not in PlanStatus.values:
                raise ValidationError({"status": "Choose active, paused or completed."})
            if status == PlanStatus.ACTIVE:
                patient_lock(patient=locked.patient)
            if (
                status == PlanStatus.ACTIVE
                and RehabPlan.objects.filter(patient=locked.patient, status=PlanStatus.ACTIVE)
                .exclude(pk=locked.pk)
                .exists()
            ):
                raise ValidationError({"status": "This patient already has another active plan."})
            locked.status = status
        if goals is not None:
            locked.goals = goals.strip()

    return _plan_change(plan=plan, by=by, reason=reason, expected_version=expected_version, apply=apply)


def _renumber(plan: RehabPlan, ordered: list[Prescription] | None = None) -> None:
    ordered = ordered if ordered is not None else list(plan.prescriptions.order_by("order", "pk"))
    for position, item in enumerate(ordered, start=1):
        if item.order != position:
            item.order = position
            item.save(update_fields=["order"])


# --- the patient's daily loop ----------------------------------------------------------------------------


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now if now is not None else timezone.now()


def _require_own_active_plan(plan: RehabPlan, patient: User) -> None:
    if plan.patient_id != patient.pk:
        raise ValidationError("This is not your plan.")
    if not plan.is_active:
        raise ValidationError("This plan is not active any more, so nothing can be logged on it.")


def _check_score(errors: dict, name: str, value, label: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        errors[name] = f"{label}: choose a number from 0 to 10."


def _thresholds(plan: RehabPlan) -> pain_rules.Thresholds:
    return pain_rules.Thresholds(
        safe_max=plan.pain_safe_max,
        alert_above=plan.pain_alert_above,
        load_test_rise_alert=plan.load_test_rise_alert,
    )


def session_log(
    *,
    plan: RehabPlan,
    patient: User,
    day: datetime.date,
    slot: int,
    done: dict[int, int] | None,
    now: datetime.datetime | None = None,
) -> SessionLog:
    """Record the exercises the patient did in one session of a day: `done` maps prescription pks to sets,
    or is None for "all done" (every exercise of the session, all its sets).

    The day is the patient's local date: today, or yesterday for a session not logged before midnight.
    Today only sessions that have started (or the day's first) may be logged; each session once.
    """
    now = _now(now)
    _require_own_active_plan(plan, patient)
    today = now.astimezone(patient.zone).date()
    if day > today:
        raise ValidationError({"day": "That date is in the future: log a session on the day you did it."})
    if day < today - datetime.timedelta(days=1):
        raise ValidationError({"day": "Sessions can be logged on the day or the day after, not later."})
    with transaction.atomic():
        plan = RehabPlan.objects.select_for_update().get(pk=plan.pk)
        flare_up = selectors.open_flare_up(plan)
        prescriptions = selectors.prescriptions_for_day(plan, in_flare_up=flare_up is not None)
        logged = set(plan.sessions.filter(date=day).values_list("slot", flat=True))
        if slot in logged:
            raise ValidationError({"slot": "This session is already logged; nothing was changed."})
        sessions = {session.index: session for session in schedule.sessions_on(prescriptions, day)}
        if day == today:
            allowed = schedule.day_plan(
                prescriptions, now=now, zone=patient.zone, logged=logged
            ).open_indexes()
        else:
            allowed = set(sessions) - logged
        if slot not in allowed:
            raise ValidationError({"slot": "That session is not due now, so it cannot be logged yet."})
        items = {item.pk: item for item in sessions[slot].items}
        if done is None:
            done = {pk: item.sets for pk, item in items.items()}
        if not done:
            raise ValidationError({"done": "Tick the exercises you did, or choose “All done”."})
        problems = []
        for pk, sets in done.items():
            item = items.get(pk)
            if item is None:
                problems.append("One of the exercises is not part of this session.")
            elif isinstance(sets, bool) or not isinstance(sets, int) or not 1 <= sets <= SETS_RANGE[1]:
                problems.append(
                    f"{item.exercise.name}: sets done must be a number from 1 to {SETS_RANGE[1]}."
                )
        if problems:
            raise ValidationError({"done": problems})
        session = SessionLog(
            plan=plan,
            patient=patient,
            date=day,
            slot=slot,
            slot_name=sessions[slot].name,
            logged_at=now,
            in_flare_up=flare_up is not None,
        )
        session.full_clean()
        session.save()
        for pk, sets in done.items():
            item = items[pk]
            ExerciseDone.objects.create(
                session=session,
                prescription=item,
                exercise=item.exercise,
                sets_done=sets,
                sets_prescribed=item.sets,
            )
    return session


def session_rate(
    *,
    session: SessionLog,
    patient: User,
    pain_during: int,
    pain_after: int,
    effort: int,
    note: str = "",
    now: datetime.datetime | None = None,
) -> pain_rules.Outcome:
    """Record how a session went and return the pain rules' suggestion; pain above the plan's limit raises
    one alert for the care team (the session's id is the alert's dedupe key)."""
    errors: dict[str, str] = {}
    _check_score(errors, "pain_during", pain_during, "Pain during")
    _check_score(errors, "pain_after", pain_after, "Pain after")
    _check_score(errors, "effort", effort, "Effort")
    if len(note) > 1000:
        errors["note"] = "Keep the note under 1,000 characters."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = SessionLog.objects.select_for_update().select_related("plan").get(pk=session.pk)
        _require_own_active_plan(session.plan, patient)
        if session.is_rated:
            raise ValidationError("You already said how this session went; nothing was changed.")
        facts = pain_rules.SessionFacts(pain_during, pain_after, effort, session.in_flare_up)
        thresholds = _thresholds(session.plan)
        outcome = pain_rules.evaluate_session(facts, thresholds)
        session.pain_during, session.pain_after, session.effort = pain_during, pain_after, effort
        session.note = note.strip()
        session.rated_at = _now(now)
        session.suggestion, session.rule = outcome.suggestion, outcome.rule.code
        session.full_clean()
        session.save()
        for kind in pain_rules.alerts_for("session", facts, thresholds):
            alert_raise(
                patient=patient,
                kind=kind,
                severity=Severity.MEDIUM,
                trigger=f"{session.slot_name} session of {session.date:%d %b %Y}: {outcome.for_clinician}. "
                f"Suggested to the patient: {outcome.suggestion_label.lower()}.",
                dedupe_key=f"rehab-session-{session.public_id}",
            )
    return outcome


def session_outcome(session: SessionLog) -> pain_rules.Outcome | None:
    """The suggestion of a rated session, worded again from the rule stored with it."""
    rule = pain_rules.RULES_BY_CODE.get(session.rule)
    if rule is None or not session.is_rated:
        return None
    facts = pain_rules.SessionFacts(
        session.pain_during or 0, session.pain_after or 0, session.effort or 0, session.in_flare_up
    )
    thresholds = _thresholds(session.plan)
    return pain_rules.Outcome(
        rule, pain_rules.words_for(rule, facts, thresholds), pain_rules.session_data_text(facts, thresholds)
    )


def check_in_record(
    *,
    plan: RehabPlan,
    patient: User,
    day: datetime.date,
    pain_on_waking: int,
    load_test_pain: int,
    now: datetime.datetime | None = None,
) -> tuple[MorningCheckIn, pain_rules.Outcome]:
    """The morning check-in of `day` (the patient's local today), once a morning. A rise in the load test
    of the plan's limit or more since the check-in before raises one pain-rising alert per check-in day."""
    now = _now(now)
    errors: dict[str, str] = {}
    _check_score(errors, "pain_on_waking", pain_on_waking, "Pain on waking")
    _check_score(errors, "load_test_pain", load_test_pain, "Pain during the bridges")
    if errors:
        raise ValidationError(errors)
    _require_own_active_plan(plan, patient)
    today = now.astimezone(patient.zone).date()
    if day > today:
        raise ValidationError({"day": "That date is in the future: the check-in is for this morning."})
    if day < today:
        raise ValidationError({"day": "The check-in is for this morning only; that morning has passed."})
    with transaction.atomic():
        plan = RehabPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.check_ins.filter(date=day).exists():
            raise ValidationError("You have already checked in this morning; nothing was changed.")
        previous = plan.check_ins.filter(date__lt=day).order_by("-date").first()
        facts = pain_rules.CheckInFacts(
            pain_on_waking,
            load_test_pain,
            previous.pain_on_waking if previous else None,
            previous.load_test_pain if previous else None,
        )
        thresholds = _thresholds(plan)
        outcome = pain_rules.evaluate_check_in(facts, thresholds)
        check_in = MorningCheckIn(
            plan=plan,
            patient=patient,
            date=day,
            pain_on_waking=pain_on_waking,
            load_test_pain=load_test_pain,
            created_at=now,
            suggestion=outcome.suggestion,
            rule=outcome.rule.code,
        )
        check_in.full_clean()
        check_in.save()
        for kind in pain_rules.alerts_for("check_in", facts, thresholds):
            alert_raise(
                patient=patient,
                kind=kind,
                severity=Severity.MEDIUM,
                trigger=f"Morning check-in of {day:%d %b %Y}: {outcome.for_clinician}. "
                f"Suggested to the patient: {outcome.suggestion_label.lower()}.",
                dedupe_key=f"rehab-check-in-{plan.public_id}-{day.isoformat()}",
            )
    return check_in, outcome


def flare_up_start(*, plan: RehabPlan, by: User, now: datetime.datetime | None = None) -> FlareUp:
    """The patient switches their plan to its flare-up set; the care team gets one alert for it."""
    now = _now(now)
    _require_own_active_plan(plan, by)
    with transaction.atomic():
        plan = RehabPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.flare_ups.filter(ended_at__isnull=True).exists():
            raise ValidationError("Flare-up mode is already on; your care team knows.")
        flare_up = FlareUp(plan=plan, started_at=now, started_by=by)
        flare_up.full_clean()
        flare_up.save()
        local = now.astimezone(by.zone)
        alert_raise(
            patient=plan.patient,
            kind=AlertKind.FLARE_UP,
            severity=Severity.MEDIUM,
            trigger=f"{by.get_full_name()} switched to flare-up mode on {local:%d %b %Y at %H:%M} "
            f"(their time). The plan shows only its flare-up set until a clinician ends flare-up mode.",
            dedupe_key=f"rehab-flare-up-{flare_up.public_id}",
        )
    return flare_up


def flare_up_end(*, flare_up: FlareUp, by: User, note: str, now: datetime.datetime | None = None) -> FlareUp:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say why flare-up mode can end: the patient sees your note."})
    if len(note) > 2000:
        raise ValidationError({"note": "Keep the note under 2,000 characters."})
    with transaction.atomic():
        flare_up = FlareUp.objects.select_for_update().get(pk=flare_up.pk)
        if not flare_up.is_open:
            raise ValidationError("This flare-up has already ended.")
        flare_up.ended_at = _now(now)
        flare_up.ended_by = by
        flare_up.note = note
        flare_up.full_clean()
        flare_up.save(update_fields=["ended_at", "ended_by", "note"])
    return flare_up


def plan_pain_limits_update(
    *,
    plan: RehabPlan,
    by: User,
    reason: str,
    expected_version: int,
    pain_safe_max: int,
    pain_alert_above: int,
    load_test_rise_alert: int,
) -> PlanRevision:
    """Change the plan's pain limits; a revision like any other change to the plan."""

    def apply(locked: RehabPlan) -> None:
        locked.pain_safe_max = pain_safe_max
        locked.pain_alert_above = pain_alert_above
        locked.load_test_rise_alert = load_test_rise_alert
        locked.full_clean()

    return _plan_change(plan=plan, by=by, reason=reason, expected_version=expected_version, apply=apply)


def plan_stage_advance(
    *,
    plan: RehabPlan,
    by: User,
    reason: str,
    expected_version: int,
    clinician_checks: set[str],
    today: datetime.date,
) -> PlanRevision:
    """Approve the move to the next stage: a stage-change revision through `plan_update`, whose reason also
    records the readiness figures and the clinician's own checks."""
    readiness = selectors.readiness_of(plan, today)
    if readiness.next_stage is None:
        raise ValidationError("This plan is already at the last stage.")
    reason = (reason or "").strip()
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
    return plan_update(
        plan=plan,
        by=by,
        reason=f"{reason} — {record}."[:500],
        expected_version=expected_version,
        stage=readiness.next_stage,
    )


def outcome_record(
    *,
    patient: User,
    kind: str,
    answers: dict,
    now: datetime.datetime | None = None,
) -> OutcomeMeasure:
    """Score and keep a questionnaire the patient filled in; raises ValidationError naming each bad answer.

    answers: VISA-H {"q1".."q6": 0-10, "q7": choice, "q8": choice}; PSFS {"activities": [(name, rating)]};
    pain rating {"rating": 0-10}. Once a day per kind, so a double tap does not count twice.
    """
    today = _now(now).astimezone(patient.zone).date()
    score: int | Decimal
    try:
        if kind == outcomes.OutcomeKind.VISA_H:
            score, cleaned = outcomes.visa_h_score(answers)
        elif kind == outcomes.OutcomeKind.PSFS:
            score, cleaned = outcomes.psfs_score(answers.get("activities", []))
        elif kind == outcomes.OutcomeKind.PAIN_RATING:
            score, cleaned = outcomes.pain_rating_score(answers.get("rating"))
        else:
            raise ValidationError("Unknown questionnaire.")
    except outcomes.AnswerError as error:
        raise ValidationError(error.problems) from None
    with transaction.atomic():
        patient_lock(patient=patient)
        if OutcomeMeasure.objects.filter(patient=patient, kind=kind, taken_on=today).exists():
            raise ValidationError("You have already filled this in today; nothing was changed.")
        measure = OutcomeMeasure(
            patient=patient,
            plan=selectors.active_plan_of(patient),
            kind=kind,
            taken_on=today,
            score=score,
            answers=cleaned,
            created_at=_now(now),
        )
        measure.full_clean()
        measure.save()
    return measure


def check_in_outcome(check_in: MorningCheckIn) -> pain_rules.Outcome | None:
    """The suggestion of a check-in, worded again from the rule stored with it."""
    rule = pain_rules.RULES_BY_CODE.get(check_in.rule)
    if rule is None:
        return None
    previous = check_in.plan.check_ins.filter(date__lt=check_in.date).order_by("-date").first()
    facts = pain_rules.CheckInFacts(
        check_in.pain_on_waking,
        check_in.load_test_pain,
        previous.pain_on_waking if previous else None,
        previous.load_test_pain if previous else None,
    )
    thresholds = _thresholds(check_in.plan)
    return pain_rules.Outcome(
        rule, pain_rules.words_for(rule, facts, thresholds), pain_rules.check_in_data_text(facts, thresholds)
    )
