"""The demo patient's rehab, for `manage.py seed_demo`.

A stage-2 plan from the template with two individual changes (three revisions with reasons), started six
weeks ago, and six weeks of history: a session most days with the next morning's check-in, a flare-up in
week 3 (higher pains, alerts the physio acknowledged, flare-up mode that the physio ended), then steady
improvement, so that the readiness checklist for stage 3 is met. VISA-H, PSFS and a pain rating at weeks 0,
2 and 4, so the next ones are due today. Today's session is left for the patient to do.

Every row is written by the services the portal itself uses (`session_log`, `session_rate`, `check_in_record`,
the flare-up and outcome services, `alert_acknowledge`), each told the historical moment with `now=`, so the
suggestions, rules and alerts are the ones the patient would have got. Each part is created only when it is
missing, so running the command again adds nothing.
"""

import contextlib
import datetime
from collections.abc import Iterator

from django.utils import timezone

from accounts.demo import DEMO_PATIENT
from accounts.models import User
from careteam import services as careteam_services
from careteam.models import Alert
from conditions.models import Condition
from rehab import outcomes, schedule, selectors
from rehab.models import FlareUp, OutcomeMeasure, PlanTemplate, RehabPlan
from rehab.services import daily, plans
from rehab.services.outcomes import outcome_record

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
FLARE_UP_END_NOTE = (
    "Pain has settled back to 2/10 and the morning test is back to 2. Back to the full plan, "
    "with the band exercises at two sets for the first three days."
)
ACKNOWLEDGED_AFTER = datetime.timedelta(hours=2)


def seed_demo_rehab() -> None:
    plans.library_load()
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
    plan = plans.plan_assign(
        patient=patient,
        template=PlanTemplate.objects.get(stage=2),
        by=physio,
        condition=Condition.objects.get(slug="hamstring-tendinopathy"),
        start_date=start,
        goals=DEMO_PATIENT["goals"],
        now=_at(start, 9, 15, patient),
    )
    bridge = plan.prescriptions.get(exercise__slug="single-leg-bridge")
    plans.prescription_update(
        plan=plan,
        prescription=bridge,
        changes={
            "sets": bridge.sets + 1,
            "reps": max(1, (bridge.reps or 10) - 2),
            "note_to_patient": "Lower slowly over three seconds. "
            "Stop the set if the sitting bone aches above 3/10.",
        },
        signed=plans.Signed(
            by=physio,
            reason="The right side tires early: fewer repetitions, an extra set, done slowly.",
            expected_version=1,
            now=_at(start + datetime.timedelta(days=7), 9, 15, patient),
        ),
    )
    plans.prescription_remove(
        plan=plan,
        prescription=plan.prescriptions.get(exercise__slug="leg-curl-machine"),
        signed=plans.Signed(
            by=physio,
            reason="Alex trains at home, so the band knee bend replaces the gym leg curl.",
            expected_version=2,
            now=_at(start + datetime.timedelta(days=14), 9, 15, patient),
        ),
    )
    return plan


def _at(day: datetime.date, hour: int, minute: int, patient: User) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=patient.zone)


def _demo_history(plan: RehabPlan, patient: User, physio: User, today: datetime.date) -> None:
    """The days before today in order, each as the patient (and the physio) would have lived it: the
    morning check-in, the flare-up switched on or ended, then the day's first session logged and rated."""
    start = plan.start_date
    first_flare, last_flare = FLARE_UP_DAYS
    flare_up: FlareUp | None = None
    for i in range(PLAN_DAYS):
        day = start + datetime.timedelta(days=i)
        if day >= today:
            break
        waking, load = WAKING[i], LOAD_TEST[i]
        if waking is not None and load is not None:
            checked_in_at = _at(day, 7, 20, patient)
            with _acknowledged_alerts(
                patient,
                physio,
                raised_at=checked_in_at,
                comment="Phoned Alex: flare-up after a long drive. Holds only for a few days.",
            ):
                daily.check_in_record(
                    plan=plan,
                    patient=patient,
                    day=day,
                    pain_on_waking=waking,
                    load_test_pain=load,
                    now=checked_in_at,
                )
        if i == first_flare:
            started_at = _at(day, 7, 35, patient)
            with _acknowledged_alerts(
                patient,
                physio,
                raised_at=started_at,
                comment="Called Alex the same morning; isometric holds only, review on Friday.",
            ):
                flare_up = daily.flare_up_start(plan=plan, by=patient, now=started_at)
        if i == last_flare and flare_up is not None:
            daily.flare_up_end(
                flare_up=flare_up, by=physio, note=FLARE_UP_END_NOTE, now=_at(day, 10, 30, patient)
            )
        during, after, effort = DURING[i], AFTER[i], EFFORT[i]
        if during is None or after is None or effort is None:
            continue
        in_flare_up = selectors.open_flare_up(plan) is not None
        sessions = schedule.sessions_on(selectors.prescriptions_for_day(plan, in_flare_up=in_flare_up), day)
        if not sessions:
            continue
        session = daily.session_log(
            plan=plan,
            patient=patient,
            day=day,
            slot=sessions[0].index,
            done=None,
            now=_at(day, 18, 5, patient),
        )
        rated_at = _at(day, 18, 7, patient)
        with _acknowledged_alerts(
            patient,
            physio,
            raised_at=rated_at,
            comment="Seen. Advised fewer sets tomorrow; will review at Thursday's appointment.",
        ):
            daily.session_rate(
                session=session,
                patient=patient,
                pain_during=during,
                pain_after=after,
                effort=effort,
                note=NOTES.get(i, ""),
                now=rated_at,
            )


@contextlib.contextmanager
def _acknowledged_alerts(
    patient: User, physio: User, *, raised_at: datetime.datetime, comment: str
) -> Iterator[None]:
    """The alerts a service raises inside the block: acknowledged by the physio, as in the past they were."""
    open_alerts = Alert.objects.filter(patient=patient, acknowledged_at__isnull=True)
    open_before = set(open_alerts.values_list("pk", flat=True))
    yield
    raised = list(open_alerts.exclude(pk__in=open_before))
    for alert in raised:
        careteam_services.alert_acknowledge(
            alert=alert, by=physio, comment=comment, now=raised_at + ACKNOWLEDGED_AFTER
        )


def _demo_outcomes(plan: RehabPlan, patient: User) -> None:
    for day, answers in VISA_H_ANSWERS.items():
        _measure(plan, patient, outcomes.OutcomeKind.VISA_H, day, answers)
    for day, ratings in PSFS_RATINGS.items():
        activities = list(zip(PSFS_ACTIVITIES, ratings, strict=True))
        _measure(plan, patient, outcomes.OutcomeKind.PSFS, day, {"activities": activities})
    for day, rating in PAIN_RATINGS.items():
        _measure(plan, patient, outcomes.OutcomeKind.PAIN_RATING, day, {"rating": rating})


def _measure(plan: RehabPlan, patient: User, kind: str, day: int, answers: dict) -> None:
    taken_on = plan.start_date + datetime.timedelta(days=day)
    outcome_record(patient=patient, kind=kind, answers=answers, now=_at(taken_on, 19, 0, patient))
