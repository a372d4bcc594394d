"""The patient's daily loop: logging and rating sessions, the morning check-in, and flare-up mode.

Each write checks the plan is the patient's own and active, applies the pain rules with the plan's own limits,
raises the care team's alerts they call for, and writes its audit row, in one transaction.

The 24-hour rule: a session above the plan's safe limit needs the next morning's check-in. Two such sessions
in a row without one raise a low alert for the care team (`missed_check_ins_raise`), checked whenever the
patient logs or rates a session or checks in, and by `missed_check_ins_sweep` for a daily background task.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import User
from accounts.services import patient_lock
from careteam.models import Alert, AlertKind, AlertSeverity
from careteam.services import alert_raise
from rehab import holds, pain_rules, schedule, selectors, trends
from rehab.models import (
    EXTRA_SESSIONS_RANGE,
    SETS_RANGE,
    ExerciseDone,
    FlareUp,
    MorningCheckIn,
    PlanStatus,
    RehabPlan,
    SessionLog,
)

# In `session_log`'s `done`, the key of the flare-up fallback exercise, which has no row (primary keys start
# at 1). See `selectors.flare_up_fallback`.
FLARE_UP_FALLBACK_KEY = 0
# How long after switching flare-up mode on the patient can still cancel it themselves.
FLARE_UP_CANCEL_WINDOW = datetime.timedelta(hours=1)


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now if now is not None else timezone.now()


def _require_own_active_plan(plan: RehabPlan, patient: User) -> None:
    if plan.patient_id != patient.pk:
        raise ValidationError("This is not your plan.")
    if not plan.is_active:
        raise ValidationError("This plan is not active any more, so nothing can be logged on it.")


def _require_not_on_hold(patient: User) -> None:
    """No exercise, loading test or flare-up set while red flags hold the plan (`rehab.holds`). Called with
    the patient's row locked (then the plan's, always in that order), as a red-flag screen locks it too: a
    session sent at the same moment as a "yes" is saved before the screen or refused after it."""
    if holds.plan_hold_of(patient) is not None:
        raise ValidationError(holds.ON_HOLD)


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
    extra: bool = False,
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> SessionLog:
    """Record the exercises the patient did in one session of a day: `done` maps prescription pks to sets
    (`FLARE_UP_FALLBACK_KEY` for the flare-up fallback), or is None for "all done" (every exercise of the
    session, all its sets).

    The day is the patient's local date: today, or yesterday for a session not logged before midnight.
    Today only sessions that have started (or the day's first) may be logged; each session once.

    `extra` logs a session done again: one already logged, or today one not due yet. It is numbered after
    the slot's earlier ones, a few at most a day, and never stands in for a planned session (adherence and
    the "logged yet?" checks count only `extra=0`); its pain counts like any other's.
    """
    now = _now(now)
    _require_own_active_plan(plan, patient)
    today = now.astimezone(patient.zone).date()
    if day > today:
        raise ValidationError({"day": "That date is in the future: log a session on the day you did it."})
    if day < today - datetime.timedelta(days=1):
        raise ValidationError({"day": "Sessions can be logged on the day or the day after, not later."})
    with transaction.atomic():
        patient_lock(patient=patient)
        plan = RehabPlan.objects.select_for_update().get(pk=plan.pk)
        _require_not_on_hold(patient)
        flare_up = selectors.open_flare_up(plan)
        prescriptions = selectors.prescriptions_for_day(plan, in_flare_up=flare_up is not None)
        logged = set(plan.sessions.filter(date=day, extra=0).values_list("slot", flat=True))
        sessions = {session.index: session for session in schedule.sessions_on(prescriptions, day)}
        if day == today:
            allowed = schedule.day_plan(
                prescriptions, now=now, zone=patient.zone, logged=logged
            ).open_indexes()
        else:
            allowed = set(sessions) - logged
        number = _extra_number(plan, day, slot, sessions, allowed) if extra else 0
        if not extra and slot in logged:
            raise ValidationError({"slot": "This session is already logged; nothing was changed."})
        if not extra and slot not in allowed:
            raise ValidationError({"slot": "That session is not due now, so it cannot be logged yet."})
        items = {item.pk or FLARE_UP_FALLBACK_KEY: item for item in sessions[slot].items}
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
            extra=number,
            logged_at=now,
            in_flare_up=flare_up is not None,
        )
        session.full_clean()
        session.save()
        for pk, sets in done.items():
            item = items[pk]
            ExerciseDone.objects.create(
                session=session,
                prescription=item if item.pk else None,
                exercise=item.exercise,
                sets_done=sets,
                sets_prescribed=item.sets,
            )
        missed_check_ins_raise(plan=plan, now=now)
        audit_record(actor=patient, action="rehab.session.log", patient=patient, audit=audit, obj=session)
    return session


def _extra_number(plan: RehabPlan, day: datetime.date, slot: int, sessions: dict, allowed: set[int]) -> int:
    """The number of an extra session of `slot`: one more than the slot's last of that day."""
    if slot not in sessions:
        raise ValidationError({"slot": "There is no such session on that day, so nothing was saved."})
    if slot in allowed:
        raise ValidationError(
            {"slot": "This session is not logged yet, so save it as the session itself, not as an extra one."}
        )
    last = plan.sessions.filter(date=day, slot=slot).aggregate(last=Max("extra"))["last"]
    number = (last or 0) + 1  # 0 stays for the planned session, even when it comes later
    if number > EXTRA_SESSIONS_RANGE[1]:
        raise ValidationError(
            {
                "slot": f"This session is already logged with {EXTRA_SESSIONS_RANGE[1]} extra ones today. "
                "That is plenty of load for the tendon in one day, so this one was not saved: rest is "
                "part of the plan too."
            }
        )
    return number


def session_log_rated(
    *,
    plan: RehabPlan,
    patient: User,
    day: datetime.date,
    slot: int,
    done: dict[int, int] | None,
    extra: bool,
    pain_during: int,
    pain_after: int,
    effort: int,
    note: str = "",
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> tuple[SessionLog, pain_rules.Advice]:
    """`session_log` and then `session_rate` in one transaction, for the exercise player, which asks how the
    session went before saving anything: when either refuses, nothing is saved."""
    with transaction.atomic():
        session = session_log(
            plan=plan, patient=patient, day=day, slot=slot, done=done, extra=extra, audit=audit, now=now
        )
        advice = session_rate(
            session=session,
            patient=patient,
            pain_during=pain_during,
            pain_after=pain_after,
            effort=effort,
            note=note,
            audit=audit,
            now=now,
        )
    session.refresh_from_db()
    return session, advice


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
            what=f"{session.title} of {session.date:%d %b %Y}",
            dedupe_key=f"rehab-session-{session.public_id}",
            now=now,
        )
        missed_check_ins_raise(plan=session.plan, now=now)
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


# How far back `check_in_record` reads check-ins for the trend: this week and the week before.
_TREND_HISTORY = datetime.timedelta(days=2 * trends.WINDOW_DAYS - 1)


def _check_in_facts(
    plan: RehabPlan, day: datetime.date, pain_on_waking: int, load_test_pain: int, *, trend_rising: bool
) -> pain_rules.CheckInFacts:
    """The facts of a check-in: compared with yesterday's check-in only, never an older one."""
    yesterday = plan.check_ins.filter(date=day - datetime.timedelta(days=1)).first()
    return pain_rules.CheckInFacts(
        pain_on_waking,
        load_test_pain,
        yesterday.pain_on_waking if yesterday else None,
        yesterday.load_test_pain if yesterday else None,
        has_earlier=yesterday is not None or plan.check_ins.filter(date__lt=day).exists(),
        trend_rising=trend_rising,
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
    """The morning check-in of `day` (the patient's local today), once a morning; it can be filled in until
    the end of that day, and `created_at` says when it was. It is compared with yesterday's check-in only (the
    morning before the loading): a rise in the load test of the plan's limit or more raises one pain-rising
    alert per check-in day. Pain creeping up over the last week or two (`rehab.trends`) raises one
    pain-trend alert per plan and ISO week."""
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
        patient_lock(patient=patient)
        plan = RehabPlan.objects.select_for_update().get(pk=plan.pk)
        _require_not_on_hold(patient)
        if plan.check_ins.filter(date=day).exists():
            raise ValidationError("You have already checked in this morning; nothing was changed.")
        history = list(
            plan.check_ins.filter(date__lt=day, date__gte=day - _TREND_HISTORY).values_list(
                "date", "pain_on_waking", "load_test_pain"
            )
        )
        rising, measures = trends.pain_rising([*history, (day, pain_on_waking, load_test_pain)], day)
        facts = _check_in_facts(plan, day, pain_on_waking, load_test_pain, trend_rising=rising)
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
        kinds = pain_rules.alerts_for("check_in", facts, thresholds)
        _pain_alerts_raise(
            patient,
            [kind for kind in kinds if kind != AlertKind.PAIN_TREND],
            advice,
            what=f"Morning check-in of {day:%d %b %Y}",
            dedupe_key=f"rehab-check-in-{plan.public_id}-{day.isoformat()}",
            now=now,
        )
        if AlertKind.PAIN_TREND in kinds:
            year, week, _ = day.isocalendar()
            _pain_alerts_raise(
                patient,
                [AlertKind.PAIN_TREND],
                advice,
                what=f"{' and '.join(measures).capitalize()} creeping up over the week to {day:%d %b %Y}",
                dedupe_key=f"rehab-pain-trend-{plan.public_id}-{year}-W{week:02d}",
                now=now,
            )
        missed_check_ins_raise(plan=plan, now=now)
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
        patient_lock(patient=by)
        plan = RehabPlan.objects.select_for_update().get(pk=plan.pk)
        _require_not_on_hold(by)
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
    """The suggestion of a check-in, worded again from the rule stored with it and compared, as when it was
    recorded, with yesterday's check-in only. The trend itself is not worked out again: the stored rule says
    whether there was one."""
    rule = pain_rules.RULES_BY_CODE.get(check_in.rule)
    if rule is None:
        return None
    facts = _check_in_facts(
        check_in.plan,
        check_in.date,
        check_in.pain_on_waking,
        check_in.load_test_pain,
        trend_rising=rule.code == "morning-trend",
    )
    thresholds = _thresholds(check_in.plan)
    return pain_rules.Advice(
        rule, pain_rules.words_for(rule, facts, thresholds), pain_rules.check_in_data_text(facts, thresholds)
    )


def flare_up_cancellable(flare_up: FlareUp, by: User, now: datetime.datetime | None = None) -> bool:
    """Whether `by` may still cancel the flare-up: they started it and it is under an hour old."""
    return (
        flare_up.is_open
        and flare_up.started_by_id == by.pk
        and _now(now) - flare_up.started_at <= FLARE_UP_CANCEL_WINDOW
    )


def flare_up_cancel(
    *,
    flare_up: FlareUp,
    by: User,
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> FlareUp:
    """The patient ends a flare-up they switched on by mistake, within an hour of switching it on; after that
    only a clinician ends it (`flare_up_end`), with a note.

    The flare-up alert raised at the start stays: the care team sees on the timeline that the patient
    cancelled it (the flare-up ended by the patient who started it; see `rehab.timeline`).
    """
    now = _now(now)
    with transaction.atomic():
        flare_up = (
            FlareUp.objects.select_for_update(of=("self",))
            .select_related("plan__patient")
            .get(pk=flare_up.pk)
        )
        _require_own_active_plan(flare_up.plan, by)
        if not flare_up.is_open:
            raise ValidationError("Flare-up mode has already ended.")
        if not flare_up_cancellable(flare_up, by, now):
            raise ValidationError(
                "Flare-up mode can only be cancelled within an hour of switching it on. Your clinician will "
                "switch your full plan back on: they have been told and will get in touch."
            )
        flare_up.ended_at = now
        flare_up.ended_by = by
        flare_up.full_clean()
        flare_up.save(update_fields=["ended_at", "ended_by"])
        audit_record(actor=by, action="rehab.flare_up.cancel", patient=by, audit=audit, obj=flare_up)
    return flare_up


# A pair of missed check-ins older than this is history, not something for the care team to act on now.
MISSED_CHECK_INS_RECENT = datetime.timedelta(days=14)


def missed_check_ins_raise(*, plan: RehabPlan, now: datetime.datetime | None = None) -> Alert | None:
    """One low alert when the two most recent sessions above the safe limit each went without a check-in
    the next morning (`selectors.missed_check_in_days`), the newer of them in the last two weeks.

    Idempotent: the dedupe key is the plan and the newer session's day, and nothing is raised while an
    earlier missed-check-ins alert of the patient is still open, so a run of misses gives one alert.
    Runs in the caller's transaction, or in its own.
    """
    now = _now(now)
    patient = plan.patient
    today = now.astimezone(patient.zone).date()
    days = selectors.missed_check_in_days(plan, today)
    if not days or days[0] < today - MISSED_CHECK_INS_RECENT:
        return None
    first_missed_morning = datetime.datetime.combine(
        min(days) + datetime.timedelta(days=1), datetime.time(), tzinfo=patient.zone
    )
    if holds.held_since(patient, first_missed_morning):  # no check-in could be saved while on hold
        return None
    with transaction.atomic():
        if Alert.objects.filter(
            patient=patient, kind=AlertKind.MISSED_CHECK_INS, acknowledged_at__isnull=True
        ).exists():
            return None
        listed = " and ".join(f"{day:%d %b}" for day in reversed(days))
        return alert_raise(
            patient=patient,
            kind=AlertKind.MISSED_CHECK_INS,
            severity=AlertSeverity.LOW,
            trigger=f"No next-morning check-in after the sessions of {listed}, both with pain above the "
            f"safe limit of {plan.pain_safe_max}/10. Without it the portal cannot tell how the tendon took "
            "the load, so it suggests no more load; the patient was reminded on Today.",
            dedupe_key=f"rehab-missed-check-ins-{plan.public_id}-{days[0].isoformat()}",
            now=now,
        )


def missed_check_ins_sweep(*, now: datetime.datetime | None = None) -> int:
    """`missed_check_ins_raise` for every active plan; the number of alerts raised. For a daily background
    task (safe to run twice: each alert is raised once), so that a patient who stops opening the portal is
    noticed too."""
    raised = 0
    for plan in RehabPlan.objects.filter(status=PlanStatus.ACTIVE).select_related("patient").order_by("pk"):
        if missed_check_ins_raise(plan=plan, now=now) is not None:
            raised += 1
    return raised
