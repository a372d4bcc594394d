"""The 0-10 scales (rehab/_scale.html on Today, rehab/_outcome_scale.html in the questionnaires): nothing
is chosen until the patient chooses, and a scale left unanswered answers 400 with a clear message while
everything else the patient entered stays on the page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from rehab.models import MorningCheckIn, OutcomeMeasure, SessionLog
from tests.factories import SessionLogFactory

pytestmark = pytest.mark.django_db
TODAY = reverse("rehab:today")
QUESTIONNAIRES = [reverse("rehab:outcome_form", args=[slug]) for slug in ("visa-h", "psfs", "pain-rating")]


def local_today(patient) -> datetime.date:
    return timezone.localtime(timezone=patient.zone).date()


def scale_groups(page: str) -> list[str]:
    """The HTML of every 0-10 scale on the page."""
    return re.findall(r'<fieldset class="scale[ "].*?</fieldset>', page, flags=re.DOTALL)


def chosen(group: str) -> list[str]:
    return re.findall(r'value="(\d+)" autocomplete="off" checked', group)


@pytest.fixture
def rate_and_check_in(client, stage_one_plan, patient):
    """Today with both cards: yesterday's session (so the morning check-in is due) and today's, to rate."""
    SessionLogFactory(plan=stage_one_plan, date=local_today(patient) - datetime.timedelta(days=1))
    client.force_login(patient)
    slot = client.get(TODAY).context["shown"].index
    client.post(
        reverse("rehab:today_session_log"),
        {"slot": slot, "day": local_today(patient).isoformat(), "action": "all"},
    )
    return SessionLog.objects.get(date=local_today(patient))


def test_todays_scales_start_with_no_number_chosen(client, rate_and_check_in):
    groups = scale_groups(client.get(TODAY).content.decode())
    assert len(groups) == 5  # two for the check-in, three for the session
    assert all(group.count('type="radio"') == 11 and not chosen(group) for group in groups)


@pytest.mark.parametrize("url", QUESTIONNAIRES)
def test_questionnaire_scales_start_with_no_number_chosen(client, stage_one_plan, patient, url):
    client.force_login(patient)
    groups = scale_groups(client.get(url).content.decode())
    assert groups and all(not chosen(group) for group in groups)


def test_every_scale_tells_keyboard_users_they_can_type_the_number(client, rate_and_check_in):
    page = client.get(TODAY).content.decode()
    assert all("Type a number from 0 to 10, or use the arrow keys." in group for group in scale_groups(page))
    assert '<script type="module" src="/static/rehab/scale-keys.js"></script>' in page


def test_a_session_rating_with_a_scale_left_out_answers_400_and_keeps_what_was_entered(
    client, rate_and_check_in
):
    session = rate_and_check_in
    url = reverse("rehab:today_session_rate", args=[session.public_id])
    response = client.post(url, {"pain_during": "3", "pain_after": "2", "note": "Hard chair at work"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="rate-effort-error">How hard it felt: choose a number from 0 to 10.</div>' in page
    assert 'aria-describedby="rate-effort-error"' in page
    assert 'id="rate-pain_during-3" value="3" autocomplete="off" checked' in page
    assert 'id="rate-pain_after-2" value="2" autocomplete="off" checked' in page
    assert ">Hard chair at work</textarea>" in page
    session.refresh_from_db()
    assert not session.is_rated


def test_a_session_rating_with_no_score_at_all_names_every_scale(client, rate_and_check_in):
    url = reverse("rehab:today_session_rate", args=[rate_and_check_in.public_id])
    page = client.post(url, {"note": "Forgot the numbers"}).content.decode()
    for label in ("Pain during the exercises", "Pain straight after", "How hard it felt"):
        assert f"{label}: choose a number from 0 to 10." in page
    assert ">Forgot the numbers</textarea>" in page


def test_a_check_in_with_a_scale_left_out_answers_400_and_keeps_the_other(client, rate_and_check_in, patient):
    response = client.post(
        reverse("rehab:today_check_in"), {"day": local_today(patient).isoformat(), "pain_on_waking": "4"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pain during three single-leg bridges: choose a number from 0 to 10." in page
    assert 'id="check-in-pain_on_waking-4" value="4" autocomplete="off" checked' in page
    assert not MorningCheckIn.objects.exists()


def test_a_pain_rating_questionnaire_sent_empty_answers_400_with_the_range(client, stage_one_plan, patient):
    client.force_login(patient)
    response = client.post(reverse("rehab:outcome_form", args=["pain-rating"]), {})
    assert response.status_code == 400
    assert "Choose a number from 0 to 10." in response.content.decode()
    assert not OutcomeMeasure.objects.exists()


def test_a_psfs_activity_left_unrated_answers_400_and_the_typed_activities_stay(
    client, stage_one_plan, patient
):
    client.force_login(patient)
    rows = {"activity_1": "Sitting through a film", "rating_1": "6", "activity_2": "Jogging to the bus"}
    response = client.post(reverse("rehab:outcome_form", args=["psfs"]), rows)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Activity 2: rate it from 0 to 10." in page
    assert 'value="Sitting through a film"' in page and 'value="Jogging to the bus"' in page
    assert 'id="psfs-rating_1-6" value="6" autocomplete="off" checked' in page
    assert not OutcomeMeasure.objects.exists()
