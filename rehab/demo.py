"""The demo patient's rehab, for `manage.py seed_demo`.

A stage-2 plan from the template with two individual changes (three revisions with reasons), started six
weeks ago, and six weeks of history: a session most days with the next morning's check-in, a flare-up in
week 3 (higher pains, alerts the physio acknowledged, flare-up mode that the physio ended), then steady
improvement, so that the readiness checklist for stage 3 is met. VISA-H, PSFS and a pain rating at weeks 0,
2 and 4, so the next ones are due today. Today's session is left for the patient to do.

Each part is created only when it is missing, so running the command again adds nothing.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.demo import DEMO_PATIENT
from accounts.models import User
from careteam import services as careteam_services
from careteam.models import Alert, AlertKind, Severity
from conditions.models import Condition
from rehab import outcomes, pain_rules, schedule, selectors, services
from rehab.models import (
    ExerciseDone,
    FlareUp,
    MorningCheckIn,
    OutcomeMeasure,
    PlanRevision,
    PlanTemplate,
    RehabPlan,
    SessionLog,
)

PLAN_DAYS = 42
# Day i of the plan (0 = its first day). The session's pain during and after; None: no session that day.
DURING = [4, 4, 4, None, 3, 3, 3, 3, 3, 3, None, 3, 3, 3, 3, 4, 6, 3, 3, None, 2, 2, 2, 2, None, 2, 2, 2,
          2, 2, 2, 1, 1, None, 1, 1, 1, 1, 1, 1, 1, 1]  # fmt: skip
AFTER = [4, 5, 4, None, 4, 3, 4, 3, 3, 3, None, 3, 3, 3, 3, 5, 7, 3, 3, None, 3, 2, 2, 2, None, 2, 2, 2,
         2, 2, 2, 2, 1, None, 1, 1, 1, 1, 1, 1, 1, 1]  # fmt: skip
EFFORT = [6, 6, 5, None, 6, 5, 5, 6, 5, 5, None, 6, 6, 6, 6, 7, 8, 3, 3, None, 4, 5, 5, 5, None, 6, 6, 6,
          6, 6, 7, 6, 6, None, 6, 7, 6, 6, 7, 7, 6, 7]  # fmt: skip
# The morning check-in of day i (after the session of day i - 1): pain on waking and the load test.
WAKING = [None, 3, 3, 3, None, 3, 2, 2, 2, 2, 2, None, 2, 2, 2, 2, 2, 5, 4, 3, None, 2, 2, 2, 2, None,
          1, 1, 1, 1, 1, 1, 1, 1, None, 1, 1, 0, 0, 0, 0, 0]  # fmt: skip
LOAD_TEST = [None, 3, 3, 3, None, 3, 3, 2, 2, 2, 2, None, 2, 2, 2, 2, 3, 6, 5, 3, None, 2, 2, 2, 2, None,
             2, 2, 2, 2, 1, 1, 1, 1, None, 1, 1, 1, 1, 1, 1, 1]  # fmt: skip
FLARE_UP_DAYS = (17, 22)  # switched on the morning of day 17, ended by the physio on day 22
NOTES = {
    0: "First go at the programme. Bridges feel wobbly on the right.",
    16: "Long drive yesterday and a hard chair at work. It really hurt after the band exercises.",
    17: "Only the holds today, as the flare-up page said.",
    29: "Sat through a two-hour meeting with a cushion, only a dull ache.",
}
VISA_H_ANSWERS = {
    0: {"q1": 4, "q2": 5, "q3": 6, "q4": 4, "q5": 5, "q6": 6, "q7": "modified", "q8": "on-2"},
    14: {"q1": 5, "q2": 6, "q3": 6, "q4": 5, "q5": 6, "q6": 6, "q7": "modified", "q8": "on-2"},
    28: {"q1": 7, "q2": 7, "q3": 8, "q4": 7, "q5": 7, "q6": 8, "q7": "modified", "q8": "on-3"},
}
PSFS_RATINGS = {0: (3, 1, 4), 14: (4, 2, 5), 28: (6, 3, 7)}
PSFS_ACTIVITIES = ("Sitting through a working day", "Running 5 km", "Driving for an hour")
PAIN_RATINGS = {0: 5, 14: 4, 28: 2}


def seed_demo_rehab() -> None:
    services.library_load()
    patient = User.objects.get(email=DEMO_PATIENT["email"])
    physio = User.objects.get(email="physio@demo.test")
    today = timezone.localtime(timezone=patient.zone).date()
    plan = RehabPlan.objects.filter(patient=patient).first()
    if plan is None:
        plan = _demo_plan(patient, physio, today - datetime.timedelta(days=PLAN_DAYS))
    if plan.is_active and not plan.sessions.exists():
        _demo_history(plan, patient, physio, today)
    if not OutcomeMeasure.objects.filter(patient=patient).exists():
        _demo_outcomes(plan, patient)


def _demo_plan(patient: User, physio: User, start: datetime.date) -> RehabPlan:
    plan = services.plan_assign(
        patient=patient,
        template=PlanTemplate.objects.get(stage=2),
        by=physio,
        condition=Condition.objects.get(slug="hamstring-tendinopathy"),
        start_date=start,
        goals=DEMO_PATIENT["goals"],
    )
    bridge = plan.prescriptions.get(exercise__slug="single-leg-bridge")
    services.prescription_update(
        plan=plan,
        prescription=bridge,
        by=physio,
        reason="The right side tires early: fewer repetitions, an extra set, done slowly.",
        expected_version=1,
        sets=bridge.sets + 1,
        reps=max(1, (bridge.reps or 10) - 2),
        note_to_patient="Lower slowly over three seconds. Stop the set if the sitting bone aches above 3/10.",
    )
    services.prescription_remove(
        plan=plan,
        prescription=plan.prescriptions.get(exercise__slug="leg-curl-machine"),
        by=physio,
        reason="Alex trains at home, so the band knee bend replaces the gym leg curl.",
        expected_version=2,
    )
    for number, day in ((1, 0), (2, 7), (3, 14)):
        PlanRevision.objects.filter(plan=plan, number=number).update(
            created_at=_at(start + datetime.timedelta(days=day), 9, 15, patient)
        )
    return plan


def _at(day: datetime.date, hour: int, minute: int, patient: User) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=patient.zone)


def _demo_history(plan: RehabPlan, patient: User, physio: User, today: datetime.date) -> None:
    start = plan.start_date
    prescriptions = list(selectors.prescriptions_of(plan))
    flare_set = selectors.flare_up_set_of(prescriptions)
    thresholds = pain_rules.Thresholds(plan.pain_safe_max, plan.pain_alert_above, plan.load_test_rise_alert)
    first_flare, last_flare = FLARE_UP_DAYS
    previous_check_in: tuple[int | None, int | None] | None = None
    for i in range(PLAN_DAYS):
        day = start + datetime.timedelta(days=i)
        if day >= today:
            break
        waking, load = WAKING[i], LOAD_TEST[i]
        if waking is not None and load is not None:
            before = previous_check_in or (None, None)
            facts = pain_rules.CheckInFacts(waking, load, before[0], before[1])
            outcome = pain_rules.evaluate_check_in(facts, thresholds)
            MorningCheckIn.objects.create(
                plan=plan,
                patient=patient,
                date=day,
                pain_on_waking=waking,
                load_test_pain=load,
                created_at=_at(day, 7, 20, patient),
                suggestion=outcome.suggestion,
                rule=outcome.rule.code,
            )
            for kind in pain_rules.alerts_for("check_in", facts, thresholds):
                _acknowledged_alert(
                    patient,
                    physio,
                    kind=kind,
                    trigger=f"Morning check-in of {day:%d %b %Y}: {outcome.for_clinician}.",
                    key=f"rehab-check-in-{plan.public_id}-{day.isoformat()}",
                    raised_at=_at(day, 7, 20, patient),
                    comment="Phoned Alex: flare-up after a long drive. Holds only for a few days.",
                )
            previous_check_in = (waking, load)
        if i == first_flare:
            _demo_flare_up(plan, patient, physio, start)
        during, after, effort = DURING[i], AFTER[i], EFFORT[i]
        if during is None or after is None or effort is None:
            continue
        in_flare_up = first_flare <= i < last_flare
        items = flare_set if in_flare_up else prescriptions
        sessions = schedule.sessions_on(items, day)
        if not sessions:
            continue
        facts_session = pain_rules.SessionFacts(during, after, effort, in_flare_up)
        outcome_session = pain_rules.evaluate_session(facts_session, thresholds)
        session = SessionLog.objects.create(
            plan=plan,
            patient=patient,
            date=day,
            slot=sessions[0].index,
            slot_name=sessions[0].name,
            pain_during=during,
            pain_after=after,
            effort=effort,
            note=NOTES.get(i, ""),
            logged_at=_at(day, 18, 5, patient),
            rated_at=_at(day, 18, 7, patient),
            in_flare_up=in_flare_up,
            suggestion=outcome_session.suggestion,
            rule=outcome_session.rule.code,
        )
        ExerciseDone.objects.bulk_create(
            ExerciseDone(
                session=session,
                prescription=item,
                exercise=item.exercise,
                sets_done=item.sets,
                sets_prescribed=item.sets,
            )
            for item in sessions[0].items
        )
        for kind in pain_rules.alerts_for("session", facts_session, thresholds):
            _acknowledged_alert(
                patient,
                physio,
                kind=kind,
                trigger=f"{session.slot_name} session of {day:%d %b %Y}: {outcome_session.for_clinician}.",
                key=f"rehab-session-{session.public_id}",
                raised_at=session.logged_at,
                comment="Seen. Advised fewer sets tomorrow; will review at Thursday's appointment.",
            )


def _demo_flare_up(plan: RehabPlan, patient: User, physio: User, start: datetime.date) -> None:
    first, last = FLARE_UP_DAYS
    started_at = _at(start + datetime.timedelta(days=first), 7, 35, patient)
    flare_up = FlareUp.objects.create(
        plan=plan,
        started_at=started_at,
        started_by=patient,
        ended_at=_at(start + datetime.timedelta(days=last), 10, 30, patient),
        ended_by=physio,
        note="Pain has settled back to 2/10 and the morning test is back to 2. Back to the full plan, "
        "with the band exercises at two sets for the first three days.",
    )
    _acknowledged_alert(
        patient,
        physio,
        kind=AlertKind.FLARE_UP,
        trigger=f"{patient.get_full_name()} switched to flare-up mode on {started_at:%d %b %Y at %H:%M}.",
        key=f"rehab-flare-up-{flare_up.public_id}",
        raised_at=started_at,
        comment="Called Alex the same morning; isometric holds only, review on Friday.",
    )


def _acknowledged_alert(
    patient: User,
    physio: User,
    *,
    kind: str,
    trigger: str,
    key: str,
    raised_at: datetime.datetime,
    comment: str,
) -> None:
    """A past alert, raised and acknowledged at the time it happened."""
    alert = careteam_services.alert_raise(
        patient=patient, kind=kind, severity=Severity.MEDIUM, trigger=trigger, dedupe_key=key
    )
    if alert is None:
        return
    careteam_services.alert_acknowledge(alert=alert, by=physio, comment=comment)
    Alert.objects.filter(pk=alert.pk).update(
        raised_at=raised_at, acknowledged_at=raised_at + datetime.timedelta(hours=2)
    )


def _demo_outcomes(plan: RehabPlan, patient: User) -> None:
    for day, answers in VISA_H_ANSWERS.items():
        score, cleaned = outcomes.visa_h_score(answers)
        _measure(plan, patient, outcomes.OutcomeKind.VISA_H, day, Decimal(score), cleaned)
    for day, ratings in PSFS_RATINGS.items():
        score_psfs, cleaned = outcomes.psfs_score(list(zip(PSFS_ACTIVITIES, ratings, strict=True)))
        _measure(plan, patient, outcomes.OutcomeKind.PSFS, day, score_psfs, cleaned)
    for day, rating in PAIN_RATINGS.items():
        score_pain, cleaned = outcomes.pain_rating_score(rating)
        _measure(plan, patient, outcomes.OutcomeKind.PAIN_RATING, day, Decimal(score_pain), cleaned)


def _measure(plan: RehabPlan, patient: User, kind: str, day: int, score: Decimal, answers: dict) -> None:
    taken_on = plan.start_date + datetime.timedelta(days=day)
    OutcomeMeasure.objects.create(
        patient=patient,
        plan=plan,
        kind=kind,
        taken_on=taken_on,
        score=score,
        answers=answers,
        created_at=_at(taken_on, 19, 0, patient),
    )
