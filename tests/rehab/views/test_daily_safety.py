"""Today and the clinician's pages for clinical safety: flare-ups at every stage, cancelling a flare-up, the
next-morning prompt, the pain-rules page and pain limits that cannot be unsafe."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from careteam.models import Alert, AlertKind
from rehab.models import ExerciseDone
from rehab.services import daily
from tests.factories import SessionLogFactory

pytestmark = pytest.mark.django_db
TODAY = reverse("rehab:today")


def zone_where_the_hour_is(low: int, high: int) -> str:
    """A fixed-offset zone where the local hour is now between `low` and `high`, so that a test of a time of
    day runs the same whenever the suite runs (no clock is faked)."""
    for hours_east in range(-12, 15):
        name = f"Etc/GMT{-hours_east:+d}" if hours_east else "Etc/GMT"
        if low <= timezone.now().astimezone(zoneinfo.ZoneInfo(name)).hour <= high:
            return name
    raise AssertionError("no zone")  # pragma: no cover - 27 offsets cover every hour


def local_today(patient) -> datetime.date:
    return timezone.localtime(timezone=patient.zone).date()


def test_a_flare_up_on_a_plan_without_a_flare_up_set_shows_the_gentle_bridge_hold(
    client, plan_without_a_flare_up_set, patient
):
    patient.time_zone = zone_where_the_hour_is(9, 11)  # the morning session is due
    patient.save(update_fields=["time_zone"])
    daily.flare_up_start(plan=plan_without_a_flare_up_set, by=patient)
    client.force_login(patient)
    page = client.get(TODAY)
    html = page.content.decode()
    assert "Flare-up mode is on" in html and "Nothing more to do" not in html
    assert "none are set aside" not in html
    shown = page.context["shown"]
    assert "listed below" in html and "Isometric bridge hold" in html and "4 × 30 s hold" in html
    fallback = shown.items[0]
    logged = client.post(
        reverse("rehab:today_session_log"),
        {
            "slot": shown.index,
            "day": local_today(patient).isoformat(),
            "action": "ticked",
            "done": [str(fallback.public_id)],
            f"sets-{fallback.public_id}": "3",
        },
    )
    assert logged.status_code == 302
    assert ExerciseDone.objects.get().sets_done == 3
    html = client.get(TODAY).content.decode()
    assert client.get(TODAY).context["shown"] is None
    assert "listed below" not in html and "Nothing more to do" not in html
    assert "the next ones are later today" in html or "you have done today" in html


def test_my_plan_and_the_printout_show_the_fallback_during_a_flare_up(
    client, plan_without_a_flare_up_set, patient
):
    daily.flare_up_start(plan=plan_without_a_flare_up_set, by=patient)
    client.force_login(patient)
    for url in (
        reverse("rehab:my_plan"),
        reverse("rehab:plan_print", args=[plan_without_a_flare_up_set.public_id]),
    ):
        page = client.get(url).content.decode()
        assert "Isometric bridge hold" in page and "Nordic" not in page, url
        assert "none are set aside" not in page, url


def test_the_flare_up_button_is_a_real_button(client, stage_one_plan, patient):
    client.force_login(patient)
    page = client.get(TODAY).content.decode()
    start = reverse("rehab:today_flare_up")
    assert re.search(rf'<(a|button|summary) class="btn btn-[a-z-]+[^"]*"( href="{start}")?[^>]*>I', page)


def test_a_flare_up_started_by_mistake_can_be_cancelled_from_today_within_the_hour(
    client, stage_one_plan, patient
):
    daily.flare_up_start(plan=stage_one_plan, by=patient)
    client.force_login(patient)
    assert "Cancel flare-up mode" in client.get(TODAY).content.decode()
    response = client.post(reverse("rehab:today_flare_up_cancel"))
    assert response.status_code == 302
    page = client.get(TODAY).content.decode()
    assert "Flare-up mode is on" not in page and "flare-up mode is cancelled" in page.lower()
    assert Alert.objects.filter(kind=AlertKind.FLARE_UP).count() == 1
    again = client.post(reverse("rehab:today_flare_up_cancel"))
    assert again.status_code == 400 and "nothing to cancel" in again.content.decode()


def test_after_an_hour_today_offers_no_cancel_and_refuses_one(client, stage_one_plan, patient):
    daily.flare_up_start(plan=stage_one_plan, by=patient, now=timezone.now() - datetime.timedelta(minutes=61))
    client.force_login(patient)
    assert "Cancel flare-up mode" not in client.get(TODAY).content.decode()
    response = client.post(reverse("rehab:today_flare_up_cancel"))
    assert response.status_code == 400 and "within an hour" in response.content.decode()
    assert stage_one_plan.flare_ups.get().is_open


def test_after_midday_today_prompts_for_the_check_in_a_sore_session_needs(client, stage_one_plan, patient):
    patient.time_zone = zone_where_the_hour_is(13, 22)
    patient.save()
    yesterday = local_today(patient) - datetime.timedelta(days=1)
    SessionLogFactory(plan=stage_one_plan, date=yesterday, pain_during=5, pain_after=3)
    client.force_login(patient)
    page = client.get(TODAY).content.decode()
    assert "Still time for this morning&#x27;s check-in" in page or "Still time for this morning's" in page
    assert "went up to 5/10" in page and "how did the tendon take yesterday?" not in page


def test_in_the_morning_the_usual_check_in_card_shows(client, stage_one_plan, patient):
    patient.time_zone = zone_where_the_hour_is(6, 10)
    patient.save()
    yesterday = local_today(patient) - datetime.timedelta(days=1)
    SessionLogFactory(plan=stage_one_plan, date=yesterday, pain_during=5, pain_after=3)
    client.force_login(patient)
    page = client.get(TODAY).content.decode()
    assert "how did the tendon take yesterday?" in page and "Still time" not in page


def test_the_pain_rules_page_explains_the_24_hour_rule_and_where_the_zones_come_from(client, clinician):
    client.force_login(clinician)
    page = client.get(reverse("rehab:pain_rules")).content.decode()
    assert "adapted from Silbernagel 2007 (0–2 in the original)" in page
    assert "A session on its own never suggests <strong>progress</strong>" in page
    assert "Tomorrow morning&#x27;s check-in decides" in page or "Tomorrow morning's check-in decides" in page
    assert "Pain creeping up (at most one a week)" in page
    assert "4 × 30 s hold, 2 times a day" in page
    assert "can be at most 7/10" in page


@pytest.mark.parametrize(
    ("safe", "alert", "message"),
    [(3, 8, "at most 7/10"), (7, 7, "must be above the safe limit"), (4, 11, "at most 7/10")],
)
def test_pain_limits_above_seven_answer_400_with_the_reason(
    client, stage_one_plan, clinician, team, safe, alert, message
):
    client.force_login(clinician)
    response = client.post(
        reverse("rehab:plan_pain_limits", args=[stage_one_plan.public_id]),
        {
            "version": 1,
            "reason": "x",
            "pain_safe_max": safe,
            "pain_alert_above": alert,
            "load_test_rise_alert": 2,
        },
    )
    assert response.status_code == 400 and message in response.content.decode()
    stage_one_plan.refresh_from_db()
    assert stage_one_plan.pain_alert_above == 5


def test_when_the_flare_up_exercises_are_done_today_says_so_and_never_nothing_to_do(
    client, plan_without_a_flare_up_set, patient
):
    patient.time_zone = zone_where_the_hour_is(17, 22)  # both sessions of the day have started
    patient.save()
    plan = plan_without_a_flare_up_set
    daily.flare_up_start(plan=plan, by=patient)
    for slot in (0, 1):
        session = daily.session_log(
            plan=plan, patient=patient, day=local_today(patient), slot=slot, done=None
        )
        daily.session_rate(session=session, patient=patient, pain_during=1, pain_after=1, effort=3)
    client.force_login(patient)
    page = client.get(TODAY).content.decode()
    assert "Today&#x27;s gentle exercises are done" in page or "Today's gentle exercises are done" in page
    assert "you have done today" in page
    assert "Nothing more to do" not in page and "listed below" not in page
