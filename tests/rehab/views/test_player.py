"""The exercise player's page: the list of the session without JavaScript, the first and the extra session,
refused input (400, a message, nothing saved) and who may open it. The timers themselves are walked in
tests/e2e/test_player.py."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from careteam.models import Alert
from rehab.models import PlanTemplate, SessionLog
from rehab.services import plans
from tests.factories import PatientFactory, SessionLogFactory
from tests.rehab.views.test_daily import TODAY, local_today
from tests.rehab.views.test_daily_safety import zone_where_the_hour_is
from tests.rehab.views.test_screening import hold_with

pytestmark = pytest.mark.django_db


def play(slot: int) -> str:
    return reverse("rehab:today_session_play", args=[slot])


@pytest.fixture
def one_session_plan(stage_one_plan):
    """The stage 1 plan with every exercise once a day: one session ("Today"), due whatever the hour."""
    stage_one_plan.prescriptions.update(times_per_day=1)
    return stage_one_plan


def sent(patient, **changes) -> dict:
    """What the player's form sends after "I did all of it", with pain 2 during, 3 after and effort 5."""
    data = {
        "day": local_today(patient).isoformat(),
        "action": "all",
        "pain_during": "2",
        "pain_after": "3",
        "effort": "5",
        "note": "",
    }
    return {**data, **changes}


def test_without_javascript_the_player_is_the_sessions_list_with_the_log_form(
    client, one_session_plan, patient
):
    client.force_login(patient)
    response = client.get(play(0))

    page = response.content.decode()
    assert response.status_code == 200
    for item in one_session_plan.prescriptions.select_related("exercise"):
        assert escape(item.exercise.name) in page
        assert escape(item.exercise.step_list[0]) in page
        assert escape(item.exercise.illustration_alt) in page
        assert f'name="done" value="{item.public_id}"' in page
    assert "5 × 45 s hold, rest 2 min" in page
    assert 'name="pain_during"' in page and 'name="effort"' in page and 'value="all"' in page
    assert "Save it as an extra session?" not in page and 'name="extra"' not in page
    scripts = re.findall(r"<script[^>]*>", page)
    assert '<script type="module" src="/static/rehab/player.js">' in scripts
    assert all("src=" in tag for tag in scripts)  # no inline script: the CSP would block it


def test_today_offers_a_start_button_for_every_session_of_the_day(client, stage_one_plan, patient):
    client.force_login(patient)
    page = client.get(TODAY).content.decode()
    assert play(0) in page and play(1) in page
    assert "Start the morning session" in page and "Start the evening session" in page


def test_the_first_time_the_session_is_logged_and_rated_as_today_would(client, one_session_plan, patient):
    hold, *_ = one_session_plan.prescriptions.order_by("order")
    client.force_login(patient)
    response = client.post(
        play(0),
        sent(patient, action="ticked", done=[str(hold.public_id)], **{f"sets-{hold.public_id}": "4"}),
    )

    session = SessionLog.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{TODAY}?logged={session.public_id}"
    assert (session.extra, session.pain_during, session.pain_after, session.effort) == (0, 2, 3, 5)
    assert session.is_rated and session.suggestion and session.rule  # the pain rules ran
    assert list(session.exercises_done.values_list("exercise__name", "sets_done")) == [
        ("Isometric bridge hold", 4)
    ]
    today = client.get(response["Location"]).content.decode()
    assert "Saved: today&#x27;s session and how it went." in today
    assert "Do today's session again" in today


def test_a_logged_session_played_again_asks_and_is_saved_as_an_extra_session(
    client, one_session_plan, patient
):
    client.force_login(patient)
    assert client.post(play(0), sent(patient)).status_code == 302

    page = client.get(play(0)).content.decode()
    assert "Save it as an extra session?" in page and "You already logged this session today" in page
    assert '<input type="hidden" name="extra" value="1">' in page
    response = client.post(play(0), sent(patient, extra="1", pain_during="6", pain_after="5"))

    assert response.status_code == 302
    assert list(SessionLog.objects.order_by("extra").values_list("extra", "pain_during")) == [(0, 2), (1, 6)]
    assert Alert.objects.filter(patient=patient, kind="pain_over_threshold").count() == 1
    assert "Saved: your extra session and how it went." in client.get(response["Location"]).content.decode()


def test_a_second_log_not_marked_extra_answers_400_and_asks_the_question(client, one_session_plan, patient):
    client.force_login(patient)
    client.post(play(0), sent(patient))

    response = client.post(play(0), sent(patient, pain_during="4"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "already logged; nothing was changed" in page and "Save it as an extra session?" in page
    assert 'name="extra" value="1"' in page and "data-player-resume" in page
    assert SessionLog.objects.count() == 1


def test_a_session_not_due_yet_is_offered_as_an_extra_one_and_stays_open(client, stage_one_plan, patient):
    patient.time_zone = zone_where_the_hour_is(9, 11)  # morning due, evening from 17:00
    patient.save(update_fields=["time_zone"])
    client.force_login(patient)

    page = client.get(play(1)).content.decode()
    assert "This session is planned from 17:00" in page and 'name="extra" value="1"' in page
    assert client.post(play(1), sent(patient, extra="1")).status_code == 302

    session = SessionLog.objects.get()
    assert (session.slot, session.extra) == (1, 1)
    today = client.get(TODAY)
    assert [later.name for later in today.context["day"].later] == ["Evening"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pain_during": ""}, "Pain during the exercises: choose a number from 0 to 10."),
        ({"effort": "11"}, "How hard it felt: choose a number from 0 to 10."),
        ({"action": "ticked", "done": "HOLD", "sets-HOLD": "two"}, "sets done must be a whole number."),
        ({"action": "ticked", "done": "HOLD", "sets-HOLD": "11"}, "sets done must be a number from 1 to 10."),
        ({"action": "ticked"}, "Tick the exercises you did"),
        ({"day": "yesterday"}, "The date of the session is missing or not a date."),
        ({"day": "TOMORROW"}, "That date is in the future"),
        ({"extra": "1"}, "not logged yet, so save it as the session itself"),
    ],
)
def test_refused_input_answers_400_with_a_message_and_saves_nothing(
    client, one_session_plan, patient, changes, message
):
    hold = str(one_session_plan.prescriptions.get(exercise__slug="isometric-bridge-hold").public_id)
    tomorrow = (local_today(patient) + datetime.timedelta(days=1)).isoformat()
    changes = {
        key.replace("HOLD", hold): {"HOLD": hold, "TOMORROW": tomorrow}.get(value, value)
        for key, value in changes.items()
    }
    client.force_login(patient)

    response = client.post(play(0), sent(patient, **changes))

    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not SessionLog.objects.exists() and not Alert.objects.exists()


def test_an_exercise_of_another_patients_plan_is_refused_and_nothing_saved(
    client, one_session_plan, patient, clinician, condition
):
    other = plans.plan_assign(
        patient=PatientFactory(), template=PlanTemplate.objects.get(stage=1), by=clinician,
        condition=condition, start_date=datetime.date(2026, 11, 2),
    )  # fmt: skip
    theirs = other.prescriptions.first()
    client.force_login(patient)

    response = client.post(play(0), sent(patient, action="ticked", done=[str(theirs.public_id)]))

    assert response.status_code == 400
    assert "One of the exercises is not part of this session." in response.content.decode()
    assert not SessionLog.objects.exists()


def test_only_a_patient_with_a_plan_plays_and_only_todays_sessions(
    client, one_session_plan, patient, clinician
):
    client.force_login(patient)
    assert client.get(play(1)).status_code == 404  # one session a day: there is no slot 1
    assert client.post(play(3), sent(patient)).status_code == 404

    client.force_login(PatientFactory())
    response = client.get(play(0))
    assert response.status_code == 302 and response["Location"] == TODAY  # Today says there is no plan yet

    client.force_login(clinician)
    assert client.get(play(0)).status_code == 404
    assert not SessionLog.objects.exists()


def test_while_the_plan_is_on_hold_the_player_shows_the_hold_and_saves_nothing(
    client, one_session_plan, patient, team
):
    hold_with(one_session_plan, "night_pain")
    client.force_login(patient)

    shown = client.get(play(0))
    posted = client.post(play(0), sent(patient))

    assert shown.status_code == 200 and "Your exercises are on hold" in shown.content.decode()
    assert "Isometric bridge hold" not in shown.content.decode()
    assert posted.status_code == 400 and not SessionLog.objects.exists()


def test_the_player_reads_a_capped_number_of_queries_whatever_the_history(
    client, one_session_plan, patient, django_assert_max_num_queries
):
    for back in range(1, 31):
        SessionLogFactory(plan=one_session_plan, date=local_today(patient) - datetime.timedelta(days=back))
    client.force_login(patient)
    client.get(play(0))  # the first view fills what a session keeps

    with django_assert_max_num_queries(12):
        assert client.get(play(0)).status_code == 200
