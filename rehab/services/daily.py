"""The patient's daily loop: logging and rating sessions, the morning check-in, and flare-up mode.

Each write checks the plan is the patient's own and active, applies the pain rules with the plan's own limits,
raises the care team's alerts they call for, and writes its audit row, in one transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import User
from careteam.models import AlertKind, AlertSeverity
from careteam.services import alert_raise
from rehab import pain_rules, schedule, selectors
from rehab.models import (
    SETS_RANGE,
    ExerciseDone,
    FlareUp,
    MorningCheckIn,
    RehabPlan,
    SessionLog,
)


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


def _pain_alerts_raise(
    patient: User,
    kinds: list[str],
    advice: pain_rules.Advice,
    *,
    what: str,
    dedupe_key: str,
    now: datetime.datetime | None,
) -> None:
    """An alert of each kind the pain rules call for: what happened, and what the patient was told."""
    for kind in kinds:
        alert_raise(
            patient=patient,
            kind=kind,
            severity=AlertSeverity.MEDIUM,
            trigger=f"{what}: {advice.for_clinician}. "
            f"Suggested to the patient: {advice.suggestion_label.lower()}.",
            dedupe_key=dedupe_key,
            now=now,
        )


def session_log(
    *,
    plan: RehabPlan,
    patient: User,
    day: datetime.date,
    slot: int,
    done: dict[int, int] | None,
    audit: AuditContext = WITHOUT_REQUEST,
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
        audit_record(actor=patient, action="rehab.session.log", patient=patient, audit=audit, obj=session)
    return session


def session_rate(
    *,
    session: SessionLog,
    patient: User,
    pain_during: int,
    pain_after: int,
    effort: int,
    note: str = "",
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> pain_rules.Advice:
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
        advice = pain_rules.evaluate_session(facts, thresholds)
        session.pain_during, session.pain_after, session.effort = pain_during, pain_after, effort
        session.note = note.strip()
        session.rated_at = _now(now)
        session.suggestion, session.rule = advice.suggestion, advice.rule.code
        session.full_clean()
        session.save()
        _pain_alerts_raise(
            patient,
            pain_rules.alerts_for("session", facts, thresholds),
            advice,
            what=f"{session.slot_name} session of {session.date:%d %b %Y}",
            dedupe_key=f"rehab-session-{session.public_id}",
            now=now,
        )
        audit_record(actor=patient, action="rehab.session.rate", patient=patient, audit=audit, obj=session)
    return advice


def session_advice(session: SessionLog) -> pain_rules.Advice | None:
    """The suggestion of a rated session, worded again from the rule stored with it."""
    rule = pain_rules.RULES_BY_CODE.get(session.rule)
    if rule is None or not session.is_rated:
        return None
    facts = pain_rules.SessionFacts(
        session.pain_during or 0, session.pain_after or 0, session.effort or 0, session.in_flare_up
    )
    thresholds = _thresholds(session.plan)
    return pain_rules.Advice(
        rule, pain_rules.words_for(rule, facts, thresholds), pain_rules.session_data_text(facts, thresholds)
    )


def check_in_record(
    *,
    plan: RehabPlan,
    patient: User,
    day: datetime.date,
    pain_on_waking: int,
    load_test_pain: int,
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> tuple[MorningCheckIn, pain_rules.Advice]:
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
        advice = pain_rules.evaluate_check_in(facts, thresholds)
        check_in = MorningCheckIn(
            plan=plan,
            patient=patient,
            date=day,
            pain_on_waking=pain_on_waking,
            load_test_pain=load_test_pain,
            created_at=now,
            suggestion=advice.suggestion,
            rule=advice.rule.code,
        )
        check_in.full_clean()
        check_in.save()
        _pain_alerts_raise(
            patient,
            pain_rules.alerts_for("check_in", facts, thresholds),
            advice,
            what=f"Morning check-in of {day:%d %b %Y}",
            dedupe_key=f"rehab-check-in-{plan.public_id}-{day.isoformat()}",
            now=now,
        )
        audit_record(
            actor=patient, action="rehab.check_in.record", patient=patient, audit=audit, obj=check_in
        )
    return check_in, advice


def flare_up_start(
    *, plan: RehabPlan, by: User, audit: AuditContext = WITHOUT_REQUEST, now: datetime.datetime | None = None
) -> FlareUp:
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
            severity=AlertSeverity.MEDIUM,
            trigger=f"{by.get_full_name()} switched to flare-up mode on {local:%d %b %Y at %H:%M} "
            f"(their time). The plan shows only its flare-up set until a clinician ends flare-up mode.",
            dedupe_key=f"rehab-flare-up-{flare_up.public_id}",
            now=now,
        )
        audit_record(actor=by, action="rehab.flare_up.start", patient=plan.patient, audit=audit, obj=flare_up)
    return flare_up


def flare_up_end(
    *,
    flare_up: FlareUp,
    note: str,
    by: User,
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> FlareUp:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say why flare-up mode can end: the patient sees your note."})
    if len(note) > 2000:
        raise ValidationError({"note": "Keep the note under 2,000 characters."})
    with transaction.atomic():
        flare_up = (
            FlareUp.objects.select_for_update(of=("self",))
            .select_related("plan__patient")
            .get(pk=flare_up.pk)
        )
        if not flare_up.is_open:
            raise ValidationError("This flare-up has already ended.")
        flare_up.ended_at = _now(now)
        flare_up.ended_by = by
        flare_up.note = note
        flare_up.full_clean()
        flare_up.save(update_fields=["ended_at", "ended_by", "note"])
        patient = flare_up.plan.patient
        audit_record(actor=by, action="rehab.flare_up.end", patient=patient, audit=audit, obj=flare_up)
    return flare_up


def check_in_advice(check_in: MorningCheckIn) -> pain_rules.Advice | None:
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
    return pain_rules.Advice(
        rule, pain_rules.words_for(rule, facts, thresholds), pain_rules.check_in_data_text(facts, thresholds)
    )
