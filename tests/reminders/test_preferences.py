"""The patient's side of reminders: the services behind the Reminders page, the page and its forms, and the
bell (unread count, list, mark read)."""

import datetime
import uuid
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.audit import WITHOUT_REQUEST
from accounts.models import AuditEvent
from reminders.models import Notification, ReminderSettings, ReminderTime
from reminders.services import preferences
from reminders.services.preferences import Snooze
from tests.factories import (
    ClinicianFactory,
    PatientFactory,
    ReminderSettingsFactory,
    ReminderTimeFactory,
)

pytestmark = pytest.mark.django_db
PAGE = reverse("reminders:preferences")
LIST = reverse("reminders:notifications")
NOW = datetime.datetime(2026, 12, 2, 15, 0, tzinfo=datetime.UTC)
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


def audits(user, action: str) -> int:
    return AuditEvent.objects.filter(actor=user, action=action).count()


def settings_post(**overrides) -> dict:
    data = {
        "exercise_on": "on",
        "check_in_on": "on",
        "questionnaire_on": "on",
        "nudge_on": "on",
        "plan_changed_on": "on",
        "nudge_time": "20:00",
        "in_app": "on",
        "email": "on",
        "quiet_start": "",
        "quiet_end": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def plan(patient, clinician):
    from rehab.models import PlanTemplate
    from rehab.services import plans
    from tests.factories import ConditionFactory

    plans.library_load()
    return plans.plan_assign(
        patient=patient,
        template=PlanTemplate.objects.get(stage=1),
        by=clinician,
        condition=ConditionFactory(slug="hamstring-tendinopathy"),
        start_date=datetime.date(2026, 11, 2),
    )


@pytest.fixture
def signed_in(client, patient):
    client.force_login(patient)
    return client


# --- settings -------------------------------------------------------------------------------------------


def test_a_patient_changes_kinds_channels_quiet_hours_and_the_nudge_time_and_it_is_audited(patient):
    row = preferences.reminder_settings_update(
        user=patient,
        changes={
            "nudge_on": False,
            "email": False,
            "quiet_start": datetime.time(22, 0),
            "quiet_end": datetime.time(7, 0),
            "nudge_time": datetime.time(19, 30),
        },
        audit=WITHOUT_REQUEST,
    )
    row.refresh_from_db()
    assert (row.nudge_on, row.email, row.in_app) == (False, False, True)
    assert (row.quiet_start, row.quiet_end, row.nudge_time) == (
        datetime.time(22),
        datetime.time(7),
        datetime.time(19, 30),
    )
    event = AuditEvent.objects.get(action="reminders.settings.update")
    assert event.actor == patient and event.patient == patient


def test_settings_refuse_a_field_that_is_not_a_choice(patient):
    with pytest.raises(ValidationError):
        preferences.reminder_settings_update(
            user=patient, changes={"feed_token": "chosen"}, audit=WITHOUT_REQUEST
        )
    assert not ReminderSettings.objects.filter(feed_token="chosen").exists()


def test_text_messages_are_refused_until_the_clinic_has_them(patient, settings):
    settings.SMS_ENABLED = False
    with pytest.raises(ValidationError) as refused:
        preferences.reminder_settings_update(
            user=patient, changes={"sms": True, "sms_number": "+447700900123"}, audit=WITHOUT_REQUEST
        )
    assert "sms" in refused.value.message_dict


def test_text_messages_need_a_number_in_international_form_when_the_clinic_has_them(patient, settings):
    settings.SMS_ENABLED = True
    for number in ("", "07700 900123"):
        with pytest.raises(ValidationError):
            preferences.reminder_settings_update(
                user=patient, changes={"sms": True, "sms_number": number}, audit=WITHOUT_REQUEST
            )
    row = preferences.reminder_settings_update(
        user=patient, changes={"sms": True, "sms_number": "+447700900123"}, audit=WITHOUT_REQUEST
    )
    assert row.channels() == ["in_app", "email", "sms"]


@pytest.mark.parametrize(
    "quiet",
    [
        {"quiet_start": datetime.time(22, 0)},
        {"quiet_start": datetime.time(22, 0), "quiet_end": None},
        {"quiet_start": datetime.time(22, 0), "quiet_end": datetime.time(22, 0)},
    ],
)
def test_quiet_hours_need_two_different_ends(patient, quiet):
    with pytest.raises(ValidationError):
        preferences.reminder_settings_update(user=patient, changes=quiet, audit=WITHOUT_REQUEST)
    assert audits(patient, "reminders.settings.update") == 0


# --- reminder times -------------------------------------------------------------------------------------


def test_a_patient_adds_a_reminder_time_on_chosen_days_and_it_is_audited(patient):
    added = preferences.reminder_time_add(
        user=patient, time=datetime.time(7, 15), weekdays=[4, 0, 2], audit=WITHOUT_REQUEST
    )
    assert added.weekdays == [0, 2, 4] and added.weekdays_label == "Mon, Wed, Fri"
    assert AuditEvent.objects.get(action="reminders.time.add").object_id == str(added.public_id)


@pytest.mark.parametrize("weekdays", [[], [7], [-1], [1, 1]])
def test_a_reminder_time_needs_real_weekdays_each_once(patient, weekdays):
    with pytest.raises(ValidationError) as refused:
        preferences.reminder_time_add(
            user=patient, time=datetime.time(8), weekdays=weekdays, audit=WITHOUT_REQUEST
        )
    assert "weekdays" in refused.value.message_dict
    assert not ReminderTime.objects.exists()


def test_a_reminder_time_is_set_to_the_minute(patient):
    with pytest.raises(ValidationError):
        preferences.reminder_time_add(
            user=patient, time=datetime.time(8, 0, 30), weekdays=EVERY_DAY, audit=WITHOUT_REQUEST
        )


def test_the_same_time_of_day_cannot_be_added_twice(patient):
    preferences.reminder_time_add(user=patient, time=datetime.time(8), weekdays=[0], audit=WITHOUT_REQUEST)
    with pytest.raises(ValidationError) as refused:
        preferences.reminder_time_add(
            user=patient, time=datetime.time(8), weekdays=[1], audit=WITHOUT_REQUEST
        )
    assert "already have a reminder at 08:00" in str(refused.value)
    assert ReminderTime.objects.filter(user=patient).count() == 1


def test_at_most_six_reminder_times(patient):
    for hour in range(preferences.MAX_TIMES):
        ReminderTimeFactory(user=patient, time=datetime.time(8 + hour))
    with pytest.raises(ValidationError, match="the most there can be"):
        preferences.reminder_time_add(
            user=patient, time=datetime.time(20), weekdays=[0], audit=WITHOUT_REQUEST
        )


def test_removing_a_reminder_time_is_audited_and_only_ones_own(patient):
    mine, theirs = ReminderTimeFactory(user=patient), ReminderTimeFactory()
    with pytest.raises(Http404):
        preferences.own_reminder_time(patient, theirs.public_id)
    with pytest.raises(Http404):
        preferences.reminder_time_remove(user=patient, reminder_time=theirs, audit=WITHOUT_REQUEST)
    preferences.reminder_time_remove(user=patient, reminder_time=mine, audit=WITHOUT_REQUEST)
    assert list(ReminderTime.objects.all()) == [theirs]
    assert audits(patient, "reminders.time.remove") == 1


# --- snooze and pause -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "until"),
    [
        (Snooze.HOUR, datetime.datetime(2026, 12, 2, 16, 0, tzinfo=datetime.UTC)),
        (Snooze.TOMORROW, datetime.datetime(2026, 12, 3, 7, 0, tzinfo=datetime.UTC)),  # London is on UTC
        (Snooze.WEEK, datetime.datetime(2026, 12, 9, 15, 0, tzinfo=datetime.UTC)),
    ],
)
def test_one_tap_snooze_holds_reminders_back_and_is_audited(patient, choice, until):
    patient.time_zone = "Europe/London"
    row = preferences.reminders_snooze(user=patient, choice=choice, audit=WITHOUT_REQUEST, now=NOW)
    assert row.snoozed_until == until
    assert preferences.is_snoozed(row, NOW) and not preferences.is_snoozed(row, until)
    assert audits(patient, f"reminders.snooze.{choice.value}") == 1


def test_until_tomorrow_means_seven_in_the_morning_local_even_across_a_clock_change():
    london = zoneinfo.ZoneInfo("Europe/London")
    saturday_night = datetime.datetime(2026, 3, 28, 23, 30, tzinfo=datetime.UTC)  # clocks go forward at 01:00
    until = preferences.snooze_end(Snooze.TOMORROW, zone=london, now=saturday_night)
    assert until == datetime.datetime(2026, 3, 29, 6, 0, tzinfo=datetime.UTC)  # 07:00 BST on Sunday
    sydney = zoneinfo.ZoneInfo("Australia/Sydney")
    until = preferences.snooze_end(Snooze.TOMORROW, zone=sydney, now=NOW)  # 02:00 on 3 Dec in Sydney
    assert until.astimezone(sydney) == datetime.datetime(2026, 12, 4, 7, 0, tzinfo=sydney)


def test_cancelling_a_snooze_lets_reminders_through_again(patient):
    preferences.reminders_snooze(user=patient, choice=Snooze.WEEK, audit=WITHOUT_REQUEST, now=NOW)
    row = preferences.reminders_snooze_cancel(user=patient, audit=WITHOUT_REQUEST, now=NOW)
    assert row.snoozed_until is None and audits(patient, "reminders.snooze.cancel") == 1


def test_a_pause_runs_from_today_to_at_most_six_months_and_can_be_ended(patient):
    patient.time_zone = "Europe/London"
    today = datetime.date(2026, 12, 2)
    for too_early_or_late in (today - datetime.timedelta(days=1), today + datetime.timedelta(days=184)):
        with pytest.raises(ValidationError):
            preferences.reminders_pause(user=patient, until=too_early_or_late, audit=WITHOUT_REQUEST, now=NOW)
    row = preferences.reminders_pause(user=patient, until=today, audit=WITHOUT_REQUEST, now=NOW)
    assert preferences.is_paused(row, today) and not preferences.is_paused(row, today + datetime.timedelta(1))
    row = preferences.reminders_resume(user=patient, audit=WITHOUT_REQUEST, now=NOW)
    assert row.paused_until is None
    assert audits(patient, "reminders.pause") == 1 and audits(patient, "reminders.resume") == 1


def test_the_first_change_of_a_patient_with_a_plan_brings_the_default_times_with_it(patient, plan):
    preferences.reminders_snooze(user=patient, choice=Snooze.HOUR, audit=WITHOUT_REQUEST, now=NOW)
    assert ReminderTime.objects.filter(user=patient).exists()


# --- the calendar link ----------------------------------------------------------------------------------


def test_a_new_calendar_link_revokes_the_old_one(client, patient):
    old = ReminderSettingsFactory(user=patient).feed_token
    assert client.get(reverse("reminders:feed", args=[old])).status_code == 200
    new = preferences.feed_token_renew(user=patient, audit=WITHOUT_REQUEST).feed_token
    assert new != old and len(new) >= 40
    assert client.get(reverse("reminders:feed", args=[old])).status_code == 404
    assert client.get(reverse("reminders:feed", args=[new])).status_code == 200
    assert audits(patient, "reminders.feed.renew") == 1


# --- notifications --------------------------------------------------------------------------------------


def test_marking_a_notification_read_is_once_and_only_ones_own(patient):
    mine = Notification.objects.create(user=patient, title="Time for your exercises", url="/rehab/today/")
    theirs = Notification.objects.create(user=PatientFactory(), title="Someone else's")
    with pytest.raises(Http404):
        preferences.own_notification(patient, theirs.public_id)
    preferences.notification_mark_read(user=patient, notification=mine, audit=WITHOUT_REQUEST, now=NOW)
    preferences.notification_mark_read(user=patient, notification=mine, audit=WITHOUT_REQUEST)
    mine.refresh_from_db()
    assert mine.read_at == NOW and audits(patient, "reminders.notification.read") == 1


def test_mark_all_read_touches_only_the_persons_unread(patient):
    for title in ("One", "Two"):
        Notification.objects.create(user=patient, title=title)
    other = Notification.objects.create(user=PatientFactory(), title="Other")
    assert preferences.notifications_mark_all_read(user=patient, audit=WITHOUT_REQUEST, now=NOW) == 2
    assert preferences.notifications_mark_all_read(user=patient, audit=WITHOUT_REQUEST, now=NOW) == 0
    other.refresh_from_db()
    assert other.read_at is None and audits(patient, "reminders.notification.read_all") == 1


# --- the Reminders page ---------------------------------------------------------------------------------


def test_the_reminders_page_is_for_patients_only(client, signed_in):
    assert signed_in.get(PAGE).status_code == 200
    client.force_login(ClinicianFactory())
    assert client.get(PAGE).status_code == 404


def test_opening_the_page_with_a_plan_and_no_settings_makes_the_default_times(signed_in, patient, plan):
    page = signed_in.get(PAGE).content.decode()
    times = ReminderTime.objects.filter(user=patient)
    assert ReminderSettings.objects.filter(user=patient).exists() and times.exists()
    for reminder in times:
        assert f"{reminder.time:%H:%M}" in page


def test_opening_the_page_without_a_plan_saves_nothing(signed_in, patient):
    page = signed_in.get(PAGE).content.decode()
    assert "You have no exercise reminders yet" in page
    assert not ReminderSettings.objects.filter(user=patient).exists()
    assert "Make my calendar link" in page


def test_the_page_is_linked_from_today_and_the_menu(signed_in, plan):
    today = signed_in.get(reverse("rehab:today")).content.decode()
    assert today.count(f'href="{PAGE}"') == 2  # the main menu and Today's "More" list


def test_adding_a_time_from_the_page(signed_in, patient):
    response = signed_in.post(reverse("reminders:time_add"), {"time": "07:45", "weekdays": ["0", "6"]})
    assert response.status_code == 302
    assert ReminderTime.objects.get(user=patient).weekdays == [0, 6]
    page = signed_in.get(PAGE).content.decode()
    assert "07:45" in page and "Mon, Sun" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"time": "", "weekdays": ["0"]}, "Time of day: give a time, such as 08:00."),
        ({"time": "25:00", "weekdays": ["0"]}, "Time of day: give a time as hours and minutes"),
        ({"time": "8am", "weekdays": ["0"]}, "Time of day: give a time as hours and minutes"),
        ({"time": "08:00:30", "weekdays": ["0"]}, "Time of day: give a time as hours and minutes"),
        ({"time": "08:00"}, "Choose at least one day of the week."),
        ({"time": "08:00", "weekdays": ["7"]}, "Choose days of the week from the list."),
        ({"time": "08:00", "weekdays": ["monday"]}, "Choose days of the week from the list."),
    ],
)
def test_a_bad_time_or_day_is_sent_back_with_a_message_next_to_it(signed_in, patient, data, message):
    response = signed_in.post(reverse("reminders:time_add"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Nothing was saved" in page
    assert 'aria-invalid="true"' in page or 'id="id_weekdays-error"' in page
    assert not ReminderTime.objects.exists()


def test_a_duplicate_time_is_refused_next_to_the_time_field(signed_in, patient):
    ReminderTimeFactory(user=patient, time=datetime.time(8))
    response = signed_in.post(reverse("reminders:time_add"), {"time": "08:00", "weekdays": ["1"]})
    assert response.status_code == 400
    assert 'id="id_time-error">You already have a reminder at 08:00.' in response.content.decode()


def test_removing_another_patients_time_from_the_page_is_404(signed_in, patient):
    theirs = ReminderTimeFactory()
    response = signed_in.post(reverse("reminders:time_remove", args=[theirs.public_id]))
    assert response.status_code == 404 and ReminderTime.objects.filter(pk=theirs.pk).exists()
    mine = ReminderTimeFactory(user=patient)
    assert signed_in.post(reverse("reminders:time_remove", args=[mine.public_id])).status_code == 302
    assert not ReminderTime.objects.filter(pk=mine.pk).exists()
    assert signed_in.post(reverse("reminders:time_remove", args=[uuid.uuid4()])).status_code == 404


def test_saving_choices_from_the_page(signed_in, patient):
    response = signed_in.post(
        reverse("reminders:settings_save"),
        settings_post(email=None, nudge_on=None, quiet_start="22:30", quiet_end="06:30"),
    )
    assert response.status_code == 302
    row = ReminderSettings.objects.get(user=patient)
    assert (row.email, row.nudge_on, row.quiet_start) == (False, False, datetime.time(22, 30))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nudge_time": "20:61"}, "Evening nudge at: give a time as hours and minutes"),
        ({"nudge_time": ""}, "Evening nudge at: give a time, such as 08:00."),
        ({"quiet_start": "22:00"}, "Give both ends of the quiet hours"),
        ({"quiet_end": "07:00"}, "Give both ends of the quiet hours"),
        ({"quiet_start": "22:00", "quiet_end": "22:00"}, "must end at a different time"),
        ({"in_app": None, "email": None}, "Choose at least one way to reach you"),
    ],
)
def test_bad_choices_are_sent_back_with_a_message_and_nothing_saved(signed_in, patient, data, message):
    ReminderSettingsFactory(user=patient)
    response = signed_in.post(reverse("reminders:settings_save"), settings_post(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    row = ReminderSettings.objects.get(user=patient)
    assert (row.nudge_time, row.quiet_start, row.in_app) == (datetime.time(20), None, True)


def test_text_messages_are_offered_only_when_the_clinic_has_them(signed_in, patient, settings):
    settings.SMS_ENABLED = False
    assert "Mobile number" not in signed_in.get(PAGE).content.decode()
    signed_in.post(reverse("reminders:settings_save"), settings_post(sms="on", sms_number="+447700900123"))
    assert ReminderSettings.objects.get(user=patient).sms is False
    settings.SMS_ENABLED = True
    assert "Mobile number" in signed_in.get(PAGE).content.decode()
    response = signed_in.post(reverse("reminders:settings_save"), settings_post(sms="on", sms_number=""))
    assert response.status_code == 400 and "Give your mobile number" in response.content.decode()
    response = signed_in.post(
        reverse("reminders:settings_save"), settings_post(sms="on", sms_number="+44 7700 900123")
    )
    assert response.status_code == 302
    assert ReminderSettings.objects.get(user=patient).sms_number == "+447700900123"
    response = signed_in.post(reverse("reminders:settings_save"), settings_post(sms="on", sms_number="12"))
    assert response.status_code == 400 and "international form" in response.content.decode()


def test_snooze_buttons_and_a_bad_choice(signed_in, patient):
    assert signed_in.post(reverse("reminders:snooze"), {"choice": "forever"}).status_code == 400
    assert signed_in.post(reverse("reminders:snooze"), {}).status_code == 400
    response = signed_in.post(reverse("reminders:snooze"), {"choice": "hour"}, follow=True)
    assert "Reminders are snoozed until" in response.content.decode()
    assert "End the snooze now" in response.content.decode()
    signed_in.post(reverse("reminders:snooze_cancel"))
    assert ReminderSettings.objects.get(user=patient).snoozed_until is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Choose the last day of the pause."),
        ("2026-13-01", "Choose the last day of the pause as a date."),
        ("2020-01-01", "Choose today or a later date."),
        ("2099-01-01", "up to six months"),
    ],
)
def test_a_bad_pause_date_is_sent_back(signed_in, patient, value, message):
    response = signed_in.post(reverse("reminders:pause"), {"paused_until": value})
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReminderSettings.objects.filter(user=patient, paused_until__isnull=False).exists()


def test_pausing_and_resuming_from_the_page(signed_in, patient):
    until = patient.local_today() + datetime.timedelta(days=3)
    response = signed_in.post(reverse("reminders:pause"), {"paused_until": until.isoformat()}, follow=True)
    assert "Turn reminders back on now" in response.content.decode()
    signed_in.post(reverse("reminders:resume"))
    assert ReminderSettings.objects.get(user=patient).paused_until is None


def test_making_a_new_calendar_link_from_the_page(signed_in, patient):
    old = ReminderSettingsFactory(user=patient).feed_token
    assert old in signed_in.get(PAGE).content.decode()
    signed_in.post(reverse("reminders:feed_renew"))
    page = signed_in.get(PAGE).content.decode()
    assert old not in page and ReminderSettings.objects.get(user=patient).feed_token in page


def test_the_page_answers_a_get_with_405_on_the_form_addresses(signed_in):
    for name in ("settings_save", "time_add", "snooze", "snooze_cancel", "pause", "resume", "feed_renew"):
        assert signed_in.get(reverse(f"reminders:{name}")).status_code == 405, name


# --- the bell -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [PatientFactory, ClinicianFactory])
def test_the_bell_shows_the_unread_count_to_every_signed_in_person(client, who):
    person = who()
    for title in ("One", "Two", "Three"):
        Notification.objects.create(user=person, title=title)
    Notification.objects.create(user=person, title="Old", read_at=NOW)
    client.force_login(person)
    page = client.get(reverse("accounts:details")).content.decode()
    assert "Notifications, 3 unread" in page and 'class="nav-bell-count" aria-hidden="true">3<' in page


def test_the_bell_says_none_unread_when_the_tables_are_empty(client, patient):
    client.force_login(patient)
    page = client.get(reverse("accounts:details")).content.decode()
    assert "Notifications, none unread" in page and "nav-bell-count" not in page


def test_the_bell_adds_one_query_to_a_page(client, patient):
    Notification.objects.create(user=patient, title="One")
    client.force_login(patient)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("accounts:details")).status_code == 200
    assert sum("reminders_notification" in query["sql"] for query in queries.captured_queries) == 1


def test_visitors_who_are_not_signed_in_see_no_bell(client):
    assert "nav-bell" not in client.get(reverse("accounts:login")).content.decode()


def test_the_list_shows_notifications_with_links_and_a_bounded_number_of_queries(
    client, patient, django_assert_max_num_queries
):
    for n in range(25):
        Notification.objects.create(user=patient, title=f"Reminder {n}", url="/rehab/today/")
    Notification.objects.create(user=PatientFactory(), title="Not mine")
    client.force_login(patient)
    with django_assert_max_num_queries(8):
        page = client.get(LIST).content.decode()
    assert "Reminder 24" in page and "Not mine" not in page and "Page 1 of 2" in page
    assert client.get(LIST, {"page": "2"}).status_code == 200
    assert client.get(LIST, {"page": "abc"}).status_code == 200


def test_opening_a_notification_marks_it_read_and_goes_to_the_page_that_acts_on_it(client, patient):
    notification = Notification.objects.create(user=patient, title="Time", url="/rehab/today/")
    client.force_login(patient)
    response = client.get(reverse("reminders:notification_open", args=[notification.public_id]))
    assert response.status_code == 302 and response["Location"] == "/rehab/today/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_a_notification_never_sends_anyone_off_the_portal(client, patient, url):
    notification = Notification.objects.create(user=patient, title="Odd", url=url)
    client.force_login(patient)
    response = client.get(reverse("reminders:notification_open", args=[notification.public_id]))
    assert response["Location"] == LIST


def test_mark_read_and_mark_all_from_the_list(client, patient):
    first, second = (Notification.objects.create(user=patient, title=t) for t in ("A", "B"))
    theirs = Notification.objects.create(user=PatientFactory(), title="C")
    client.force_login(patient)
    assert client.post(reverse("reminders:notification_read", args=[theirs.public_id])).status_code == 404
    assert client.post(reverse("reminders:notification_read", args=[first.public_id])).status_code == 302
    assert "Notifications, 1 unread" in client.get(LIST).content.decode()
    client.post(reverse("reminders:notifications_read_all"))
    assert not Notification.objects.filter(user=patient, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
