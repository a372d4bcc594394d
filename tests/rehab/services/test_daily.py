"""The daily loop's services: sessions, check-ins, flare-ups, adherence, readiness and outcome measures."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from careteam.models import Alert
from careteam.timeline import timeline_page
from rehab import selectors
from rehab.models import ExerciseDone, FlareUp, MorningCheckIn, SessionLog
from rehab.services import daily, plans
from rehab.services import outcomes as outcome_services
from rehab.timeline import rehab_record_source
from tests.factories import MorningCheckInFactory, PatientFactory, SessionLogFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Stage 1 plan of the `stage_one_plan` fixture: two sessions a day (Morning, Evening); the bridge is done
# once a day, so it stands in the morning session only.
MONDAY = datetime.date(2026, 11, 23)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def log_morning(plan, patient, day=MONDAY, **kwargs):
    return daily.session_log(plan=plan, patient=patient, day=day, slot=0, done=None, now=at(day, 9), **kwargs)


def test_all_done_records_every_exercise_of_the_session_with_its_full_sets(stage_one_plan, patient):
    session = log_morning(stage_one_plan, patient)
    done = ExerciseDone.objects.filter(session=session)
    assert done.count() == 5
    assert all(row.sets_done == row.sets_prescribed for row in done)
    assert (session.slot_name, session.date, session.is_rated) == ("Morning", MONDAY, False)


def test_ticked_exercises_are_recorded_with_the_sets_done(stage_one_plan, patient):
    hold, squeeze = stage_one_plan.prescriptions.order_by("order")[:2]
    session = daily.session_log(
        plan=stage_one_plan,
        patient=patient,
        day=MONDAY,
        slot=0,
        done={hold.pk: 2, squeeze.pk: squeeze.sets},
        now=at(MONDAY, 9),
    )
    assert sorted(session.exercises_done.values_list("sets_done", flat=True)) == sorted([2, squeeze.sets])


def test_pain_six_suggests_easing_off_and_alerts_the_team_exactly_once(stage_one_plan, patient):
    session = log_morning(stage_one_plan, patient)
    outcome = daily.session_rate(session=session, patient=patient, pain_during=6, pain_after=4, effort=7)
    assert outcome.suggestion_label == "Ease off"
    assert "6/10" in outcome.for_patient
    alerts = Alert.objects.filter(patient=patient, kind="pain_over_threshold")
    assert alerts.count() == 1
    assert "Pain during 6/10, after 4/10" in alerts.get().trigger

    with pytest.raises(ValidationError, match="already said how this session went"):
        daily.session_rate(session=session, patient=patient, pain_during=9, pain_after=9, effort=9)
    session.refresh_from_db()
    assert (session.pain_during, session.pain_after, session.suggestion) == (6, 4, "ease_off")
    assert alerts.count() == 1


def test_the_same_session_cannot_be_logged_twice(stage_one_plan, patient):
    log_morning(stage_one_plan, patient)
    with pytest.raises(ValidationError, match="already logged"):
        log_morning(stage_one_plan, patient)
    assert SessionLog.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "slot", "hour", "message"),
    [
        (MONDAY + datetime.timedelta(days=1), 0, 9, "in the future"),
        (MONDAY - datetime.timedelta(days=2), 0, 9, "on the day or the day after"),
        (MONDAY, 1, 9, "not due now"),  # the evening session at 9 in the morning
        (MONDAY, 3, 20, "not due now"),  # no such session
    ],
)
def test_a_session_on_a_bad_date_or_slot_is_refused_and_nothing_is_saved(
    stage_one_plan, patient, day, slot, hour, message
):
    with pytest.raises(ValidationError, match=message):
        daily.session_log(
            plan=stage_one_plan, patient=patient, day=day, slot=slot, done=None, now=at(MONDAY, hour)
        )
    assert not SessionLog.objects.exists() and not ExerciseDone.objects.exists()


def test_yesterdays_session_can_still_be_logged_after_midnight(stage_one_plan, patient):
    session = daily.session_log(
        plan=stage_one_plan,
        patient=patient,
        day=MONDAY,
        slot=1,
        done=None,
        now=at(MONDAY + datetime.timedelta(days=1), 0, 20),
    )
    assert (session.date, session.slot_name) == (MONDAY, "Evening")


@pytest.mark.parametrize("sets", [0, 11, True])
def test_sets_done_must_be_between_one_and_ten(stage_one_plan, patient, sets):
    hold = stage_one_plan.prescriptions.order_by("order").first()
    with pytest.raises(ValidationError, match="sets done must be"):
        daily.session_log(
            plan=stage_one_plan, patient=patient, day=MONDAY, slot=0, done={hold.pk: sets}, now=at(MONDAY, 9)
        )
    assert not SessionLog.objects.exists()


def test_an_exercise_outside_the_session_or_nothing_ticked_is_refused(stage_one_plan, patient):
    bridge = stage_one_plan.prescriptions.get(exercise__slug="bridge")  # once a day: mornings only
    evening = at(MONDAY, 18)
    with pytest.raises(ValidationError, match="not part of this session"):
        daily.session_log(
            plan=stage_one_plan, patient=patient, day=MONDAY, slot=1, done={bridge.pk: 1}, now=evening
        )
    with pytest.raises(ValidationError, match="Tick the exercises"):
        daily.session_log(plan=stage_one_plan, patient=patient, day=MONDAY, slot=1, done={}, now=evening)
    assert not SessionLog.objects.exists()


def test_nobody_logs_on_someone_elses_plan(stage_one_plan):
    with pytest.raises(ValidationError, match="not your plan"):
        log_morning(stage_one_plan, PatientFactory())


@pytest.mark.parametrize(("during", "after", "effort"), [(11, 0, 0), (0, -1, 0), (0, 0, 12), ("5", 0, 0)])
def test_scores_outside_zero_to_ten_are_refused(stage_one_plan, patient, during, after, effort):
    session = log_morning(stage_one_plan, patient)
    with pytest.raises(ValidationError, match="from 0 to 10"):
        daily.session_rate(
            session=session, patient=patient, pain_during=during, pain_after=after, effort=effort
        )
    session.refresh_from_db()
    assert not session.is_rated


def test_a_rise_of_two_on_the_load_test_alerts_once_per_check_in_day(stage_one_plan, patient):
    daily.check_in_record(
        plan=stage_one_plan,
        patient=patient,
        day=MONDAY,
        pain_on_waking=1,
        load_test_pain=2,
        now=at(MONDAY, 7),
    )
    tuesday = MONDAY + datetime.timedelta(days=1)
    check_in, outcome = daily.check_in_record(
        plan=stage_one_plan,
        patient=patient,
        day=tuesday,
        pain_on_waking=2,
        load_test_pain=4,
        now=at(tuesday, 7),
    )
    assert (check_in.rule, outcome.suggestion_label) == ("morning-rise-alert", "Ease off")
    assert "2 points more" in outcome.for_patient
    with pytest.raises(ValidationError, match="already checked in this morning"):
        daily.check_in_record(
            plan=stage_one_plan,
            patient=patient,
            day=tuesday,
            pain_on_waking=0,
            load_test_pain=0,
            now=at(tuesday, 8),
        )
    assert MorningCheckIn.objects.get(date=tuesday).load_test_pain == 4
    assert Alert.objects.filter(patient=patient, kind="pain_rising").count() == 1


@pytest.mark.parametrize(
    ("day", "waking", "load", "message"),
    [
        (MONDAY + datetime.timedelta(days=1), 1, 1, "in the future"),
        (MONDAY - datetime.timedelta(days=1), 1, 1, "this morning only"),
        (MONDAY, 11, 1, "from 0 to 10"),
        (MONDAY, 1, -2, "from 0 to 10"),
    ],
)
def test_a_check_in_on_another_morning_or_with_bad_scores_is_refused(
    stage_one_plan, patient, day, waking, load, message
):
    with pytest.raises(ValidationError, match=message):
        daily.check_in_record(
            plan=stage_one_plan,
            patient=patient,
            day=day,
            pain_on_waking=waking,
            load_test_pain=load,
            now=at(MONDAY, 7),
        )
    assert not MorningCheckIn.objects.exists()


def test_flare_up_mode_shows_the_flare_up_set_alerts_once_and_the_clinician_ends_it(
    stage_one_plan, patient, clinician
):
    flare_up = daily.flare_up_start(plan=stage_one_plan, by=patient)
    with pytest.raises(ValidationError, match="already on"):
        daily.flare_up_start(plan=stage_one_plan, by=patient)
    assert Alert.objects.filter(patient=patient, kind="flare_up").count() == 1

    items = selectors.prescriptions_for_day(stage_one_plan, in_flare_up=True)
    assert [item.exercise.slug for item in items] == ["isometric-bridge-hold", "glute-squeeze-prone"]
    session = log_morning(stage_one_plan, patient)
    assert session.in_flare_up and session.exercises_done.count() == 2

    with pytest.raises(ValidationError, match="Say why"):
        daily.flare_up_end(flare_up=flare_up, by=clinician, note="  ")
    daily.flare_up_end(flare_up=flare_up, by=clinician, note="Settled: back to the full plan.")
    assert selectors.open_flare_up(stage_one_plan) is None
    with pytest.raises(ValidationError, match="already ended"):
        daily.flare_up_end(flare_up=flare_up, by=clinician, note="Again")

    titles = [entry.title for entry in timeline_page(patient).entries]
    assert "Flare-up mode switched on" in titles and "Flare-up mode ended" in titles


def test_the_clinicians_ticks_choose_the_flare_up_set(stage_one_plan, clinician):
    bridge = stage_one_plan.prescriptions.get(exercise__slug="bridge")
    for item in stage_one_plan.prescriptions.exclude(pk=bridge.pk):
        item.in_flare_up_set = False
        item.save()
    assert [i.exercise.slug for i in selectors.prescriptions_for_day(stage_one_plan, in_flare_up=True)] == [
        "isometric-bridge-hold", "glute-squeeze-prone"
    ]  # fmt: skip  # none ticked: the isometric ones
    plans.prescription_update(
        plan=stage_one_plan,
        prescription=bridge,
        changes={"in_flare_up_set": True},
        signed=plans.Signed(by=clinician, reason="Bridges are fine in a flare-up", expected_version=1),
    )
    assert [i.exercise.slug for i in selectors.prescriptions_for_day(stage_one_plan, in_flare_up=True)] == [
        "bridge"
    ]
    assert "Bridge: in the flare-up set no → yes" in stage_one_plan.revisions.get(number=2).summary


def test_the_timeline_shows_sessions_check_ins_and_scores_in_one_query(
    stage_one_plan, patient, django_assert_num_queries
):
    session = log_morning(stage_one_plan, patient)
    daily.session_rate(session=session, patient=patient, pain_during=2, pain_after=3, effort=5)
    MorningCheckInFactory(plan=stage_one_plan, date=MONDAY)
    outcome_services.outcome_record(patient=patient, kind="pain_rating", answers={"rating": 4})
    with django_assert_num_queries(1):
        entries = rehab_record_source(patient, 10)
    titles = " | ".join(entry.title for entry in entries)
    assert "Morning session of 23 Nov logged: pain 2/10 during, 3/10 after, effort 5/10" in titles
    assert "Morning check-in: pain on waking 1/10, load test 1/10" in titles
    assert "Pain rating: 4 of 10" in titles
    assert "Plan revision 1" in titles
    assert len(rehab_record_source(patient, 2)) == 2


def test_weekly_adherence_counts_days_in_the_patients_zone_across_the_spring_clock_change(
    daily_plan, patient
):
    for day in range(23, 29):  # Monday to Saturday
        SessionLogFactory(plan=daily_plan, date=datetime.date(2026, 3, day))
    # 23:30 on Sunday 29 March in London is 22:30 UTC; 00:30 on Monday 30 March is still 29 March in UTC.
    sunday_night = datetime.datetime(2026, 3, 29, 22, 30, tzinfo=datetime.UTC)
    monday_small_hours = datetime.datetime(2026, 3, 29, 23, 30, tzinfo=datetime.UTC)

    def log(day, now):
        daily.session_log(plan=daily_plan, patient=patient, day=day, slot=0, done=None, now=now)

    with pytest.raises(ValidationError, match="in the future"):
        log(datetime.date(2026, 3, 30), sunday_night)
    log(datetime.date(2026, 3, 29), sunday_night)
    log(datetime.date(2026, 3, 30), monday_small_hours)

    progress = selectors.progress_of(daily_plan, datetime.date(2026, 4, 6))
    assert progress.adherence.table.rows == [["23 Mar", "7", "7", "100 %"], ["30 Mar", "1", "7", "14 %"]]


def test_weekly_adherence_across_the_autumn_clock_change(daily_plan, patient):
    daily_plan.start_date = datetime.date(2026, 10, 12)
    daily_plan.save()
    # 00:30 on Monday 19 October in London (BST) is 23:30 UTC on Sunday 18 October.
    daily.session_log(
        plan=daily_plan,
        patient=patient,
        day=datetime.date(2026, 10, 19),
        slot=0,
        done=None,
        now=datetime.datetime(2026, 10, 18, 23, 30, tzinfo=datetime.UTC),
    )
    for day in (20, 21, 22, 23, 24, 25):  # Sunday 25 October is 25 hours long
        SessionLogFactory(plan=daily_plan, date=datetime.date(2026, 10, day))
    progress = selectors.progress_of(daily_plan, datetime.date(2026, 10, 26))
    assert progress.adherence.table.rows == [["12 Oct", "0", "7", "0 %"], ["19 Oct", "7", "7", "100 %"]]


def test_flare_up_days_prescribe_only_the_flare_up_set(daily_plan, patient, clinician):
    FlareUp.objects.create(
        plan=daily_plan,
        started_by=patient,
        started_at=at(datetime.date(2026, 3, 25), 8),
        ended_at=at(datetime.date(2026, 3, 26), 8),
        ended_by=clinician,
        note="Settled",
    )
    # The only exercise is isometric, so the flare-up set is the whole plan: still one session a day.
    progress = selectors.progress_of(daily_plan, datetime.date(2026, 3, 30))
    assert progress.adherence.table.rows == [["23 Mar", "0", "7", "0 %"]]
    assert [band.label for band in progress.pain.bands] == ["Flare-up from 25 Mar to 26 Mar"]


def test_a_patients_own_writes_are_audited_with_the_patient_as_the_actor(stage_one_plan, patient):
    from accounts.audit import AuditContext
    from accounts.models import AuditEvent

    session = log_morning(stage_one_plan, patient, audit=AuditContext(ip="198.51.100.4", user_agent="Safari"))
    daily.session_rate(
        session=session, patient=patient, pain_during=2, pain_after=2, effort=5, now=at(MONDAY, 10)
    )
    events = AuditEvent.objects.filter(actor=patient).order_by("id")
    assert [(e.actor, e.action) for e in events] == [
        (patient, "rehab.session.log"),
        (patient, "rehab.session.rate"),
    ]
    assert (events[0].ip, events[0].user_agent, events[0].object_id) == (
        "198.51.100.4",
        "Safari",
        str(session.public_id),
    )
    assert events[1].ip is None
