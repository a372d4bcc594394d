"""The private calendar feed: a patient's exercise reminder times as recurring events, in their own time zone,
for a calendar app to subscribe to.

Each ReminderTime is one VEVENT repeating weekly on its days (RRULE FREQ=WEEKLY;BYDAY=...), its start a local
time with the zone's TZID and a VTIMEZONE generated from zoneinfo, so the calendar keeps it at the same wall
time across daylight-saving changes. On a spring-forward day a time inside the skipped hour does not exist;
RFC 5545 reads it with the offset from before the gap (01:30 becomes 02:30 BST), but the reminder fires at the
first minute after the gap (`occurrences.resolve`), so such a day gets an EXDATE for the RFC's reading and an
RDATE for the real one, and the calendar shows what the pipeline sends. A repeated time on a fall-back day is
the first of the two in both. The feed names no condition or diagnosis: anyone who sees the calendar
sees "Exercise time" and nothing more.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

import icalendar

from reminders.models import ReminderTime
from reminders.occurrences import resolve

PRODUCT_ID = "-//Rehab portal//Exercise reminders//EN"
EVENT_TITLE = "Exercise time"
EVENT_DESCRIPTION = "Time for the exercises in your rehab plan. Open the portal's Today page to see them."
EVENT_LENGTH = datetime.timedelta(minutes=20)
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UID_DOMAIN = "reminders.rehab-portal"
# VTIMEZONE rules are written out for this span; the zone's own rules are applied for any date in it.
ZONE_RULES_YEARS = 10
# Skipped wall times are corrected this far ahead; calendar apps fetch the feed again long before then.
GAPS_AHEAD = datetime.timedelta(days=400)


def first_day(reminder: ReminderTime, zone: zoneinfo.ZoneInfo) -> datetime.date:
    """The first day on or after the day the reminder was made that is one of its weekdays, so the event's
    start is itself an occurrence (RFC 5545 leaves a start off its own rule undefined)."""
    day = reminder.created_at.astimezone(zone).date()
    days = set(reminder.weekdays)
    while day.weekday() not in days:
        day += datetime.timedelta(days=1)
    return day


def _exists(local: datetime.datetime) -> bool:
    round_trip = local.astimezone(datetime.UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def skipped(
    reminder: ReminderTime, zone: zoneinfo.ZoneInfo, first: datetime.date, last: datetime.date
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """(the RFC's reading, when it really fires) for each of the reminder's days in [first, last] whose wall
    time the clocks skip."""
    found = []
    days = set(reminder.weekdays)
    day = first
    while day <= last:
        local = datetime.datetime.combine(day, reminder.time, tzinfo=zone)
        if day.weekday() in days and not _exists(local):
            found.append((local, resolve(day, reminder.time, zone).astimezone(zone)))
        day += datetime.timedelta(days=1)
    return found


def _event(reminder: ReminderTime, zone: zoneinfo.ZoneInfo, now: datetime.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{reminder.public_id}@{UID_DOMAIN}")
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("summary", EVENT_TITLE)
    event.add("description", EVENT_DESCRIPTION)
    first = first_day(reminder, zone)
    event.add("dtstart", datetime.datetime.combine(first, reminder.time, tzinfo=zone))
    event.add("duration", EVENT_LENGTH)
    event.add("rrule", {"freq": "weekly", "byday": [BYDAY[day] for day in sorted(reminder.weekdays)]})
    for as_read, fires in skipped(reminder, zone, first, (now + GAPS_AHEAD).astimezone(zone).date()):
        event.add("exdate", as_read)
        event.add("rdate", fires)
    event.add("transp", "TRANSPARENT")
    return event


def feed_calendar(
    *, times: Iterable[ReminderTime], zone: zoneinfo.ZoneInfo, now: datetime.datetime
) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Exercise reminders")
    calendar.add("x-wr-timezone", zone.key)
    for reminder in times:
        if reminder.weekdays:
            calendar.add_component(_event(reminder, zone, now))
    start = now.astimezone(zone).date().replace(month=1, day=1) - datetime.timedelta(days=366 * 2)
    calendar.add_missing_timezones(
        first_date=start, last_date=start.replace(year=start.year + ZONE_RULES_YEARS)
    )
    return calendar


def feed_bytes(*, times: Iterable[ReminderTime], zone: zoneinfo.ZoneInfo, now: datetime.datetime) -> bytes:
    return feed_calendar(times=times, zone=zone, now=now).to_ical()
