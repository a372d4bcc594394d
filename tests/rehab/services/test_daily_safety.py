"""Clinical safety in the daily loop: the 24-hour rule, pain creeping up, flare-ups at every stage, and pain
limits that cannot be unsafe."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AuditEvent
from careteam.models import Alert, AlertKind
from careteam.services import alert_acknowledge
from careteam.timeline import timeline_page
from rehab import progress, selectors
from rehab.models import ExerciseDone, Prescription, RehabPlan
from rehab.services import daily, plans
from tests.factories import MorningCheckInFactory, PatientFactory, SessionLogFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.date(2026, 11, 23)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def day_of(offset: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=offset)


def check_in(plan, patient, day, waking, load, hour=7):
    return daily.check_in_record(
        plan=plan, patient=patient, day=day, pain_on_waking=waking, load_test_pain=load, now=at(day, hour)
    )


def sore_session(plan, day, pain=5, slot=0):
    """A rated session above the default safe limit of 3 (in the acceptable zone)."""
    return SessionLogFactory(
        plan=plan, date=day, slot=slot, pain_during=pain, pain_after=2, suggestion="hold",
        rule="session-acceptable", rated_at=at(day, 10),
    )  # fmt: skip


# --- the morning comparison: yesterday's check-in only ------------------------------------------------------


def test_the_first_check_in_says_there_is_nothing_to_compare_with_yet(stage_one_plan, patient):
    _, advice = check_in(stage_one_plan, patient, MONDAY, 1, 1)
    assert (advice.rule.code, advice.suggestion_label) == ("morning-first", "Hold")
    assert "nothing to compare it with yet" in advice.for_patient


def test_a_check_in_after_a_day_without_one_compares_nothing(stage_one_plan, patient):
    check_in(stage_one_plan, patient, MONDAY, 0, 0)
    # Wednesday's load test is 4 points up on Monday's, but Monday is not the morning before.
    record, advice = check_in(stage_one_plan, patient, day_of(2), 2, 4)
    assert (record.rule, advice.suggestion_label) == ("morning-no-recent", "Hold")
    assert "no recent morning to compare" in advice.for_patient
    assert not Alert.objects.filter(kind=AlertKind.PAIN_RISING).exists()
    reworded = daily.check_in_advice(record)
    assert (reworded.rule.code, reworded.for_patient) == ("morning-no-recent", advice.for_patient)


def test_a_check_in_is_compared_with_yesterdays_and_reworded_the_same(stage_one_plan, patient):
    check_in(stage_one_plan, patient, MONDAY, 0, 0)
    check_in(stage_one_plan, patient, day_of(1), 1, 1)
    record, advice = check_in(stage_one_plan, patient, day_of(2), 1, 3)
    assert (record.rule, advice.suggestion_label) == ("morning-rise-alert", "Ease off")
    assert "2 points more than yesterday morning" in advice.for_patient
    assert "yesterday: waking 1/10, load test 1/10" in advice.for_clinician
    reworded = daily.check_in_advice(record)
    assert (reworded.for_patient, reworded.for_clinician) == (advice.for_patient, advice.for_clinician)


def test_only_a_settled_morning_after_yesterdays_suggests_progress(stage_one_plan, patient):
    check_in(stage_one_plan, patient, MONDAY, 1, 1)
    _, advice = check_in(stage_one_plan, patient, day_of(1), 1, 1)
    assert (advice.rule.code, advice.suggestion_label) == ("morning-settled", "Progress")


def test_a_safe_session_holds_until_the_next_morning(stage_one_plan, patient):
    session = daily.session_log(
        plan=stage_one_plan, patient=patient, day=MONDAY, slot=0, done=None, now=at(MONDAY, 9)
    )
    advice = daily.session_rate(session=session, patient=patient, pain_during=1, pain_after=1, effort=4)
    assert advice.suggestion_label == "Hold"
    assert "Tomorrow morning's check-in decides" in advice.for_patient


def test_a_check_in_can_be_made_late_on_its_own_day_and_keeps_when_it_was_made(stage_one_plan, patient):
    record, _ = check_in(stage_one_plan, patient, MONDAY, 1, 1, hour=23)
    assert (record.date, record.created_at) == (MONDAY, at(MONDAY, 23))
    with pytest.raises(ValidationError, match="this morning only"):
        daily.check_in_record(
            plan=stage_one_plan, patient=patient, day=MONDAY, pain_on_waking=1, load_test_pain=1,
            now=at(day_of(1), 0, 5),
        )  # fmt: skip


# --- pain creeping up ---------------------------------------------------------------------------------------


def test_load_test_pain_creeping_up_holds_and_alerts_once_a_week(stage_one_plan, patient):
    # One point every other day: never a rise of 2 from one morning to the next.
    loads = [1, 1, 2, 2, 3, 3, 3]
    advice = None
    for offset, load in enumerate(loads):
        _, advice = check_in(stage_one_plan, patient, day_of(offset), 1, load)
    assert advice is not None
    assert (advice.rule.code, advice.suggestion_label) == ("morning-trend", "Hold")
    assert "creeping up" in advice.for_patient
    trend = Alert.objects.filter(patient=patient, kind=AlertKind.PAIN_TREND)
    assert trend.count() == 1  # Monday to Sunday is one ISO week
    assert trend.get().severity == "medium" and "Load test pain creeping up" in trend.get().trigger
    assert not Alert.objects.filter(kind=AlertKind.PAIN_RISING).exists()

    check_in(stage_one_plan, patient, day_of(7), 1, 4)  # the next Monday: a new week
    assert trend.count() == 2


@pytest.mark.parametrize(
    ("name", "loads", "alerted"),
    [
        ("flat", [2, 2, 2, 2, 2, 2, 2], False),
        ("sudden spike", [1, 1, 1, 1, 1, 1, 5], False),
        ("recovery", [3, 3, 2, 2, 2, 1, 1], False),
        ("slow creep", [1, 1, 2, 2, 3, 3, 4], True),
    ],
)
def test_only_a_creep_raises_the_pain_trend_alert(stage_one_plan, patient, name, loads, alerted):
    for offset, load in enumerate(loads):
        check_in(stage_one_plan, patient, day_of(offset), 1, load)
    assert Alert.objects.filter(kind=AlertKind.PAIN_TREND).exists() is alerted, name


# --- the 24-hour rule: missed next-morning check-ins --------------------------------------------------------


def test_after_a_sore_session_today_asks_for_the_check_in_from_midday(stage_one_plan, patient):
    session = sore_session(stage_one_plan, MONDAY, pain=5)
    tuesday = day_of(1)
    assert selectors.check_in_overdue(stage_one_plan, at(tuesday, 11, 59), LONDON) is None
    assert selectors.check_in_overdue(stage_one_plan, at(tuesday, 12), LONDON) == session
    check_in(stage_one_plan, patient, tuesday, 1, 1, hour=15)
    assert selectors.check_in_overdue(stage_one_plan, at(tuesday, 16), LONDON) is None


def test_a_safe_session_needs_no_prompt(stage_one_plan, patient):
    SessionLogFactory(plan=stage_one_plan, date=MONDAY, pain_during=3, pain_after=3)
    assert selectors.check_in_overdue(stage_one_plan, at(day_of(1), 13), LONDON) is None


def test_two_sore_sessions_in_a_row_without_a_check_in_raise_one_low_alert(stage_one_plan, patient):
    sore_session(stage_one_plan, MONDAY)
    sore_session(stage_one_plan, day_of(2), pain=4)
    # Thursday is still the morning after Wednesday's session: not missed yet.
    assert daily.missed_check_ins_raise(plan=stage_one_plan, now=at(day_of(3), 20)) is None
    alert = daily.missed_check_ins_raise(plan=stage_one_plan, now=at(day_of(4), 8))
    assert alert is not None
    assert (alert.kind, alert.severity) == (AlertKind.MISSED_CHECK_INS, "low")
    assert "23 Nov and 25 Nov" in alert.trigger
    assert daily.missed_check_ins_raise(plan=stage_one_plan, now=at(day_of(4), 9)) is None
    assert Alert.objects.filter(kind=AlertKind.MISSED_CHECK_INS).count() == 1


def test_a_check_in_after_either_sore_session_means_no_alert(stage_one_plan, patient):
    sore_session(stage_one_plan, MONDAY)
    MorningCheckInFactory(plan=stage_one_plan, date=day_of(1))
    sore_session(stage_one_plan, day_of(2))
    assert daily.missed_check_ins_raise(plan=stage_one_plan, now=at(day_of(5), 8)) is None


def test_the_alert_is_raised_when_the_patient_next_writes(stage_one_plan, patient):
    sore_session(stage_one_plan, MONDAY)
    sore_session(stage_one_plan, day_of(2))
    check_in(stage_one_plan, patient, day_of(4), 1, 1)
    assert Alert.objects.filter(kind=AlertKind.MISSED_CHECK_INS).count() == 1


def test_a_run_of_misses_gives_one_alert_until_a_clinician_acknowledges_it(stage_one_plan, clinician):
    for offset in (0, 2, 4):
        sore_session(stage_one_plan, day_of(offset))
    daily.missed_check_ins_raise(plan=stage_one_plan, now=at(day_of(4), 8))  # 23 and 25 Nov
    daily.missed_check_ins_raise(plan=stage_one_plan, now=at(day_of(6), 8))  # 25 and 27 Nov: still open
    alerts = Alert.objects.filter(kind=AlertKind.MISSED_CHECK_INS)
    assert alerts.count() == 1
    alert_acknowledge(alert=alerts.get(), by=clinician, comment="Rang the patient")
    daily.missed_check_ins_raise(plan=stage_one_plan, now=at(day_of(6), 9))
    assert alerts.count() == 2


def test_misses_long_ago_raise_nothing(stage_one_plan):
    sore_session(stage_one_plan, MONDAY)
    sore_session(stage_one_plan, day_of(2))
    assert daily.missed_check_ins_raise(plan=stage_one_plan, now=at(day_of(30), 8)) is None


def test_the_sweep_raises_the_alert_for_each_active_plan_once(stage_one_plan, patient):
    sore_session(stage_one_plan, MONDAY)
    sore_session(stage_one_plan, day_of(2))
    assert daily.missed_check_ins_sweep(now=at(day_of(4), 8)) == 1
    assert daily.missed_check_ins_sweep(now=at(day_of(4), 9)) == 0
    assert Alert.objects.filter(patient=patient, kind=AlertKind.MISSED_CHECK_INS).count() == 1


def test_beat_runs_the_sweep_every_hour_as_a_task(stage_one_plan, patient):
    from portal.celery import app
    from rehab.tasks import missed_check_ins_alert

    entry = app.conf.beat_schedule["rehab-missed-check-ins"]
    assert entry["task"] == missed_check_ins_alert.name and entry["schedule"].minute == {20}
    today = patient.local_today()  # the task runs at the real time
    sore_session(stage_one_plan, today - datetime.timedelta(days=5))
    sore_session(stage_one_plan, today - datetime.timedelta(days=3))
    assert missed_check_ins_alert.apply().get() == 1
    assert missed_check_ins_alert.apply().get() == 0


def test_no_missed_check_ins_alert_for_mornings_when_the_plan_was_on_hold(stage_one_plan, patient, team):
    from conditions.models import ScreenSource
    from conditions.red_flags import RED_FLAG_CODES
    from conditions.services import red_flag_screen_record

    sore_session(stage_one_plan, MONDAY)
    sore_session(stage_one_plan, day_of(2))
    answers = {**dict.fromkeys(RED_FLAG_CODES, False), "night_pain": True}
    red_flag_screen_record(
        patient=patient, answers=answers, source=ScreenSource.WEEKLY, now=at(day_of(2), 20)
    )

    assert daily.missed_check_ins_sweep(now=at(day_of(4), 8)) == 0
    assert not Alert.objects.filter(kind=AlertKind.MISSED_CHECK_INS).exists()


def test_the_sweep_skips_plans_that_are_not_active(stage_one_plan, clinician):
    sore_session(stage_one_plan, MONDAY)
    sore_session(stage_one_plan, day_of(2))
    plans.plan_update(
        plan=stage_one_plan,
        status="completed",
        signed=plans.Signed(by=clinician, reason="Discharged", expected_version=1),
    )
    assert daily.missed_check_ins_sweep(now=at(day_of(4), 8)) == 0


# --- flare-ups at every stage -------------------------------------------------------------------------------


def test_a_plan_with_no_flare_up_set_falls_back_to_a_gentle_bridge_hold(plan_without_a_flare_up_set):
    items = selectors.prescriptions_for_day(plan_without_a_flare_up_set, in_flare_up=True)
    assert [(item.exercise.slug, item.pk, item.dosage_label) for item in items] == [
        ("isometric-bridge-hold", None, "4 × 30 s hold")
    ]
    again = selectors.flare_up_fallback(plan_without_a_flare_up_set)
    assert again is not None and again.public_id == items[0].public_id  # stable for Today's form
    assert not Prescription.objects.filter(plan=plan_without_a_flare_up_set, exercise__is_isometric=True)


def test_a_session_with_the_fallback_is_logged_without_a_prescription(plan_without_a_flare_up_set, patient):
    plan = plan_without_a_flare_up_set
    daily.flare_up_start(plan=plan, by=patient, now=at(MONDAY, 8))
    session = daily.session_log(plan=plan, patient=patient, day=MONDAY, slot=0, done=None, now=at(MONDAY, 9))
    done = ExerciseDone.objects.get(session=session)
    assert (done.exercise.slug, done.prescription, done.sets_done) == ("isometric-bridge-hold", None, 4)
    evening = daily.session_log(
        plan=plan, patient=patient, day=MONDAY, slot=1, done={daily.FLARE_UP_FALLBACK_KEY: 2},
        now=at(MONDAY, 18),
    )  # fmt: skip
    assert evening.in_flare_up and evening.exercises_done.get().sets_done == 2


def test_the_fallback_cannot_be_logged_outside_a_flare_up(plan_without_a_flare_up_set, patient):
    with pytest.raises(ValidationError, match="not part of this session"):
        daily.session_log(
            plan=plan_without_a_flare_up_set, patient=patient, day=MONDAY, slot=0,
            done={daily.FLARE_UP_FALLBACK_KEY: 2}, now=at(MONDAY, 9),
        )  # fmt: skip


def test_adherence_counts_the_fallback_on_flare_up_days():
    snapshot_entries = [{"exercise": "nordic-hamstring-curl", "times_per_day": 1, "days_of_week": [0, 3]}]
    flare_set = progress.flare_up_set(snapshot_entries, isometric_slugs={"isometric-bridge-hold"})
    assert [entry["exercise"] for entry in flare_set] == ["isometric-bridge-hold"]
    versions = progress.plan_versions(
        [(at(MONDAY, 8), {"prescriptions": snapshot_entries, "stage": 3})], LONDON, {"isometric-bridge-hold"}
    )
    assert progress.prescribed_on(versions, {day_of(1)}, day_of(1)) == 2  # twice a day, every day


def test_the_patient_can_cancel_a_flare_up_within_an_hour(stage_one_plan, patient):
    flare_up = daily.flare_up_start(plan=stage_one_plan, by=patient, now=at(MONDAY, 8))
    daily.flare_up_cancel(flare_up=flare_up, by=patient, now=at(MONDAY, 9))
    flare_up.refresh_from_db()
    assert (flare_up.ended_at, flare_up.ended_by) == (at(MONDAY, 9), patient)
    assert selectors.open_flare_up(stage_one_plan) is None
    assert Alert.objects.filter(kind=AlertKind.FLARE_UP).count() == 1  # the team still sees it happened
    assert AuditEvent.objects.filter(actor=patient, action="rehab.flare_up.cancel").count() == 1
    titles = [entry.title for entry in timeline_page(patient).entries]
    assert "Flare-up mode cancelled by the patient" in titles and "Flare-up mode ended" not in titles


def test_after_an_hour_only_a_clinician_ends_a_flare_up(stage_one_plan, patient, clinician):
    flare_up = daily.flare_up_start(plan=stage_one_plan, by=patient, now=at(MONDAY, 8))
    assert daily.flare_up_cancellable(flare_up, patient, at(MONDAY, 9))
    assert not daily.flare_up_cancellable(flare_up, patient, at(MONDAY, 9, 1))
    with pytest.raises(ValidationError, match="within an hour"):
        daily.flare_up_cancel(flare_up=flare_up, by=patient, now=at(MONDAY, 9, 1))
    with pytest.raises(ValidationError, match="not your plan"):
        daily.flare_up_cancel(flare_up=flare_up, by=PatientFactory(), now=at(MONDAY, 8, 30))
    assert selectors.open_flare_up(stage_one_plan) == flare_up
    daily.flare_up_end(flare_up=flare_up, by=clinician, note="Settled.", now=at(MONDAY, 12))
    titles = [entry.title for entry in timeline_page(patient).entries]
    assert "Flare-up mode ended" in titles and "Flare-up mode cancelled by the patient" not in titles


def test_a_flare_up_already_ended_cannot_be_cancelled(stage_one_plan, patient):
    flare_up = daily.flare_up_start(plan=stage_one_plan, by=patient, now=at(MONDAY, 8))
    daily.flare_up_cancel(flare_up=flare_up, by=patient, now=at(MONDAY, 8, 10))
    with pytest.raises(ValidationError, match="already ended"):
        daily.flare_up_cancel(flare_up=flare_up, by=patient, now=at(MONDAY, 8, 20))


# --- pain limits that cannot be unsafe ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("safe", "alert", "message"), [(3, 8, "at most 7/10"), (5, 5, "above the safe limit")]
)
def test_a_plan_cannot_alert_above_seven_or_put_the_safe_limit_at_the_alert(
    stage_one_plan, clinician, safe, alert, message
):
    with pytest.raises(ValidationError, match=message):
        plans.plan_pain_limits_update(
            plan=stage_one_plan, pain_safe_max=safe, pain_alert_above=alert, load_test_rise_alert=2,
            signed=plans.Signed(by=clinician, reason="Looser", expected_version=1),
        )  # fmt: skip
    stage_one_plan.refresh_from_db()
    assert (stage_one_plan.pain_safe_max, stage_one_plan.pain_alert_above) == (3, 5)


def test_the_database_refuses_an_alert_limit_above_seven(stage_one_plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        RehabPlan.objects.filter(pk=stage_one_plan.pk).update(pain_alert_above=8)
    with pytest.raises(IntegrityError), transaction.atomic():
        RehabPlan.objects.filter(pk=stage_one_plan.pk).update(pain_safe_max=5, pain_alert_above=5)
    RehabPlan.objects.filter(pk=stage_one_plan.pk).update(pain_safe_max=6, pain_alert_above=7)


# --- readiness ----------------------------------------------------------------------------------------------


def test_readiness_needs_five_check_ins_and_counts_pain_after_exercise(stage_one_plan):
    today = day_of(14)
    for offset in range(0, 14, 2):
        SessionLogFactory(plan=stage_one_plan, date=day_of(offset), pain_during=2, pain_after=2)
    for offset in (10, 11, 12, 13):
        MorningCheckInFactory(plan=stage_one_plan, date=day_of(offset), pain_on_waking=0, load_test_pain=1)
    by_key = {c.key: c for c in selectors.readiness_of(stage_one_plan, today).criteria}
    assert by_key["pain_during"].met
    assert by_key["no_morning_rise"].met is None and "At least 5" in by_key["no_morning_rise"].figure
    assert by_key["load_test"].met is None

    MorningCheckInFactory(plan=stage_one_plan, date=day_of(9), pain_on_waking=0, load_test_pain=1)
    SessionLogFactory(plan=stage_one_plan, date=day_of(13), pain_during=2, pain_after=5)
    by_key = {c.key: c for c in selectors.readiness_of(stage_one_plan, today).criteria}
    assert by_key["no_morning_rise"].met and by_key["load_test"].met
    assert (
        by_key["pain_during"].met is False and "Highest 5/10 during or after" in by_key["pain_during"].figure
    )


def test_readiness_compares_a_morning_only_with_the_day_before(stage_one_plan):
    today = day_of(14)
    # A gap, then a higher morning: not a rise, since there is no morning before it to compare with.
    for offset, load in ((3, 0), (5, 2), (6, 2), (7, 2), (8, 2)):
        MorningCheckInFactory(plan=stage_one_plan, date=day_of(offset), pain_on_waking=0, load_test_pain=load)
    by_key = {c.key: c for c in selectors.readiness_of(stage_one_plan, today).criteria}
    assert by_key["no_morning_rise"].met
    MorningCheckInFactory(plan=stage_one_plan, date=day_of(9), pain_on_waking=1, load_test_pain=2)
    by_key = {c.key: c for c in selectors.readiness_of(stage_one_plan, today).criteria}
    assert by_key["no_morning_rise"].met is False
