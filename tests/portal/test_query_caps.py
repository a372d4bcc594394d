"""Each page's query count is capped and does not grow with the data: one day of logs or six months, five
patients on a caseload or three hundred. The data is written with bulk_create so that each test stays fast;
the one plan that pages read is assigned through the service, so its revision snapshot is real."""

import dataclasses
import datetime
import random

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import PatientProfile, Role, User
from careteam.models import Alert, AlertKind, AlertSeverity, CareTeamMembership, Note, NoteAddendum, TeamRole
from conditions.models import Condition
from rehab.models import (
    ExerciseDone,
    FlareUp,
    MorningCheckIn,
    OutcomeMeasure,
    PlanRevision,
    PlanStatus,
    PlanTemplate,
    Prescription,
    RehabPlan,
    SessionLog,
)
from rehab.services import plans as plan_services
from reminders.models import Notification
from tests.factories import ClinicianFactory, ConditionFactory, PatientFactory

PAGE_QUERY_CAP = 12
BUILDER_QUERY_CAP = 15

NOTE_BODY = (
    "Tolerating the bridge holds. **Pain 2/10** during, settles within the hour.\n\n"
    "- Keep sitting breaks every 30 minutes\n- Cushion in the car\n\n"
    "Review load next week; see [the pain rules](https://example.test/rules)."
)


@dataclasses.dataclass
class Clinic:
    physio: User
    patient: User  # the patient whose pages are read, with `days` days of history
    plan: RehabPlan
    condition: Condition


def build_clinic(
    *, patients: int, days: int, history_for_all: bool = False, prefix: str = "caseload", seed: int = 7
) -> Clinic:
    """A physio with `patients` patients on their caseload, each on a stage-2 plan; the first patient has
    `days` days of sessions (with the exercises done), check-ins, outcomes, two flare-ups, notes with
    addenda and alerts. With `history_for_all` every patient gets the same history (for profiling)."""
    rng = random.Random(seed)
    plan_services.library_load()
    condition = Condition.objects.filter(slug="hamstring-tendinopathy").first() or ConditionFactory(
        slug="hamstring-tendinopathy", name="Hamstring tendinopathy"
    )
    physio = ClinicianFactory(first_name="Pat", last_name="Physio")
    patient = PatientFactory(first_name="Alex", last_name="Example")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=days)
    CareTeamMembership.objects.create(
        patient=patient, clinician=physio, discipline="physiotherapy", role=TeamRole.LEAD, active_from=start
    )
    template = PlanTemplate.objects.get(stage=2)
    plan = plan_services.plan_assign(
        patient=patient,
        template=template,
        by=physio,
        condition=condition,
        start_date=start,
        now=timezone.now() - datetime.timedelta(days=days),
    )
    others = _bulk_patients(physio, patients - 1, start=start, plan=plan, prefix=prefix)
    with_history = [plan, *others] if history_for_all else [plan, *others[:4]]
    for each in with_history:
        full = each is plan or history_for_all
        _bulk_history(each, days=days if full else min(days, 7), today=today, rng=rng)
    _bulk_alerts(physio, [plan.patient, *[other.patient for other in others]], rng=rng)
    _bulk_record(plan, physio, days=days)
    return Clinic(physio=physio, patient=patient, plan=plan, condition=condition)


def _bulk_patients(
    physio: User, count: int, *, start: datetime.date, plan: RehabPlan, prefix: str
) -> list[RehabPlan]:
    """`count` more patients on the physio's caseload, each with a copy of `plan` (prescriptions and its
    first revision)."""
    if count <= 0:
        return []
    password = make_password("not-used-by-these-tests")
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{n}@example.test",
                first_name=f"Patient{n:03d}",
                last_name=f"Caseload{n:03d}",
                role=Role.PATIENT,
                password=password,
            )
            for n in range(count)
        ]
    )
    PatientProfile.objects.bulk_create(
        [
            PatientProfile(user=user, date_of_birth=datetime.date(1980, 1, 1), affected_side="left")
            for user in users
        ]
    )
    CareTeamMembership.objects.bulk_create(
        [
            CareTeamMembership(
                patient=user,
                clinician=physio,
                discipline="physiotherapy",
                role=TeamRole.LEAD,
                active_from=start,
            )
            for user in users
        ]
    )
    new_plans = RehabPlan.objects.bulk_create(
        [
            RehabPlan(
                patient=user,
                condition=plan.condition,
                stage=plan.stage,
                start_date=start,
                lead_clinician=physio,
                status=PlanStatus.ACTIVE,
                version=1,
            )
            for user in users
        ]
    )
    prescriptions = list(plan.prescriptions.all())
    Prescription.objects.bulk_create(
        [_copy_prescription(item, new_plan) for new_plan in new_plans for item in prescriptions]
    )
    revision = plan.revisions.get()
    PlanRevision.objects.bulk_create(
        [
            PlanRevision(
                plan=new_plan,
                number=1,
                author=physio,
                reason=revision.reason,
                summary=revision.summary,
                snapshot=revision.snapshot,
                created_at=revision.created_at,
            )
            for new_plan in new_plans
        ]
    )
    return new_plans


def _copy_prescription(item: Prescription, plan: RehabPlan) -> Prescription:
    return Prescription(
        plan=plan,
        exercise_id=item.exercise_id,
        sets=item.sets,
        reps=item.reps,
        hold_seconds=item.hold_seconds,
        rest_seconds=item.rest_seconds,
        load=item.load,
        times_per_day=item.times_per_day,
        days_of_week=item.days_of_week,
        order=item.order,
        note_to_patient=item.note_to_patient,
        in_flare_up_set=item.in_flare_up_set,
    )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _bulk_history(plan: RehabPlan, *, days: int, today: datetime.date, rng: random.Random) -> None:
    """A session on most of the last `days` days (not today), with its exercises, and the next morning's
    check-in; for a long history also outcomes every two weeks and two flare-ups that ended."""
    patient = plan.patient
    sessions, check_ins = [], []
    for back in range(days, 0, -1):
        day = today - datetime.timedelta(days=back)
        # Yesterday always has a session and this morning a check-in, so that Today asks the same questions
        # of a short history as of a long one.
        if back == 1 or rng.random() < 0.85:
            pain = rng.randint(0, 5)
            sessions.append(
                SessionLog(
                    plan=plan,
                    patient=patient,
                    date=day,
                    slot=0,
                    slot_name="Today",
                    pain_during=pain,
                    pain_after=min(10, pain + rng.randint(0, 2)),
                    effort=rng.randint(3, 8),
                    logged_at=_at(day, 18),
                    rated_at=_at(day, 18),
                    suggestion="progress",
                    rule="session-safe",
                    note="Felt fine." if rng.random() < 0.2 else "",
                )
            )
        if back == 1 or rng.random() < 0.8:
            check_ins.append(
                MorningCheckIn(
                    plan=plan,
                    patient=patient,
                    date=day + datetime.timedelta(days=1),
                    pain_on_waking=rng.randint(0, 4),
                    load_test_pain=rng.randint(0, 4),
                    created_at=_at(day + datetime.timedelta(days=1), 7),
                    suggestion="progress",
                    rule="morning-settled",
                )
            )
    SessionLog.objects.bulk_create(sessions)
    MorningCheckIn.objects.bulk_create(check_ins)
    prescriptions = list(plan.prescriptions.all())
    ExerciseDone.objects.bulk_create(
        [
            ExerciseDone(
                session=session,
                prescription=item,
                exercise_id=item.exercise_id,
                sets_done=item.sets,
                sets_prescribed=item.sets,
            )
            for session in SessionLog.objects.filter(plan=plan)
            for item in prescriptions
        ]
    )
    if days < 28:
        return
    OutcomeMeasure.objects.bulk_create(
        [
            OutcomeMeasure(
                patient=patient,
                plan=plan,
                kind=kind,
                taken_on=today - datetime.timedelta(days=back),
                score=score,
                answers={},
            )
            for back in range(days, 0, -14)
            for kind, score in (("visa_h", rng.randint(40, 90)), ("psfs", rng.randint(2, 9)))
        ]
    )
    for back in (days // 2, days // 4):
        started = _at(today - datetime.timedelta(days=back), 8)
        FlareUp.objects.create(
            plan=plan,
            started_at=started,
            started_by=patient,
            ended_at=started + datetime.timedelta(days=3),
            ended_by=plan.lead_clinician,
            note="Settled again.",
        )


def _bulk_alerts(physio: User, patients: list[User], *, rng: random.Random) -> None:
    """An open alert on every tenth patient and an acknowledged one on every fifth; notifications for the
    first patient's bell."""
    now = timezone.now()
    alerts = []
    for n, patient in enumerate(patients):
        if n % 10 == 0:
            alerts.append(
                Alert(
                    patient=patient,
                    kind=AlertKind.values[n % len(AlertKind.values)],
                    severity=AlertSeverity.values[n % len(AlertSeverity.values)],
                    trigger="Pain 6/10 the morning after a session.",
                    raised_at=now - datetime.timedelta(hours=n + 1),
                )
            )
        if n % 5 == 0:
            alerts.append(
                Alert(
                    patient=patient,
                    kind=AlertKind.values[0],
                    severity=AlertSeverity.values[0],
                    trigger="Pain above the limit during a session.",
                    raised_at=now - datetime.timedelta(days=n + 2),
                    acknowledged_by=physio,
                    acknowledged_at=now - datetime.timedelta(days=n + 1),
                    acknowledge_comment="Phoned; fine.",
                )
            )
    Alert.objects.bulk_create(alerts)
    Notification.objects.bulk_create(
        [
            Notification(user=patients[0], title=f"Reminder {n}", body="Time for your exercises.")
            for n in range(rng.randint(3, 6))
        ]
    )


def _bulk_record(plan: RehabPlan, physio: User, *, days: int) -> None:
    """A note a week (with Markdown), an addendum on every third, as clinicians write them."""
    now = timezone.now()
    notes = Note.objects.bulk_create(
        [
            Note(
                patient=plan.patient,
                author=physio,
                author_discipline="physiotherapy",
                visibility="shared" if n % 2 else "team",
                subjective="Buttock pain when sitting for long.",
                assessment="Loading is tolerated.",
                body=NOTE_BODY,
                created_at=now - datetime.timedelta(days=7 * n + 1),
            )
            for n in range(max(1, days // 7))
        ]
    )
    NoteAddendum.objects.bulk_create(
        [
            NoteAddendum(
                note=note,
                author=physio,
                author_discipline="physiotherapy",
                reason="Corrects the side",
                body="The **right** side, not the left.",
                created_at=note.created_at + datetime.timedelta(hours=1),
            )
            for note in notes[::3]
        ]
    )


# --- the caps -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clinics(django_db_setup, django_db_blocker):
    """A small clinic (5 patients, one day of logs) and a large one (300 patients, 180 days), built once for
    the module inside a transaction that is rolled back at its end; each test runs in a savepoint of it."""
    local_cache = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "caps"}
    }
    with django_db_blocker.unblock(), override_settings(CACHES=local_cache), transaction.atomic():
        from conditions.content import SHIPPED_ARTICLES, SHIPPED_ON
        from conditions.services import conditions_load

        conditions_load(articles=SHIPPED_ARTICLES, shipped_on=SHIPPED_ON)
        small = build_clinic(patients=5, days=1, prefix="small")
        large = build_clinic(patients=300, days=180, prefix="large")
        yield small, large
        transaction.set_rollback(True)


def _record(clinic: Clinic) -> str:
    return clinic.patient.patient_profile.public_id


# page: (who reads it, its URL, the cap)
PAGES = {
    "today": ("patient", lambda c: reverse("rehab:today"), PAGE_QUERY_CAP),
    "progress, the patient's": ("patient", lambda c: reverse("rehab:my_progress"), PAGE_QUERY_CAP),
    "progress, the clinician's": (
        "physio",
        lambda c: reverse("rehab:patient_progress", args=[_record(c)]),
        PAGE_QUERY_CAP,
    ),
    "my patients": ("physio", lambda c: reverse("rehab:patient_list"), PAGE_QUERY_CAP),
    "plan builder": ("physio", lambda c: reverse("rehab:plan_builder", args=[_record(c)]), BUILDER_QUERY_CAP),
    "care-team record": (
        "physio",
        lambda c: reverse("careteam:patient_detail", args=[_record(c)]),
        PAGE_QUERY_CAP,
    ),
    "timeline": ("physio", lambda c: reverse("careteam:timeline", args=[_record(c)]), PAGE_QUERY_CAP),
    "alert inbox": ("physio", lambda c: reverse("careteam:alert_list"), PAGE_QUERY_CAP),
}


def _queries(client, clinic: Clinic, who: str, url: str) -> int:
    client.force_login(getattr(clinic, who))
    assert client.get(url).status_code == 200  # the first view fills what a session keeps
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Pages still over their cap, and what is left to do outside the selectors (issue 13). Each stays listed only
# while it is over: the test fails once a page is within its cap, so the entry gets removed.
OVER_THE_CAP: dict[str, str] = {}


@pytest.mark.usefixtures("pages_drawn_every_time")
@pytest.mark.parametrize("page", list(PAGES))
def test_a_page_runs_a_capped_number_of_queries_whatever_the_data(page, clinics, client, db):
    who, url_of, cap = PAGES[page]
    small, large = clinics
    few = _queries(client, small, who, url_of(small))
    many = _queries(client, large, who, url_of(large))
    assert few == many, f"{page}: {few} queries with little data, {many} with six months and 300 patients"
    if page in OVER_THE_CAP:
        assert many > cap, f"{page} is within its cap now: take it out of OVER_THE_CAP"
        pytest.xfail(f"{page}: {many} queries, cap {cap}: {OVER_THE_CAP[page]}")
    assert many <= cap, f"{page}: {many} queries, more than {cap}"


@pytest.mark.parametrize(
    "url", ["/conditions/", "/conditions/?q=sitting", "/conditions/hamstring-tendinopathy/"]
)
def test_a_public_page_runs_a_capped_number_of_queries_and_none_once_kept(url, clinics, client, db):
    with CaptureQueriesContext(connection) as drawn:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as kept:
        assert client.get(url).status_code == 200
    assert len(drawn) <= PAGE_QUERY_CAP
    assert len(kept) == 0


# --- the reads that keep the care-team record within its cap ------------------------------------------------


@pytest.mark.parametrize("notes", [0, 20, 45])
def test_the_record_pages_its_notes_as_django_would_with_the_count_read_alongside(notes, db):
    """`notes_page` reads the count with the page (a window); every page number, even a bad one, lands where
    `Paginator.get_page` puts it."""
    from django.core.paginator import Paginator

    from careteam import selectors
    from tests.factories import NoteFactory

    patient, physio = PatientFactory(), ClinicianFactory()
    NoteFactory.create_batch(notes, patient=patient, author=physio)
    NoteFactory(author=physio)  # another patient's note is never counted
    found = selectors.notes_for_team(patient)
    for number in [None, "", "1", "2", "3", "0", "-1", "999", "two", "2.0", 2]:
        page = selectors.notes_page(found, number, 20)
        expected = Paginator(found, 20).get_page(number)
        assert (page.number, [note.pk for note in page], page.paginator.num_pages, page.has_next()) == (
            expected.number,
            [note.pk for note in expected],
            expected.paginator.num_pages,
            expected.has_next(),
        ), f"page {number!r} of {notes} notes"
    with CaptureQueriesContext(connection) as queries:
        selectors.notes_page(found.prefetch_related(None), "1", 20)
    assert len(queries) == 1


def test_the_records_reminder_panel_reads_in_one_query_what_the_separate_reads_give(db):
    from reminders import panels
    from reminders.models import ReminderSettings, TimeSuggestion
    from reminders.services import preferences
    from tests.factories import ReminderSettingsFactory, ReminderTimeFactory

    patient, physio, other = PatientFactory(), ClinicianFactory(first_name="Sam"), PatientFactory()
    settings, times, suggestions = panels._settings_times_and_suggestions(patient)
    assert (settings.pk, times, suggestions) == (None, [], [])  # nothing saved: the defaults

    ReminderSettingsFactory(user=patient, quiet_start=datetime.time(22), quiet_end=datetime.time(7))
    ReminderSettingsFactory(user=other)
    for hour in (18, 7, 12):
        ReminderTimeFactory(user=patient, time=datetime.time(hour), weekdays=[0, 2, 4])
    ReminderTimeFactory(user=other)
    now = timezone.now()
    TimeSuggestion.objects.bulk_create(
        [
            TimeSuggestion(
                patient=patient,
                suggested_by=physio,
                times=[{"time": "08:00", "weekdays": [n]}],
                created_at=now - datetime.timedelta(days=n % 3),
                answered_at=now if n == 1 else None,
                accepted=True if n == 1 else None,
            )
            for n in range(5)
        ]
        + [TimeSuggestion(patient=other, suggested_by=physio, times=[], created_at=now)]
    )
    with CaptureQueriesContext(connection) as queries:
        settings, times, suggestions = panels._settings_times_and_suggestions(patient)
    assert len(queries) == 1
    saved = preferences.settings_of(patient)
    assert [getattr(settings, field.attname) for field in ReminderSettings._meta.concrete_fields] == [
        getattr(saved, field.attname) for field in ReminderSettings._meta.concrete_fields
    ]
    assert [(item.pk, item.time, item.weekdays_label) for item in times] == [
        (item.pk, item.time, item.weekdays_label) for item in preferences.times_of(patient)
    ]
    latest = TimeSuggestion.objects.filter(patient=patient).order_by("-created_at", "-id")[:3]

    def shown(item: TimeSuggestion) -> tuple:
        return item.pk, item.times, item.accepted, item.suggested_by.get_full_name()

    assert [shown(item) for item in suggestions] == [shown(item) for item in latest]


# --- the reads that keep Today within its cap ---------------------------------------------------------------


def test_todays_one_read_of_the_sessions_gives_what_the_separate_reads_give(db):
    """`recent_sessions` (one query) against `sessions_logged_on`, `unrated_session_on`, `check_in_wanted`
    and `check_in_overdue`, before and after this morning's check-in, with extra sessions of both days."""
    from rehab import selectors
    from tests.factories import MorningCheckInFactory, SessionLogFactory

    patient, physio = PatientFactory(), ClinicianFactory()
    zone = datetime.UTC
    now = datetime.datetime(2026, 11, 10, 13, tzinfo=zone)
    today, yesterday = now.date(), now.date() - datetime.timedelta(days=1)
    plan = RehabPlan.objects.create(
        patient=patient, condition=ConditionFactory(), stage=2, start_date=today, lead_clinician=physio
    )

    def compare(at: datetime.datetime) -> None:
        with CaptureQueriesContext(connection) as queries:
            recent = selectors.recent_sessions(plan, today)
        assert len(queries) == 1
        assert recent.logged_today == selectors.sessions_logged_on(plan, today)
        assert recent.unrated_yesterday == selectors.unrated_session_on(plan, yesterday)
        assert recent.check_in_wanted == selectors.check_in_wanted(plan, today)
        assert recent.check_in_overdue(plan, at, zone) == selectors.check_in_overdue(plan, at, zone)

    compare(now)  # nothing logged yet
    SessionLogFactory(plan=plan, date=today - datetime.timedelta(days=2), pain_during=9, pain_after=9)
    SessionLogFactory(plan=plan, date=yesterday, slot=0, pain_during=2, pain_after=2)
    SessionLogFactory(plan=plan, date=yesterday, slot=0, extra=1, pain_during=plan.pain_safe_max + 2)
    SessionLogFactory(plan=plan, date=yesterday, slot=1, pain_during=None, pain_after=None, rated_at=None)
    SessionLogFactory(plan=plan, date=today, slot=0, pain_during=None, pain_after=None, rated_at=None)
    SessionLogFactory(plan=plan, date=today, slot=0, extra=1)
    SessionLogFactory(plan=plan, date=today, slot=1)
    for at in (now, now.replace(hour=9)):  # after and before midday
        compare(at)
    assert selectors.recent_sessions(plan, today).check_in_overdue(plan, now, zone).extra == 1
    MorningCheckInFactory(plan=plan, date=today)
    compare(now)


def test_todays_one_read_of_the_red_flag_screens_gives_what_the_separate_reads_give(db):
    """`today_screens_of` (one query) against `plan_hold_of`, `weekly_check_due` and `recent_release_of`,
    with screens held, released and answered all "no", old and recent, read at several moments."""
    from conditions.models import RedFlagScreen, ScreenSource
    from rehab import holds

    patient, physio = PatientFactory(), ClinicianFactory()
    now = datetime.datetime(2026, 11, 10, 9, tzinfo=datetime.UTC)

    def screen(days_ago: float, *, flagged: bool, released_days_ago: float | None = None) -> None:
        released = None if released_days_ago is None else now - datetime.timedelta(days=released_days_ago)
        RedFlagScreen.objects.create(
            patient=patient,
            source=ScreenSource.WEEKLY,
            answers={},
            flags=["night_pain"] if flagged else [],
            urgency="same_day" if flagged else "",
            created_at=now - datetime.timedelta(days=days_ago),
            released_at=released,
            released_by=physio if released else None,
            release_note="Reviewed." if released else "",
        )

    def compare() -> None:
        for at in (now, now + datetime.timedelta(days=3), now + datetime.timedelta(days=8)):
            with CaptureQueriesContext(connection) as queries:
                screens = holds.today_screens_of(patient, at)
            assert len(queries) == 1
            hold = holds.plan_hold_of(patient)
            assert (screens.hold and screens.hold.screens) == (hold and hold.screens)
            assert screens.weekly_check_due == holds.weekly_check_due(patient, at)
            assert screens.recent_release == holds.recent_release_of(patient, at)

    compare()  # never screened
    screen(30, flagged=False)
    screen(20, flagged=True, released_days_ago=19)
    compare()
    screen(10, flagged=True, released_days_ago=5)
    screen(9, flagged=True, released_days_ago=2)
    screen(2, flagged=False)
    compare()
    screen(12, flagged=True)
    screen(1, flagged=True)
    compare()
