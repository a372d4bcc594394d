"""The clinicians' side of reminders: suggested times, alerts reaching the team, whether reminders help."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST
from accounts.models import AuditEvent
from careteam.models import Alert
from rehab.services import plans
from reminders.models import Channel, Delivery, DeliveryStatus, Notification, ReminderTime, TimeSuggestion
from reminders.services import clinicians
from reminders.services.clinicians import (
    alert_deliveries_due,
    alert_digest_alerts,
    pending_suggestions_for,
    reminder_effect,
    time_suggestion_answer,
    time_suggestion_create,
)
from reminders.services.pipeline import deliveries_create
from tests.careteam.conftest import CareWorld, build_world
from tests.factories import (
    AlertFactory,
    ConditionFactory,
    DeliveryFactory,
    ExerciseFactory,
    PlanTemplateFactory,
    PlanTemplateItemFactory,
    ReminderSettingsFactory,
    ReminderTimeFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 18, 10, 30, tzinfo=UTC)
MORNING_AND_EVENING = [
    {"time": "07:30", "weekdays": [0, 1, 2, 3, 4]},
    {"time": "18:15", "weekdays": [5, 6]},
]


@pytest.fixture
def world() -> CareWorld:
    """The care world of the access tests, its own alert moved a week back, out of the alert tests' way."""
    world = build_world()
    Alert.objects.filter(pk=world.alert.pk).update(raised_at=timezone.now() - datetime.timedelta(days=7))
    return world


def suggest(world: CareWorld, times=None, **kwargs) -> TimeSuggestion:
    return time_suggestion_create(
        patient=world.patient,
        by=kwargs.pop("by", world.lead),
        times=MORNING_AND_EVENING if times is None else times,
        note=kwargs.pop("note", "Before work suits your routine."),
        audit=WITHOUT_REQUEST,
        now=NOW,
    )


def times_of(user) -> list[tuple[str, list[int]]]:
    return [(f"{row.time:%H:%M}", row.weekdays) for row in ReminderTime.objects.filter(user=user)]


# --- suggested times ------------------------------------------------------------------------------------


def test_accepting_a_suggestion_replaces_the_patients_reminder_times(world):
    ReminderTimeFactory(user=world.patient, time=datetime.time(8, 0))
    ReminderTimeFactory(user=world.patient, time=datetime.time(18, 0))
    suggestion = suggest(world)

    time_suggestion_answer(
        suggestion=suggestion, patient=world.patient, accept=True, audit=WITHOUT_REQUEST, now=NOW
    )

    assert times_of(world.patient) == [("07:30", [0, 1, 2, 3, 4]), ("18:15", [5, 6])]
    suggestion.refresh_from_db()
    assert suggestion.accepted is True and suggestion.answered_at == NOW
    assert AuditEvent.objects.filter(
        actor=world.patient, patient=world.patient, action="reminders.suggestion.accept"
    ).exists()


def test_declining_a_suggestion_keeps_the_patients_reminder_times(world):
    ReminderTimeFactory(user=world.patient, time=datetime.time(8, 0))
    suggestion = suggest(world)

    time_suggestion_answer(
        suggestion=suggestion, patient=world.patient, accept=False, audit=WITHOUT_REQUEST, now=NOW
    )

    assert times_of(world.patient) == [("08:00", [0, 1, 2, 3, 4, 5, 6])]
    suggestion.refresh_from_db()
    assert suggestion.accepted is False


def test_a_suggestion_tells_the_patient_in_the_bell_and_the_answer_tells_the_clinician(world):
    suggestion = suggest(world)
    assert (
        Notification.objects.get(user=world.patient).url == reverse("reminders:preferences") + "#suggestions"
    )

    time_suggestion_answer(
        suggestion=suggestion, patient=world.patient, accept=True, audit=WITHOUT_REQUEST, now=NOW
    )

    told = Notification.objects.get(user=world.lead)
    assert "accepted" in told.title
    assert told.url == reverse("careteam:patient_detail", args=[world.patient_id]) + "#reminders"


def test_a_suggestion_is_answered_once(world):
    suggestion = suggest(world)
    time_suggestion_answer(
        suggestion=suggestion, patient=world.patient, accept=False, audit=WITHOUT_REQUEST, now=NOW
    )
    with pytest.raises(ValidationError, match="already answered"):
        time_suggestion_answer(
            suggestion=suggestion, patient=world.patient, accept=True, audit=WITHOUT_REQUEST, now=NOW
        )
    assert times_of(world.patient) == []


@pytest.mark.parametrize("who", ["outsider", "ended_member", "admin", "other_patient"])
def test_only_a_clinician_active_on_the_team_may_suggest_times(world, who):
    with pytest.raises(ValidationError, match="care team"):
        suggest(world, by=getattr(world, who))
    assert not TimeSuggestion.objects.exists()


@pytest.mark.parametrize(
    "times, problem",
    [
        ([], "at least one"),
        ("07:30", "at least one"),
        ([{"time": f"0{hour}:00", "weekdays": [0]} for hour in range(7)], "at most 6"),
        ([{"time": "7:30", "weekdays": [0]}], "hours and minutes"),
        ([{"time": "24:00", "weekdays": [0]}], "hours and minutes"),
        ([{"time": "07:30", "weekdays": []}], "at least one day"),
        ([{"time": "07:30", "weekdays": [7]}], "Monday"),
        ([{"time": "07:30", "weekdays": [True]}], "Monday"),
        ([{"time": "07:30", "weekdays": [1, 1]}], "once"),
        ([{"time": "07:30"}], "time and its days"),
        ([{"time": "07:30", "weekdays": [0]}, {"time": "07:30", "weekdays": [1]}], "twice"),
        ([{"time": datetime.time(7, 30, 15), "weekdays": [0]}], "to the minute"),
    ],
)
def test_a_suggestion_is_refused_unless_it_has_one_to_six_times_each_with_weekdays(world, times, problem):
    with pytest.raises(ValidationError, match=problem):
        suggest(world, times=times)


def test_a_note_longer_than_five_hundred_characters_is_refused(world):
    with pytest.raises(ValidationError):
        suggest(world, note="x" * 501)


def test_pending_suggestions_for_the_patient_are_shown_with_accept_and_decline(world):
    answered = suggest(world, times=[{"time": "06:00", "weekdays": [0]}])
    time_suggestion_answer(
        suggestion=answered, patient=world.patient, accept=False, audit=WITHOUT_REQUEST, now=NOW
    )
    pending = suggest(world)

    context = pending_suggestions_for(world.patient)
    html = render_to_string("reminders/_suggestions.html", context)

    assert [item.suggestion for item in context["pending_suggestions"]] == [pending]
    assert "07:30" in html and "Sat, Sun" in html and "06:00" not in html
    assert reverse("reminders:suggestion_accept", args=[pending.public_id]) in html
    assert reverse("reminders:suggestion_decline", args=[pending.public_id]) in html
    assert pending_suggestions_for(world.lead) == {"pending_suggestions": []}


# --- the pages ------------------------------------------------------------------------------------------


def suggest_url(world: CareWorld) -> str:
    return reverse("reminders:suggestion_create", args=[world.patient_id])


def form_data(**overrides) -> dict:
    data = {
        "times-TOTAL_FORMS": "3",
        "times-INITIAL_FORMS": "0",
        "times-MIN_NUM_FORMS": "1",
        "times-MAX_NUM_FORMS": "6",
        "times-0-time": "07:30",
        "times-0-weekdays": ["0", "1", "2", "3", "4"],
        "times-1-time": "",
        "times-1-weekdays": ["0", "1", "2", "3", "4", "5", "6"],
        "times-2-time": "",
        "times-2-weekdays": ["0", "1", "2", "3", "4", "5", "6"],
        "suggestion-note": "Before work",
    }
    data.update(overrides)
    return data


def test_a_team_clinician_suggests_times_from_the_form_and_the_patient_accepts(client, world):
    ReminderTimeFactory(user=world.patient, time=datetime.time(8, 0))
    client.force_login(world.member)
    response = client.post(suggest_url(world), form_data())
    assert response.status_code == 302
    suggestion = TimeSuggestion.objects.get()
    assert suggestion.times == [{"time": "07:30", "weekdays": [0, 1, 2, 3, 4]}]
    assert suggestion.suggested_by == world.member and suggestion.note == "Before work"

    client.force_login(world.patient)
    response = client.post(reverse("reminders:suggestion_accept", args=[suggestion.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reminders:preferences")
    assert times_of(world.patient) == [("07:30", [0, 1, 2, 3, 4])]


@pytest.mark.parametrize("who", ["outsider", "ended_member", "admin", "patient"])
def test_someone_not_a_clinician_on_the_team_gets_404_from_the_suggest_form(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(suggest_url(world)).status_code == 404
    assert client.post(suggest_url(world), form_data()).status_code == 404
    assert not TimeSuggestion.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"times-0-time": "25:99"},
        {"times-0-time": "07:30", "times-0-weekdays": []},
        {"times-0-weekdays": ["9"]},
        {"times-0-time": ""},
        {"times-1-time": "07:30"},  # the same time twice
        {"times-TOTAL_FORMS": "7"},
        {"times-TOTAL_FORMS": "x"},
        {"suggestion-note": "x" * 501},
    ],
)
def test_a_bad_suggestion_form_answers_400_and_saves_nothing(client, world, overrides):
    client.force_login(world.lead)
    response = client.post(suggest_url(world), form_data(**overrides))
    assert response.status_code == 400
    assert not TimeSuggestion.objects.exists()


def test_a_suggest_form_without_its_management_data_answers_400(client, world):
    client.force_login(world.lead)
    assert client.post(suggest_url(world), {"times-0-time": "07:30"}).status_code == 400


def test_answering_a_suggestion_twice_answers_400(client, world):
    suggestion = suggest(world)
    client.force_login(world.patient)
    assert (
        client.post(reverse("reminders:suggestion_decline", args=[suggestion.public_id])).status_code == 302
    )
    response = client.post(reverse("reminders:suggestion_accept", args=[suggestion.public_id]))
    assert response.status_code == 400
    assert "already answered" in response.content.decode()
    assert times_of(world.patient) == []


@pytest.mark.parametrize("who", ["other_patient", "lead"])
def test_only_the_patient_may_answer_their_suggestion(client, world, who):
    suggestion = suggest(world)
    client.force_login(getattr(world, who))
    assert client.post(reverse("reminders:suggestion_accept", args=[suggestion.public_id])).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.answered_at is None


def test_the_record_shows_the_patients_reminder_settings_read_only(client, world):
    ReminderSettingsFactory(user=world.patient, email=False, quiet_start="22:00", quiet_end="07:00")
    ReminderTimeFactory(user=world.patient, time=datetime.time(7, 45), weekdays=[0, 2, 4])
    suggest(world)
    client.force_login(world.lead)

    page = client.get(reverse("careteam:patient_detail", args=[world.patient_id])).content.decode()

    assert 'id="reminders-heading"' in page
    assert "07:45, Mon, Wed, Fri" in page
    assert "22:00 to 07:00" in page
    assert (
        "In the portal" in page
        and "email" not in page.split('id="reminders-heading"')[1].split("Reached by")[1][:80]
    )
    assert "Waiting for an answer" in page
    assert suggest_url(world) in page


def test_an_admin_sees_the_reminder_settings_on_the_record_but_no_suggest_link(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("careteam:patient_detail", args=[world.patient_id])).content.decode()
    assert 'id="reminders-heading"' in page
    assert suggest_url(world) not in page


def test_the_progress_page_shows_how_often_reminders_were_followed_and_the_suggest_form(client, world):
    client.force_login(world.lead)
    page = client.get(reverse("rehab:patient_progress", args=[world.patient_id])).content.decode()
    assert 'id="reminder-effect-heading"' in page
    assert "No exercise reminders were sent" in page
    assert f'action="{suggest_url(world)}"' in page

    client.force_login(world.patient)
    own = client.get(reverse("rehab:my_progress")).content.decode()
    assert 'id="reminder-effect-heading"' not in own


# --- alerts reach the team ------------------------------------------------------------------------------


def hour_start(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


# Team membership is by today's date, so the alert tests happen now (or later: the ended member stays ended).
def alert_rows_at(now: datetime.datetime):
    """What a dispatch at `now` inserts for alerts, through the pipeline's own outbox door."""
    return deliveries_create(alert_deliveries_due(now=now), now=now)


def test_a_new_alert_gives_each_active_team_clinician_one_in_app_notification(world):
    now = timezone.now()
    alert = AlertFactory(patient=world.patient, raised_at=now - datetime.timedelta(minutes=1))

    alert_rows_at(now)
    alert_rows_at(now + datetime.timedelta(minutes=1))  # the next dispatch adds nothing

    rows = Delivery.objects.filter(kind="alert")
    assert sorted(row.recipient_id for row in rows) == sorted([world.lead.pk, world.member.pk])
    assert {row.channel for row in rows} == {Channel.IN_APP}
    assert {row.status for row in rows} == {DeliveryStatus.PENDING}
    assert all(row.source.startswith(f"alert:{alert.public_id}:") for row in rows)
    assert all(clinicians.alert_of(row) == alert for row in rows)


def test_an_ended_member_an_outsider_and_the_patient_get_nothing_for_an_alert(world):
    now = timezone.now()
    AlertFactory(patient=world.patient, raised_at=now - datetime.timedelta(minutes=1))
    AlertFactory(patient=world.other_patient, raised_at=now - datetime.timedelta(minutes=1))
    alert_rows_at(now)
    recipients = set(Delivery.objects.values_list("recipient_id", flat=True))
    assert recipients == {world.lead.pk, world.member.pk}


def test_a_clinician_with_in_app_off_gets_the_alert_row_skipped_with_the_reason(world):
    now = timezone.now()
    ReminderSettingsFactory(user=world.member, in_app=False)
    AlertFactory(patient=world.patient, raised_at=now - datetime.timedelta(minutes=1))
    alert_rows_at(now)
    row = Delivery.objects.get(kind="alert", recipient=world.member)
    assert row.status == DeliveryStatus.SKIPPED and row.skip_reason == "channel switched off"


def test_alerts_older_than_a_day_make_no_notifications(world):
    now = timezone.now()
    AlertFactory(patient=world.patient, raised_at=now - datetime.timedelta(days=2))
    assert alert_deliveries_due(now=now) == []


def digests() -> list[tuple[int, datetime.datetime]]:
    rows = Delivery.objects.filter(kind="alert_digest").order_by("occurrence", "recipient_id")
    return [(row.recipient_id, row.occurrence) for row in rows]


def test_the_alert_email_digest_comes_at_most_once_an_hour_per_clinician(world):
    ten = hour_start(timezone.now()) + datetime.timedelta(hours=2)
    AlertFactory(patient=world.patient, raised_at=ten + datetime.timedelta(minutes=5))
    AlertFactory(patient=world.patient, raised_at=ten + datetime.timedelta(minutes=20))

    alert_rows_at(ten + datetime.timedelta(minutes=30))  # within the hour: in-app only
    assert digests() == []

    eleven = ten + datetime.timedelta(hours=1)
    for minute in (1, 2, 30):
        alert_rows_at(eleven + datetime.timedelta(minutes=minute))
    assert digests() == [(world.lead.pk, eleven), (world.member.pk, eleven)]
    digest = Delivery.objects.filter(kind="alert_digest", recipient=world.lead).get()
    assert digest.channel == Channel.EMAIL and digest.status == DeliveryStatus.PENDING
    assert alert_digest_alerts(digest).count() == 2

    AlertFactory(patient=world.patient, raised_at=eleven + datetime.timedelta(minutes=10))
    alert_rows_at(eleven + datetime.timedelta(minutes=40))
    assert len(digests()) == 2  # the next digest waits for the next hour

    noon = eleven + datetime.timedelta(hours=1)
    alert_rows_at(noon + datetime.timedelta(minutes=1))
    assert digests()[-2:] == [(world.lead.pk, noon), (world.member.pk, noon)]
    latest = Delivery.objects.get(kind="alert_digest", recipient=world.lead, occurrence=noon)
    assert alert_digest_alerts(latest).count() == 1

    alert_rows_at(noon + datetime.timedelta(hours=1, minutes=1))  # a quiet hour: no digest
    assert len(digests()) == 4


def test_a_clinician_with_email_off_gets_the_digest_skipped(world):
    now = timezone.now()
    ReminderSettingsFactory(user=world.lead, email=False)
    AlertFactory(patient=world.patient, raised_at=now - datetime.timedelta(minutes=40))
    alert_rows_at(now + datetime.timedelta(hours=1))
    digest = Delivery.objects.get(kind="alert_digest", recipient=world.lead)
    assert digest.status == DeliveryStatus.SKIPPED


# --- did reminders help? --------------------------------------------------------------------------------


@pytest.fixture
def plan(world):
    template = PlanTemplateFactory(stage=1)
    PlanTemplateItemFactory(template=template, exercise=ExerciseFactory(), times_per_day=1)
    return plans.plan_assign(
        patient=world.patient,
        template=template,
        by=world.lead,
        condition=ConditionFactory(slug="hamstring-tendinopathy"),
        start_date=datetime.date(2026, 10, 1),
        now=datetime.datetime(2026, 10, 1, 9, tzinfo=UTC),
    )


def sent(patient, at: datetime.datetime, *, channel="in_app", status=DeliveryStatus.SENT, **kwargs):
    """An exercise reminder due at `at` (sent then, unless another status is given)."""
    return DeliveryFactory(
        recipient=patient,
        source="time:test",
        occurrence=at,
        channel=channel,
        status=status,
        sent_at=at if status == DeliveryStatus.SENT else None,
        **kwargs,
    )


def logged(plan, at: datetime.datetime):
    return SessionLogFactory(plan=plan, date=at.date(), logged_at=at)


def test_reminder_effect_counts_reminders_followed_by_a_session_within_three_hours(world, plan):
    patient = world.patient
    day = datetime.timedelta(days=1)
    hour = datetime.timedelta(hours=1)
    # followed: a session 1 h after, and one exactly 3 h after
    sent(patient, NOW - 3 * day)
    logged(plan, NOW - 3 * day + hour)
    sent(patient, NOW - 4 * day)
    logged(plan, NOW - 4 * day + 3 * hour)
    # not followed: the session came 3 h 1 min after, or before the reminder
    sent(patient, NOW - 5 * day)
    logged(plan, NOW - 5 * day + 3 * hour + datetime.timedelta(minutes=1))
    sent(patient, NOW - 6 * day)
    logged(plan, NOW - 6 * day - datetime.timedelta(minutes=5))
    # counted once though sent on two channels; followed
    sent(patient, NOW - 7 * day, channel="in_app")
    sent(patient, NOW - 7 * day, channel="email")
    logged(plan, NOW - 7 * day + 2 * hour)
    # not counted: older than four weeks, due in the last three hours, failed, skipped, another kind
    sent(patient, NOW - 29 * day)
    logged(plan, NOW - 29 * day + hour)
    sent(patient, NOW - hour)
    sent(patient, NOW - 8 * day, status=DeliveryStatus.FAILED)
    sent(patient, NOW - 9 * day, status=DeliveryStatus.SKIPPED, skip_reason="snoozed")
    sent(patient, NOW - 10 * day, kind="nudge")
    logged(plan, NOW - 10 * day + hour)
    # another patient's reminder does not count
    sent(world.other_patient, NOW - 2 * day)

    effect = reminder_effect(patient=patient, now=NOW)

    assert (effect.sent, effect.followed, effect.percent) == (5, 3, 60)


def test_reminder_effect_with_nothing_sent_has_no_percentage(world):
    effect = reminder_effect(patient=world.patient, now=NOW)
    assert (effect.sent, effect.followed, effect.percent) == (0, 0, None)


def test_the_progress_page_shows_the_reminder_figure(client, world, plan):
    now = timezone.now()
    sent(world.patient, now - datetime.timedelta(days=2))
    logged(plan, now - datetime.timedelta(days=2) + datetime.timedelta(minutes=30))
    sent(world.patient, now - datetime.timedelta(days=3))
    client.force_login(world.lead)
    page = client.get(reverse("rehab:patient_progress", args=[world.patient_id])).content.decode()
    assert "1 of 2" in page and "(50%)" in page


@pytest.mark.parametrize("source", ["alert:not-a-uuid:1", "alert:", "time:abc", "alert"])
def test_an_alert_delivery_with_a_source_naming_no_alert_has_no_alert(world, source):
    delivery = DeliveryFactory(recipient=world.lead, kind="alert", source=source)
    assert clinicians.alert_of(delivery) is None
