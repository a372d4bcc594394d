"""The private calendar feed: it parses back with `icalendar`, and the occurrences a calendar app would
expand from it (`recurring_ical_events`) over eight weeks are exactly the reminder schedule's own, computed
here from the ReminderTime rows in the patient's zone, across daylight-saving changes too."""

import datetime
import zoneinfo

import icalendar
import pytest
import recurring_ical_events
from django.urls import reverse

from reminders.models import ReminderTime
from tests.factories import PatientFactory, ReminderSettingsFactory, ReminderTimeFactory

pytestmark = pytest.mark.django_db
EIGHT_WEEKS = datetime.timedelta(weeks=8)


def exists(local: datetime.datetime) -> bool:
    return local.astimezone(datetime.UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(
        tzinfo=None
    )


def schedule_of(user, start: datetime.datetime, end: datetime.datetime) -> list[datetime.datetime]:
    """The schedule's own occurrences in [start, end): each reminder's wall time on each of its weekdays, in
    the user's zone, from the local day the reminder was made; a wall time the clocks skip fires at the first
    minute after the gap, a repeated one at the first of the two."""
    zone = user.zone
    found = []
    for reminder in ReminderTime.objects.filter(user=user):
        day = max(start.astimezone(zone).date(), reminder.created_at.astimezone(zone).date())
        while day <= end.astimezone(zone).date():
            if day.weekday() in reminder.weekdays:
                at = datetime.datetime.combine(day, reminder.time, tzinfo=zone)
                while not exists(at):
                    at = (at + datetime.timedelta(minutes=1)).replace(fold=0)
                if start <= at < end:
                    found.append(at.astimezone(datetime.UTC))
            day += datetime.timedelta(days=1)
    return sorted(found)


def feed_of(client, user) -> icalendar.Calendar:
    token = ReminderSettingsFactory(user=user).feed_token
    response = client.get(reverse("reminders:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def expanded(calendar: icalendar.Calendar, start, end) -> list[datetime.datetime]:
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted(event.start.astimezone(datetime.UTC) for event in events)


def patient_with_times(zone: str, made: datetime.datetime):
    patient = PatientFactory(time_zone=zone)
    ReminderTimeFactory(
        user=patient, time=datetime.time(8, 0), weekdays=[0, 1, 2, 3, 4, 5, 6], created_at=made
    )
    ReminderTimeFactory(user=patient, time=datetime.time(18, 30), weekdays=[0, 2, 4], created_at=made)
    ReminderTimeFactory(user=patient, time=datetime.time(1, 30), weekdays=[6], created_at=made)
    return patient


@pytest.mark.parametrize(
    ("zone", "start"),
    [
        ("Europe/London", datetime.datetime(2026, 3, 9, tzinfo=datetime.UTC)),  # clocks forward 29 March
        ("Europe/London", datetime.datetime(2026, 10, 5, tzinfo=datetime.UTC)),  # back 25 October
        ("America/New_York", datetime.datetime(2026, 10, 12, tzinfo=datetime.UTC)),  # back 1 November
        ("Australia/Sydney", datetime.datetime(2026, 9, 14, tzinfo=datetime.UTC)),  # forward 4 October
    ],
)
def test_eight_weeks_of_the_feed_are_the_schedules_own_occurrences(client, zone, start):
    patient = patient_with_times(zone, made=start - datetime.timedelta(days=30))
    end = start + EIGHT_WEEKS
    calendar = feed_of(client, patient)
    from_feed = expanded(calendar, start, end)
    assert from_feed == schedule_of(patient, start, end)
    assert len(from_feed) == 8 * (7 + 3 + 1)
    local_times = {moment.astimezone(zoneinfo.ZoneInfo(zone)).time() for moment in from_feed}
    assert {datetime.time(8), datetime.time(18, 30), datetime.time(1, 30)} <= local_times


def test_a_reminder_in_the_skipped_hour_shows_when_it_really_fires(client):
    patient = patient_with_times("Europe/London", made=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    start = datetime.datetime(2026, 3, 28, 12, tzinfo=datetime.UTC)
    from_feed = expanded(feed_of(client, patient), start, start + datetime.timedelta(days=1))
    # 01:30 does not exist in London on 29 March 2026; the reminder fires at 02:00 BST (01:00 UTC).
    assert datetime.datetime(2026, 3, 29, 1, 0, tzinfo=datetime.UTC) in from_feed
    assert datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC) not in from_feed


def test_the_feed_starts_on_the_day_a_reminder_was_made(client):
    made = datetime.datetime(2026, 11, 4, 12, tzinfo=datetime.UTC)  # a Wednesday
    patient = patient_with_times("Europe/London", made=made)
    start = datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC)
    from_feed = expanded(feed_of(client, patient), start, start + EIGHT_WEEKS)
    assert from_feed == schedule_of(patient, start, start + EIGHT_WEEKS)
    assert from_feed[0] == datetime.datetime(2026, 11, 4, 8, tzinfo=datetime.UTC)


def test_the_feed_has_recurring_events_in_the_patients_zone_with_its_timezone(client):
    patient = patient_with_times("America/New_York", made=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    calendar = feed_of(client, patient)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    for event in events:
        assert str(event["DTSTART"].params["TZID"]) == "America/New_York"
        assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        assert event["SUMMARY"] == "Exercise time"
    assert {tuple(event["RRULE"]["BYDAY"]) for event in events} == {
        ("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
        ("MO", "WE", "FR"),
        ("SU",),
    }
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_the_feed_names_no_condition_or_diagnosis(client):
    from rehab.models import PlanTemplate
    from rehab.services import plans
    from tests.factories import ClinicianFactory, ConditionFactory

    patient = PatientFactory()
    plans.library_load()
    condition = ConditionFactory(slug="hamstring-tendinopathy", name="Proximal hamstring tendinopathy")
    plans.plan_assign(
        patient=patient,
        template=PlanTemplate.objects.get(stage=1),
        by=ClinicianFactory(),
        condition=condition,
        start_date=datetime.date(2026, 11, 2),
    )
    ReminderTimeFactory(user=patient)
    text = feed_of(client, patient).to_ical().decode().lower()
    for word in ("hamstring", "tendinopathy", "tendon", condition.name.lower(), patient.last_name.lower()):
        assert word not in text


def test_an_empty_schedule_is_a_valid_empty_calendar(client):
    calendar = feed_of(client, PatientFactory())
    assert list(calendar.walk("VEVENT")) == []


@pytest.mark.parametrize("token", ["no-such-token", "x" * 65, "a.b"])
def test_an_unknown_token_is_404(client, token):
    ReminderSettingsFactory()
    assert client.get(reverse("reminders:feed", args=[token])).status_code == 404


def test_a_deactivated_account_has_no_feed(client):
    patient = PatientFactory(is_active=False)
    token = ReminderSettingsFactory(user=patient).feed_token
    assert client.get(reverse("reminders:feed", args=[token])).status_code == 404


def test_the_feed_is_kept_out_of_shared_caches_and_search_engines(client):
    token = ReminderSettingsFactory().feed_token
    response = client.get(reverse("reminders:feed", args=[token]))
    assert response["Cache-Control"].startswith("private")
    assert "noindex" in response["X-Robots-Tag"]
    assert client.post(reverse("reminders:feed", args=[token])).status_code == 405
