import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from careteam.models import Alert
from rehab import pain_rules, trends
from rehab.models import FlareUp, MorningCheckIn, OutcomeMeasure, RehabPlan, SessionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    patient = User.objects.get(email="patient@demo.test")
    return patient, RehabPlan.objects.get(patient=patient)


def _counts():
    return [model.objects.count() for model in (SessionLog, MorningCheckIn, FlareUp, OutcomeMeasure, Alert)]


def _thresholds(plan):
    return pain_rules.Thresholds(plan.pain_safe_max, plan.pain_alert_above, plan.load_test_rise_alert)


def test_demo_sessions_carry_the_suggestion_and_rule_of_the_pain_rules(demo):
    _, plan = demo
    sessions = list(plan.sessions.order_by("date"))
    assert len(sessions) > 30
    for session in sessions:
        facts = pain_rules.SessionFacts(
            session.pain_during, session.pain_after, session.effort, session.in_flare_up
        )
        outcome = pain_rules.evaluate_session(facts, _thresholds(plan))
        assert (session.suggestion, session.rule) == (outcome.suggestion, outcome.rule.code), session.date
    assert {session.suggestion for session in sessions} != {sessions[0].suggestion}


def test_demo_check_ins_carry_the_suggestion_and_rule_of_the_pain_rules(demo):
    _, plan = demo
    check_ins = list(plan.check_ins.order_by("date"))
    by_day = {check_in.date: check_in for check_in in check_ins}
    assert len(check_ins) > 30
    for index, check_in in enumerate(check_ins):
        yesterday = by_day.get(check_in.date - datetime.timedelta(days=1))
        series = [(c.date, c.pain_on_waking, c.load_test_pain) for c in check_ins[: index + 1]]
        facts = pain_rules.CheckInFacts(
            check_in.pain_on_waking,
            check_in.load_test_pain,
            yesterday.pain_on_waking if yesterday else None,
            yesterday.load_test_pain if yesterday else None,
            has_earlier=index > 0,
            trend_rising=trends.pain_rising(series, check_in.date)[0],
        )
        outcome = pain_rules.evaluate_check_in(facts, _thresholds(plan))
        assert (check_in.suggestion, check_in.rule) == (outcome.suggestion, outcome.rule.code), check_in.date
    assert {check_in.rule for check_in in check_ins} >= {"morning-first", "morning-settled"}


def test_demo_history_leaves_today_to_the_patient_and_ends_the_flare_up(demo):
    patient, plan = demo
    today = timezone.localtime(timezone=patient.zone).date()
    assert not plan.sessions.filter(date__gte=today).exists()
    assert not plan.check_ins.filter(date__gte=today).exists()
    flare_up = plan.flare_ups.get()
    assert flare_up.started_by == patient
    assert flare_up.ended_by.email == "physio@demo.test"
    during = plan.sessions.filter(logged_at__gt=flare_up.started_at, logged_at__lt=flare_up.ended_at)
    assert during.exists()
    assert set(plan.sessions.values_list("in_flare_up", flat=True)) == {True, False}
    assert set(during.values_list("in_flare_up", flat=True)) == {True}
    for session in plan.sessions.all():
        assert timezone.localtime(session.logged_at, patient.zone).date() == session.date


def test_demo_alerts_are_the_services_own_and_all_but_the_care_teams_acknowledged(demo):
    patient, plan = demo
    history = Alert.objects.filter(patient=patient, dedupe_key__startswith="rehab-")
    assert {alert.kind for alert in history} == {
        "pain_over_threshold",
        "pain_rising",
        "pain_trend",
        "flare_up",
    }
    for alert in history:
        assert alert.acknowledged_by.email == "physio@demo.test"
        assert alert.raised_at < alert.acknowledged_at < plan.flare_ups.get().ended_at
    assert all("Suggested to the patient" in alert.trigger for alert in history if alert.kind != "flare_up")
    open_alerts = Alert.objects.filter(acknowledged_at__isnull=True)
    assert [alert.dedupe_key for alert in open_alerts] == ["demo-pain-over-threshold"]


def test_demo_questionnaires_are_at_weeks_0_2_and_4(demo):
    patient, plan = demo
    days = {
        (measure.kind, (measure.taken_on - plan.start_date).days)
        for measure in OutcomeMeasure.objects.filter(patient=patient, plan=plan)
    }
    assert days == {(kind, day) for kind in ("visa_h", "psfs", "pain_rating") for day in (0, 14, 28)}


def test_seed_demo_again_adds_no_rehab_history(demo, settings):
    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
