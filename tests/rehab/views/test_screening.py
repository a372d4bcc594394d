"""The red-flag screen's pages: Today on hold, the weekly check, the screen before a flare-up, and the
clinician's release on the plan page."""

import pytest
from django.urls import reverse

from conditions import red_flags
from conditions.models import RedFlagScreen
from rehab import holds
from rehab.models import FlareUp, SessionLog
from rehab.services import screening
from tests.factories import ClinicianFactory
from tests.rehab.views.test_daily import TODAY, local_today

pytestmark = pytest.mark.django_db

NONE = dict.fromkeys(red_flags.RED_FLAG_CODES, False)
WEEKLY = reverse("rehab:today_weekly_check")
FLARE_UP = reverse("rehab:today_flare_up")


def hold_with(plan, code: str) -> None:
    screening.weekly_check_record(plan=plan, patient=plan.patient, answers={**NONE, code: True})


def builder_of(plan) -> str:
    return reverse("rehab:plan_builder", args=[plan.patient.patient_profile.public_id])


def test_today_on_hold_says_what_to_do_and_shows_no_exercises(client, stage_one_plan, patient, team):
    hold_with(stage_one_plan, "saddle_numbness")
    client.force_login(patient)

    response = client.get(TODAY)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Call the emergency number now" in page and "Your exercises are on hold" in page
    assert "Numbness or altered feeling in the saddle area" in page
    assert "Isometric bridge hold" not in page and "All done" not in page


def test_no_session_or_check_in_is_saved_while_the_plan_is_on_hold(client, stage_one_plan, patient, team):
    hold_with(stage_one_plan, "night_pain")
    client.force_login(patient)
    day = local_today(patient).isoformat()

    logged = client.post(reverse("rehab:today_session_log"), {"slot": 0, "day": day, "action": "all"})
    checked = client.post(
        reverse("rehab:today_check_in"), {"day": day, "pain_on_waking": 1, "load_test_pain": 1}
    )

    assert logged.status_code == checked.status_code == 400
    assert "See a clinician within the next few days" in logged.content.decode()
    assert not SessionLog.objects.exists() and not stage_one_plan.check_ins.exists()


def test_no_page_shows_the_patient_an_exercise_while_on_hold(client, stage_one_plan, patient, team):
    hold_with(stage_one_plan, "weight_loss")
    client.force_login(patient)
    pages = [
        reverse("rehab:my_plan"),
        reverse("rehab:plan_print", args=[stage_one_plan.public_id]),
        reverse("rehab:exercise_detail", args=["isometric-bridge-hold"]),
    ]
    for url in pages:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200 and "Your exercises are on hold" in page, url
        assert "Unexplained weight loss" in page and "Isometric bridge hold" not in page, url
        assert pages[1] not in page, url  # no link to print the programme


def test_the_clinician_still_reads_the_whole_programme_while_on_hold(
    client, stage_one_plan, patient, clinician, team
):
    hold_with(stage_one_plan, "weight_loss")
    client.force_login(clinician)
    page = client.get(reverse("rehab:plan_print", args=[stage_one_plan.public_id])).content.decode()
    assert "Isometric bridge hold" in page


def test_the_weekly_check_is_asked_until_answered_and_nothing_new_keeps_the_plan(
    client, stage_one_plan, patient, team
):
    client.force_login(patient)
    assert "Anything new this week?" in client.get(TODAY).content.decode()

    response = client.post(WEEKLY, {"weekly-signs": ["none"]})

    assert response.status_code == 302 and response["Location"] == TODAY
    screen = RedFlagScreen.objects.get()
    assert (screen.source, screen.flags) == ("weekly", [])
    page = client.get(TODAY).content.decode()
    assert "Anything new this week?" not in page and "Isometric bridge hold" in page


@pytest.mark.parametrize(
    ("signs", "message"),
    [
        ([], "Tick the signs that are true for you"),
        (["none", "calf_clot"], "on its own"),
        (["not_a_sign"], "Select a valid choice"),
    ],
)
def test_an_unclear_weekly_check_is_sent_back_and_saves_nothing(
    client, stage_one_plan, patient, team, signs, message
):
    client.force_login(patient)
    response = client.post(WEEKLY, {"weekly-signs": signs})
    assert response.status_code == 400 and message in response.content.decode()
    assert not RedFlagScreen.objects.exists()


def test_a_sign_ticked_in_the_weekly_check_holds_the_plan(client, stage_one_plan, patient, team):
    client.force_login(patient)

    response = client.post(WEEKLY, {"weekly-signs": ["hot_swollen"]}, follow=True)

    page = response.content.decode()
    assert "Get seen today" in page and "Your care team has been told" in page
    assert holds.plan_hold_of(patient).urgency == red_flags.Urgency.SAME_DAY


def test_a_flare_up_starts_after_the_screen_and_a_sign_holds_the_plan_instead(
    client, stage_one_plan, patient, team
):
    client.force_login(patient)
    assert "a sudden worsening can be a sign" in client.get(FLARE_UP).content.decode()
    assert client.post(FLARE_UP, {}).status_code == 400

    client.post(FLARE_UP, {"flare-signs": ["leg_weakness"]})
    assert not FlareUp.objects.exists() and holds.plan_hold_of(patient) is not None
    assert "Call the emergency number now" in client.get(FLARE_UP).content.decode()


def test_a_screen_answered_all_no_switches_flare_up_mode_on(client, stage_one_plan, patient, team):
    client.force_login(patient)
    response = client.post(FLARE_UP, {"flare-signs": ["none"]})
    assert response.status_code == 302 and FlareUp.objects.get().is_open


def test_the_physio_releases_the_hold_with_a_note_the_patient_reads(
    client, stage_one_plan, patient, clinician, team
):
    hold_with(stage_one_plan, "fall_or_blow")
    client.force_login(clinician)
    assert "On hold: red flags reported" in client.get(builder_of(stage_one_plan)).content.decode()
    url = reverse("rehab:plan_hold_release", args=[stage_one_plan.public_id])

    shown = str(holds.plan_hold_of(patient).screens[0].public_id)
    refused = client.post(url, {"version": stage_one_plan.version, "reason": "", "screens": shown})
    garbled = client.post(url, {"version": stage_one_plan.version, "reason": "Fine", "screens": "not-an-id"})
    released = client.post(
        url, {"version": stage_one_plan.version, "reason": "X-ray clear; carry on.", "screens": shown}
    )

    assert refused.status_code == 400 and "Write a note for the patient" in refused.content.decode()
    assert garbled.status_code == 400 and "list of signs was not sent whole" in garbled.content.decode()
    assert released.status_code == 302 and holds.plan_hold_of(patient) is None
    client.force_login(patient)
    page = client.get(TODAY).content.decode()
    assert "Your exercises are back on" in page and "X-ray clear; carry on." in page


def test_a_clinician_outside_the_team_cannot_release_a_hold(client, stage_one_plan, patient, team):
    hold_with(stage_one_plan, "fall_or_blow")
    client.force_login(ClinicianFactory())
    url = reverse("rehab:plan_hold_release", args=[stage_one_plan.public_id])
    shown = str(holds.plan_hold_of(patient).screens[0].public_id)
    response = client.post(url, {"version": stage_one_plan.version, "reason": "Fine", "screens": shown})
    assert response.status_code == 404
    assert holds.plan_hold_of(patient) is not None


def test_the_timeline_shows_the_red_flags_and_the_release(client, stage_one_plan, patient, clinician, team):
    hold_with(stage_one_plan, "calf_clot")
    stage_one_plan.refresh_from_db()
    screening.plan_hold_release(
        plan=stage_one_plan,
        signed=screening.Signed(
            by=clinician, reason="Ultrasound clear.", expected_version=stage_one_plan.version
        ),
        seen={screen.public_id for screen in holds.plan_hold_of(patient).screens},
    )
    client.force_login(clinician)

    page = client.get(reverse("careteam:timeline", args=[patient.patient_profile.public_id])).content.decode()

    assert "Red flags reported (Weekly check on Today); urgency: today. Plan on hold." in page
    assert "Calf swelling or tenderness" in page
    assert "Plan released from the red-flag hold" in page and "Ultrasound clear." in page
