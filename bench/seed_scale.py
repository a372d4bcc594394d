"""A clinic at scale for the page benchmark (bench/load.py): 2,000 patients, 20 clinicians, six months of
sessions and morning check-ins for every patient, 300 patients on one physiotherapist's caseload.

The people the benchmark signs in as, and the patient whose pages it reads, are made by the portal's own
services, as `manage.py seed_demo` makes the demo: accounts, care-team memberships, the plan (assigned from
the stage template, then revised), 180 days of check-ins, sessions logged and rated one by one (so the
suggestions, rules and alerts are the ones the patient would have got), alerts acknowledged by the physio,
notes, referrals and questionnaires. That takes about 40 s for one patient's six months, so the other 1,999
patients (some 20 hours at that pace) are written in bulk: names from the test factories, plans copied from
the stage templates with a revision snapshot each (`bulk_create`), sessions and check-ins with the pain rules'
suggestion for their scores (PostgreSQL's COPY, see `_copy`), an alert for every session above the plan's
limit, notes, questionnaires and reminder settings (`bulk_create`).

Two small accounts let the benchmark check that a page asks the database as often for little data as for a
lot: a patient with one day of logs, and a physiotherapist with five patients.

Not written in bulk (no page the benchmark reads shows them): the exercises ticked per bulk session, the audit
rows the bulk writes would have left, and the bulk patients' reminder deliveries.
"""

import dataclasses
import datetime
import functools
import io
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services as account_services
from accounts.models import Discipline, PatientProfile, User
from accounts.two_factor import AUTHENTICATOR_NAME
from careteam import services as careteam_services
from careteam.models import (
    Alert,
    AlertSeverity,
    CareTeamMembership,
    Note,
    TeamRole,
    Urgency,
    Visibility,
)
from conditions.models import Condition
from rehab import pain_rules, schedule, selectors
from rehab.models import (
    MorningCheckIn,
    OutcomeMeasure,
    PlanRevision,
    PlanTemplate,
    Prescription,
    RehabPlan,
    SessionLog,
)
from rehab.revisions import plan_snapshot
from rehab.services import daily, plans
from rehab.services.outcomes import outcome_record
from reminders.models import Delivery, Notification, ReminderSettings, ReminderTime
from tests.factories import PatientProfileFactory, UserFactory

PATIENTS = 2000
CLINICIANS = 20
CASELOAD = 300  # the benchmark physio's patients, the benchmark patient among them
SMALL_CASELOAD = 5
HISTORY_DAYS = 182  # six months, up to yesterday; today is left for the patient to do
BATCH = 5000
SEED = 20261121

PATIENT_EMAIL = "bench-patient@example.test"
PHYSIO_EMAIL = "bench-physio@example.test"
SMALL_PATIENT_EMAIL = "bench-small-patient@example.test"
SMALL_PHYSIO_EMAIL = "bench-small-physio@example.test"

# The other 18 clinicians: 6 more physiotherapists lead the other caseloads; the rest join teams as members.
OTHER_DISCIPLINES = [Discipline.PHYSIOTHERAPY] * 6 + [
    Discipline.CHIROPRACTIC,
    Discipline.CHIROPRACTIC,
    Discipline.CHIROPRACTIC,
    Discipline.MASSAGE,
    Discipline.MASSAGE,
    Discipline.MASSAGE,
    Discipline.KINESIOLOGY,
    Discipline.KINESIOLOGY,
    Discipline.NUTRITION,
    Discipline.NUTRITION,
    Discipline.PSYCHOTHERAPY,
    Discipline.PSYCHOTHERAPY,
]

NOTE_TEXTS = [
    (
        "Ache at the sitting bone after a long drive, settles within the hour.",
        "Bridge hold 45 s on the affected side without pain; tender over the tendon origin.",
        "Loading is tolerated; symptoms follow sitting rather than exercise.",
        "Keep the plan; a cushion for driving; review in two weeks.",
    ),
    (
        "Managed two easy runs this week, sore the morning after the second.",
        "Single-leg bridge 15 repetitions, pain 2/10 at the end.",
        "Next-day response within limits, so the running can stay.",
        "Add one short run a week if mornings stay settled.",
    ),
    (
        "Sleeping well, no pain at rest.",
        "Hip extension strength close to the other side on the hand-held test.",
        "Strength is returning; the tendon copes with the current load.",
        "Progress the band exercises by one band colour.",
    ),
]


@dataclasses.dataclass
class Clinic:
    """Who the benchmark signs in as and reads about, with what was written and how long each part took."""

    password: str
    patient: User
    physio: User
    small_patient: User
    small_physio: User
    rows: dict[str, int]
    seconds: dict[str, float]


class Stopwatch:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def part(self, name: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = work()
        self.seconds[name] = time.perf_counter() - started
        return result


def seed_clinic(*, password: str, patients: int = PATIENTS) -> Clinic:
    """Write the whole clinic into an empty, migrated database."""
    rng = random.Random(SEED)
    clock = Stopwatch()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=HISTORY_DAYS)

    clock.part("content", _load_content)
    condition = Condition.objects.get(slug="hamstring-tendinopathy")
    templates = {template.stage: template for template in PlanTemplate.objects.prefetch_related("items")}
    physio, small_physio, others = clock.part("clinicians", lambda: _clinicians(password))
    patient, small_patient = clock.part(
        "benchmark patients (services)", lambda: _benchmark_patients(password, physio, small_physio, start)
    )
    plan = clock.part(
        "benchmark patient's plan (services)",
        lambda: _benchmark_plan(patient, physio, templates[2], condition, start),
    )
    clock.part(
        "benchmark patient's 6 months (services)",
        lambda: _benchmark_history(plan, patient, physio, start, today, rng),
    )
    clock.part(
        "benchmark patient's record (services)",
        lambda: _benchmark_record(plan, patient, physio, others, start, today),
    )
    clock.part(
        "small patient (services)",
        lambda: _small_patient(small_patient, small_physio, templates[1], condition, today),
    )
    bulk = BulkClinic(rng=rng, today=today, start=start, condition=condition, templates=templates)
    clock.part(
        "other patients and teams (bulk)",
        lambda: bulk.people(patients - 2, physio=physio, small_physio=small_physio, others=others),
    )
    clock.part("their plans (bulk)", bulk.plans)
    clock.part("their sessions and check-ins (bulk)", bulk.history)
    clock.part("their alerts, notes, questionnaires, reminders (bulk)", bulk.extras)
    clock.part("VACUUM (ANALYZE)", _vacuum_and_analyze)

    rows = {
        "patients": User.objects.filter(role="patient").count(),
        "clinicians": User.objects.filter(role="clinician").count(),
        "plans": RehabPlan.objects.count(),
        "sessions": SessionLog.objects.count(),
        "check-ins": MorningCheckIn.objects.count(),
        "alerts": Alert.objects.count(),
        "notes": Note.objects.count(),
        "questionnaires": OutcomeMeasure.objects.count(),
        "caseload of the benchmark physio": selectors_caseload(physio),
    }
    return Clinic(password, patient, physio, small_patient, small_physio, rows, clock.seconds)


def selectors_caseload(physio: User) -> int:
    return CareTeamMembership.objects.filter(clinician=physio).active().count()


def _load_content() -> None:
    """The shipped condition articles and exercise library, as production loads them (README)."""
    call_command("load_conditions", stdout=io.StringIO())
    call_command("load_library", stdout=io.StringIO())


def _at(day: datetime.date, hour: int, minute: int, zone) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


# --- the people the benchmark signs in as, through the services ------------------------------------------


def _authenticator(user: User) -> None:
    """A confirmed authenticator app, as after setting one up; sign-in then asks for its code."""
    TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)


def _clinicians(password: str) -> tuple[User, User, list[User]]:
    physio = account_services.clinician_create(
        email=PHYSIO_EMAIL,
        first_name="Priya",
        last_name="Bench",
        password=password,
        discipline=Discipline.PHYSIOTHERAPY,
        registration_number="PH900001",
    )
    small_physio = account_services.clinician_create(
        email=SMALL_PHYSIO_EMAIL,
        first_name="Sam",
        last_name="Small",
        password=password,
        discipline=Discipline.PHYSIOTHERAPY,
        registration_number="PH900002",
    )
    for user in (physio, small_physio):
        _authenticator(user)
    names = UserFactory.build_batch(len(OTHER_DISCIPLINES), password=factory.Transformer.Force(""))
    others = [
        account_services.clinician_create(
            email=f"bench-clinician-{n}@example.test",
            first_name=person.first_name,
            last_name=person.last_name,
            password=None,
            discipline=discipline,
            registration_number=f"RG{n:06d}",
        )
        for n, (person, discipline) in enumerate(zip(names, OTHER_DISCIPLINES, strict=True))
    ]
    return physio, small_physio, others


def _benchmark_patients(
    password: str, physio: User, small_physio: User, start: datetime.date
) -> tuple[User, User]:
    patient = account_services.patient_create(
        email=PATIENT_EMAIL,
        first_name="Robin",
        last_name="Bench",
        password=password,
        date_of_birth=datetime.date(1984, 5, 2),
        affected_side="right",
        onset_date=start - datetime.timedelta(days=60),
        sport_or_occupation="Club runner, office job",
        goals="Run a half marathon again and sit through a working day without pain.",
    )
    small_patient = account_services.patient_create(
        email=SMALL_PATIENT_EMAIL,
        first_name="Kim",
        last_name="Small",
        password=password,
        date_of_birth=datetime.date(1990, 1, 9),
        affected_side="left",
        onset_date=start,
        sport_or_occupation="Football",
        goals="Play a full match.",
    )
    careteam_services.membership_add(
        patient=patient, clinician=physio, role=TeamRole.LEAD, by=None, active_from=start
    )
    careteam_services.membership_add(
        patient=small_patient,
        clinician=small_physio,
        role=TeamRole.LEAD,
        by=None,
        active_from=timezone.localdate() - datetime.timedelta(days=1),
    )
    return patient, small_patient


def _benchmark_plan(
    patient: User, physio: User, template: PlanTemplate, condition: Condition, start: datetime.date
) -> RehabPlan:
    """A stage-2 plan from the template, revised twice, as a physio would over six months."""
    plan = plans.plan_assign(
        patient=patient,
        template=template,
        by=physio,
        condition=condition,
        start_date=start,
        goals="Half marathon in the autumn.",
        now=_at(start, 9, 15, patient.zone),
    )
    first = plan.prescriptions.order_by("order").first()
    assert first is not None
    plans.prescription_update(
        plan=plan,
        prescription=first,
        changes={"sets": min(first.sets + 1, 10), "note_to_patient": "Lower slowly over three seconds."},
        signed=plans.Signed(
            by=physio,
            reason="Tolerating the dose well: one more set, done slowly.",
            expected_version=1,
            now=_at(start + datetime.timedelta(days=30), 9, 15, patient.zone),
        ),
    )
    last = plan.prescriptions.order_by("-order").first()
    assert last is not None
    plans.prescription_update(
        plan=plan,
        prescription=last,
        changes={"note_to_patient": "Keep the pace easy; stop if the sitting bone aches above 3/10."},
        signed=plans.Signed(
            by=physio,
            reason="A reminder of the pain limit for the running drills.",
            expected_version=2,
            now=_at(start + datetime.timedelta(days=90), 9, 15, patient.zone),
        ),
    )
    return RehabPlan.objects.get(pk=plan.pk)


def _pain(rng: random.Random, baseline: float) -> tuple[int, int, int]:
    """During, after and effort for one session: around a baseline that falls over the months, with now and
    then a bad day above the plan's alert limit."""
    if rng.random() < 0.02:
        return 6, 7, 8
    during = max(0, min(10, round(baseline + rng.uniform(-1, 1))))
    after = max(0, min(10, during + rng.choice((0, 0, 1))))
    return during, after, rng.randint(4, 7)


def _benchmark_history(
    plan: RehabPlan,
    patient: User,
    physio: User,
    start: datetime.date,
    today: datetime.date,
    rng: random.Random,
) -> None:
    """Every day up to yesterday as the patient lived it: the morning check-in, then each of the day's
    sessions logged and rated (about nine days in ten), through the services with the moment they happened.
    The physio acknowledges the alerts this raises two hours later, except those of the last week."""
    zone = patient.zone
    prescriptions = selectors.prescriptions_for_day(plan, in_flare_up=False)
    day = start
    index = 0
    while day < today:
        baseline = 3.2 - 2.2 * index / HISTORY_DAYS
        open_before = set(Alert.objects.filter(patient=patient).values_list("pk", flat=True))
        if day > start and rng.random() < 0.9:
            waking = max(0, min(10, round(baseline - 1 + rng.uniform(-1, 1))))
            daily.check_in_record(
                plan=plan,
                patient=patient,
                day=day,
                pain_on_waking=waking,
                load_test_pain=max(0, min(10, waking + rng.choice((0, 1)))),
                now=_at(day, 7, 20, zone),
            )
        for session in schedule.sessions_on(prescriptions, day):
            if rng.random() >= 0.9:
                continue
            logged_at = datetime.datetime.combine(day, session.start, tzinfo=zone) + datetime.timedelta(
                minutes=30
            )
            log = daily.session_log(
                plan=plan, patient=patient, day=day, slot=session.index, done=None, now=logged_at
            )
            during, after, effort = _pain(rng, baseline)
            daily.session_rate(
                session=log,
                patient=patient,
                pain_during=during,
                pain_after=after,
                effort=effort,
                note="Hard day at work, sat for hours." if during >= 6 else "",
                now=logged_at + datetime.timedelta(minutes=2),
            )
        if (today - day).days > 7:
            for alert in Alert.objects.filter(patient=patient, acknowledged_at__isnull=True).exclude(
                pk__in=open_before
            ):
                careteam_services.alert_acknowledge(
                    alert=alert,
                    by=physio,
                    comment="Phoned the patient: a long day of sitting. Same plan, fewer sets tomorrow.",
                    now=alert.raised_at + datetime.timedelta(hours=2),
                )
        day += datetime.timedelta(days=1)
        index += 1


def _benchmark_record(
    plan: RehabPlan,
    patient: User,
    physio: User,
    others: list[User],
    start: datetime.date,
    today: datetime.date,
) -> None:
    """The care team around the patient, a note a week, two referrals, questionnaires every fortnight and
    the reminder bell's history."""
    zone = patient.zone
    members = [others[6], others[9], others[12]]  # a chiropractor, a massage therapist, a kinesiologist
    for member in members:
        careteam_services.membership_add(patient=patient, clinician=member, by=physio, active_from=start)
    authors = [physio, *members]
    for week in range(HISTORY_DAYS // 7):
        subjective, objective, assessment, next_steps = NOTE_TEXTS[week % len(NOTE_TEXTS)]
        careteam_services.note_create(
            patient=patient,
            author=authors[week % len(authors)] if week % 2 else physio,
            visibility=Visibility.SHARED if week % 3 == 0 else Visibility.TEAM,
            subjective=subjective,
            objective=objective,
            assessment=assessment,
            plan=next_steps,
            body=f"Week {week + 1}: reviewed the log with the patient. **Pain rule** explained again.",
            written_at=_at(start + datetime.timedelta(days=7 * week + 3), 11, 0, zone),
        )
    careteam_services.referral_create(
        patient=patient,
        referred_by=physio,
        discipline=Discipline.NUTRITION,
        reason="Energy intake around longer runs.",
        urgency=Urgency.ROUTINE,
        to_clinician=others[14],
    )
    careteam_services.referral_create(
        patient=patient,
        referred_by=physio,
        discipline=Discipline.PSYCHOTHERAPY,
        reason="Worry about running again after a long lay-off.",
        urgency=Urgency.ROUTINE,
    )
    for fortnight in range(HISTORY_DAYS // 14):
        taken_on = start + datetime.timedelta(days=14 * fortnight)
        score = min(10, 3 + fortnight // 2)
        outcome_record(
            patient=patient,
            kind="visa_h",
            answers={f"q{n}": score for n in range(1, 7)} | {"q7": "modified", "q8": "on-2"},
            now=_at(taken_on, 19, 0, zone),
        )
        outcome_record(
            patient=patient,
            kind="pain_rating",
            answers={"rating": max(0, 5 - fortnight // 3)},
            now=_at(taken_on, 19, 5, zone),
        )
    _bell_history(patient, start, today)


def _bell_history(patient: User, start: datetime.date, today: datetime.date) -> None:
    """Two in-app exercise reminders a day, sent; all read but the last three."""
    settings_row = ReminderSettings.objects.create(user=patient, email=False)
    times = [
        ReminderTime.objects.create(user=patient, time=datetime.time(8, 0), weekdays=list(range(7))),
        ReminderTime.objects.create(user=patient, time=datetime.time(18, 0), weekdays=list(range(7))),
    ]
    deliveries = []
    day = start
    while day <= today:
        for reminder in times:
            moment = datetime.datetime.combine(day, reminder.time, tzinfo=patient.zone)
            if moment <= timezone.now():
                deliveries.append(
                    Delivery(
                        recipient=patient,
                        kind="exercise",
                        source=f"time:{reminder.public_id}",
                        occurrence=moment,
                        channel="in_app",
                        status="sent",
                        attempts=1,
                        sent_at=moment,
                    )
                )
        day += datetime.timedelta(days=1)
    Delivery.objects.bulk_create(deliveries, batch_size=BATCH)
    unread_from = len(deliveries) - 3
    Notification.objects.bulk_create(
        [
            Notification(
                user=patient,
                delivery=delivery,
                title="Time for your exercises",
                url="/rehab/today/",
                created_at=delivery.occurrence,
                read_at=None if n >= unread_from else delivery.occurrence + datetime.timedelta(hours=1),
            )
            for n, delivery in enumerate(deliveries)
        ],
        batch_size=BATCH,
    )
    del settings_row


def _small_patient(
    patient: User, physio: User, template: PlanTemplate, condition: Condition, today: datetime.date
) -> None:
    """A plan that started yesterday, with yesterday's sessions (the last one painful enough to raise an
    alert), a note, and this morning's check-in: little data, but one row of each kind the pages list, so the
    query counts compare like with like (an empty list skips its prefetch)."""
    yesterday = today - datetime.timedelta(days=1)
    zone = patient.zone
    plan = plans.plan_assign(
        patient=patient,
        template=template,
        by=physio,
        condition=condition,
        start_date=yesterday,
        now=_at(yesterday, 8, 0, zone),
    )
    prescriptions = selectors.prescriptions_for_day(plan, in_flare_up=False)
    sessions = schedule.sessions_on(prescriptions, yesterday)
    for number, session in enumerate(sessions, start=1):
        pain_after = plan.pain_alert_above + 1 if number == len(sessions) else 3
        logged_at = datetime.datetime.combine(yesterday, session.start, tzinfo=zone) + datetime.timedelta(
            minutes=30
        )
        log = daily.session_log(
            plan=plan, patient=patient, day=yesterday, slot=session.index, done=None, now=logged_at
        )
        daily.session_rate(
            session=log,
            patient=patient,
            pain_during=3,
            pain_after=pain_after,
            effort=5,
            now=logged_at + datetime.timedelta(minutes=2),
        )
    careteam_services.note_create(
        patient=patient,
        author=physio,
        visibility=Visibility.TEAM,
        subjective="Sore after yesterday's bridges.",
        objective="",
        assessment="",
        plan="Review the load on Friday.",
        body="First day on the plan.",
        written_at=_at(yesterday, 17, 0, zone),
    )
    now = timezone.now()
    if now.astimezone(zone).hour >= 7:
        daily.check_in_record(
            plan=plan, patient=patient, day=today, pain_on_waking=2, load_test_pain=2, now=now
        )


def _vacuum_and_analyze() -> None:
    """The database as a clinic's is in use, not just after a bulk load: planner statistics, and the tables
    vacuumed (hint bits and the visibility map set), as autovacuum would do within a minute or two. Without
    it, autovacuum went through the 680,000 new rows during the first pages' runs, on the same two cores."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


# --- everyone else, in bulk --------------------------------------------------------------------------------


def _batched(items: list, size: int = BATCH) -> Iterator[list]:
    for first in range(0, len(items), size):
        yield items[first : first + size]


def _copy(model: type[models.Model], rows: list) -> None:
    """Write unsaved model instances with PostgreSQL's COPY: the same rows `bulk_create` would insert, several
    times faster at this volume (bulk_create took nearly five minutes for the sessions and check-ins on a busy
    2-core machine). Like bulk_create it runs no `save()`, no signals and no validation. The values go to
    psycopg as they are (dates, aware datetimes, UUIDs, numbers, text), which is all these models hold."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    names = [field.attname for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([getattr(row, name) for name in names])


@functools.cache
def _session_advice(during: int, after: int, effort: int, thresholds: pain_rules.Thresholds) -> tuple:
    facts = pain_rules.SessionFacts(pain_during=during, pain_after=after, effort=effort)
    advice = pain_rules.evaluate_session(facts, thresholds)
    return advice.suggestion, advice.rule.code, pain_rules.alerts_for("session", facts, thresholds)


@functools.cache
def _check_in_advice(
    waking: int, load: int, previous: tuple[int, int] | None, thresholds: pain_rules.Thresholds
) -> tuple[str, str]:
    facts = pain_rules.CheckInFacts(
        pain_on_waking=waking,
        load_test_pain=load,
        previous_pain_on_waking=previous[0] if previous else None,
        previous_load_test_pain=previous[1] if previous else None,
        has_earlier=previous is not None,
    )
    advice = pain_rules.evaluate_check_in(facts, thresholds)
    return advice.suggestion, advice.rule.code


THRESHOLDS = pain_rules.Thresholds()  # a new plan's limits (RehabPlan's defaults)


@dataclasses.dataclass
class HistoryRows:
    sessions: list[SessionLog] = dataclasses.field(default_factory=list)
    check_ins: list[MorningCheckIn] = dataclasses.field(default_factory=list)
    alerts: list[Alert] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(eq=False)  # hashed by identity, for the cached helpers below
class BulkClinic:
    rng: random.Random
    today: datetime.date
    start: datetime.date
    condition: Condition
    templates: dict[int, PlanTemplate]
    patients: list[User] = dataclasses.field(default_factory=list)
    leads: dict[int, User] = dataclasses.field(default_factory=dict)
    plan_list: list[RehabPlan] = dataclasses.field(default_factory=list)
    members: list[User] = dataclasses.field(default_factory=list)

    def people(self, count: int, *, physio: User, small_physio: User, others: list[User]) -> None:
        """Patients with factory-made names and profiles; 299 more on the benchmark physio's caseload (300
        with the benchmark patient), 4 more on the small one's, the rest led by the six other physios; a
        third of the patients have a second clinician of another discipline on their team."""
        unusable = make_password(None)  # nobody signs in as these people
        users = UserFactory.build_batch(
            count,
            email=factory.Sequence(lambda n: f"bench-patient-{n}@example.test"),
            password=factory.Transformer.Force(unusable),
        )
        self.patients = User.objects.bulk_create(users, batch_size=BATCH)
        PatientProfile.objects.bulk_create(
            [PatientProfileFactory.build(user=user) for user in self.patients], batch_size=BATCH
        )
        other_physios = [user for user in others if user.clinician_profile.discipline == "physiotherapy"]
        self.members = [user for user in others if user.clinician_profile.discipline != "physiotherapy"]
        for n, patient in enumerate(self.patients):
            if n < CASELOAD - 1:
                lead = physio
            elif n < CASELOAD - 1 + SMALL_CASELOAD - 1:
                lead = small_physio
            else:
                lead = other_physios[n % len(other_physios)]
            self.leads[patient.pk] = lead
        memberships = [
            CareTeamMembership(
                patient=patient,
                clinician=self.leads[patient.pk],
                discipline=Discipline.PHYSIOTHERAPY,
                role=TeamRole.LEAD,
                active_from=self.start,
            )
            for patient in self.patients
        ]
        memberships += [
            CareTeamMembership(
                patient=patient,
                clinician=member,
                discipline=member.clinician_profile.discipline,
                role=TeamRole.MEMBER,
                active_from=self.start + datetime.timedelta(days=14),
                added_by=self.leads[patient.pk],
            )
            for n, patient in enumerate(self.patients)
            if n % 3 == 0
            for member in [self.members[n % len(self.members)]]
        ]
        CareTeamMembership.objects.bulk_create(memberships, batch_size=BATCH)

    def plans(self) -> None:
        """A plan per patient from a stage template (stages spread over the caseload), started within the
        first week of the six months, with revision 1 holding its snapshot."""
        plan_rows = []
        for n, patient in enumerate(self.patients):
            stage = 1 + n % 4
            plan_rows.append(
                RehabPlan(
                    patient=patient,
                    condition=self.condition,
                    stage=stage,
                    start_date=self.start + datetime.timedelta(days=n % 7),
                    lead_clinician=self.leads[patient.pk],
                )
            )
        self.plan_list = RehabPlan.objects.bulk_create(plan_rows, batch_size=BATCH)
        prescriptions = [
            Prescription(
                plan=plan,
                exercise=item.exercise,
                in_flare_up_set=item.exercise.is_isometric,
                **{name: getattr(item, name) for name in (*plans.DOSAGE_FIELDS, "order")},
            )
            for plan in self.plan_list
            for item in self._items(plan.stage)
        ]
        Prescription.objects.bulk_create(prescriptions, batch_size=BATCH)
        revisions = []
        for plan in self.plan_list:
            template = self.templates[plan.stage]
            revisions.append(
                PlanRevision(
                    plan=plan,
                    number=1,
                    author=plan.lead_clinician,
                    reason=f"Assigned from the template “{template.name}”.",
                    summary=f"Plan started at {template.get_stage_display()}.",
                    snapshot=plan_snapshot(plan),
                    created_at=_at(plan.start_date, 9, 15, plan.patient.zone),
                )
            )
        PlanRevision.objects.bulk_create(revisions, batch_size=BATCH)

    @functools.cache  # noqa: B019 - one instance per run
    def _items(self, stage: int) -> list:
        return list(self.templates[stage].items.select_related("exercise").order_by("order"))

    @functools.cache  # noqa: B019 - one instance per run
    def _slots(self, stage: int, weekday: int) -> list[tuple[int, str]]:
        """The sessions of a plan copied from the stage's template on a weekday: (index, name)."""
        monday = datetime.date(2026, 1, 5)
        day = monday + datetime.timedelta(days=weekday)
        return [(session.index, session.name) for session in schedule.sessions_on(self._items(stage), day)]

    def history(self) -> None:
        """Sessions (about nine in ten of those due, rated) and morning check-ins (nine days in ten) from each
        plan's start to yesterday, with the pain rules' suggestion for their scores; an alert for every
        session above the plan's limit, acknowledged by the lead unless it is from the last week."""
        for plans_batch in _batched(self.plan_list, 100):
            rows = HistoryRows()
            for plan in plans_batch:
                self._plan_history(plan, rows)
            with transaction.atomic():
                _copy(SessionLog, rows.sessions)
                _copy(MorningCheckIn, rows.check_ins)
                Alert.objects.bulk_create(rows.alerts, batch_size=BATCH)

    def _plan_history(self, plan: RehabPlan, rows: "HistoryRows") -> None:
        rng = self.rng
        zone = plan.patient.zone
        first = 1.5 + rng.random() * 2  # this patient's pain at the start; it falls by 1.5 over the months
        previous: tuple[int, int] | None = None  # yesterday's check-in
        day = plan.start_date
        while day < self.today:
            baseline = first - 1.5 * (day - self.start).days / HISTORY_DAYS
            if day > plan.start_date and rng.random() < 0.9:
                waking = max(0, min(10, round(baseline - 1 + rng.uniform(-1, 1))))
                load = max(0, min(10, waking + rng.choice((0, 1))))
                suggestion, rule = _check_in_advice(waking, load, previous, THRESHOLDS)
                rows.check_ins.append(
                    MorningCheckIn(
                        plan=plan,
                        patient_id=plan.patient_id,
                        date=day,
                        pain_on_waking=waking,
                        load_test_pain=load,
                        created_at=_at(day, 7, 20, zone),
                        suggestion=suggestion,
                        rule=rule,
                    )
                )
                previous = (waking, load)
            else:
                previous = None
            for index, name in self._slots(plan.stage, day.weekday()):
                if rng.random() < 0.9:
                    self._session(plan, day, index, name, baseline, rows)
            day += datetime.timedelta(days=1)

    def _session(
        self, plan: RehabPlan, day: datetime.date, index: int, name: str, baseline: float, rows: "HistoryRows"
    ) -> None:
        during, after, effort = _pain(self.rng, baseline)
        suggestion, rule, alert_kinds = _session_advice(during, after, effort, THRESHOLDS)
        logged_at = datetime.datetime.combine(
            day, schedule.SESSION_START[name], tzinfo=plan.patient.zone
        ) + datetime.timedelta(minutes=30)
        session = SessionLog(
            plan=plan,
            patient_id=plan.patient_id,
            date=day,
            slot=index,
            slot_name=name,
            pain_during=during,
            pain_after=after,
            effort=effort,
            logged_at=logged_at,
            rated_at=logged_at + datetime.timedelta(minutes=2),
            suggestion=suggestion,
            rule=rule,
        )
        rows.sessions.append(session)
        recent = (self.today - day).days <= 7
        for kind in alert_kinds:
            rows.alerts.append(
                Alert(
                    patient_id=plan.patient_id,
                    kind=kind,
                    severity=AlertSeverity.MEDIUM,
                    trigger=f"Pain {during}/10 during and {after}/10 after the {name.lower()} session "
                    f"(alert above {THRESHOLDS.alert_above}).",
                    dedupe_key=f"session:{session.public_id}",
                    raised_at=logged_at + datetime.timedelta(minutes=2),
                    acknowledged_by=None if recent else plan.lead_clinician,
                    acknowledged_at=None if recent else logged_at + datetime.timedelta(hours=3),
                    acknowledge_comment="" if recent else "Called the patient; same plan.",
                )
            )

    def extras(self) -> None:
        """A note from the lead every month, a VISA-H every fortnight, and reminders at 08:00 every day."""
        notes = []
        outcomes = []
        for n, plan in enumerate(self.plan_list):
            lead = plan.lead_clinician
            for month in range(HISTORY_DAYS // 30):
                subjective, objective, assessment, next_steps = NOTE_TEXTS[(n + month) % len(NOTE_TEXTS)]
                notes.append(
                    Note(
                        patient_id=plan.patient_id,
                        author=lead,
                        author_discipline=Discipline.PHYSIOTHERAPY,
                        visibility=Visibility.TEAM,
                        subjective=subjective,
                        objective=objective,
                        assessment=assessment,
                        plan=next_steps,
                        created_at=_at(
                            plan.start_date + datetime.timedelta(days=30 * month + 2), 11, 0, lead.zone
                        ),
                    )
                )
            for fortnight in range(HISTORY_DAYS // 14):
                taken_on = plan.start_date + datetime.timedelta(days=14 * fortnight)
                score = min(100, 40 + 4 * fortnight + n % 10)
                outcomes.append(
                    OutcomeMeasure(
                        patient_id=plan.patient_id,
                        plan=plan,
                        kind="visa_h",
                        taken_on=taken_on,
                        score=score,
                        answers={},
                        created_at=_at(taken_on, 19, 0, plan.patient.zone),
                    )
                )
        Note.objects.bulk_create(notes, batch_size=BATCH)
        OutcomeMeasure.objects.bulk_create(outcomes, batch_size=BATCH)
        ReminderSettings.objects.bulk_create(
            [ReminderSettings(user=patient, email=False) for patient in self.patients], batch_size=BATCH
        )
        ReminderTime.objects.bulk_create(
            [
                ReminderTime(
                    user=patient,
                    time=datetime.time(8, 0),
                    weekdays=list(range(7)),
                    created_at=_at(self.start, 9, 0, patient.zone),
                )
                for patient in self.patients
            ],
            batch_size=BATCH,
        )
