"""The demo's reminders, for `manage.py seed_demo` (run by `make run` at every start).

- Reminder settings for the demo patient and every demo clinician (in the portal and by email), made by the
  pipeline's own `reminder_defaults_ensure`, and the patient's exercise reminders at 08:00 and 18:00.
- One more reminder a few minutes after start-up (`SOON`), so it can be seen arriving in the console and in
  the bell. It has a fixed public id: each start moves it to the new time instead of adding another. A
  snooze or a pause left from an earlier demo would hold it back, so both are lifted.
- Four weeks of exercise reminders already sent at 08:00 and 18:00 (only the first time), so the progress
  page's "reminders followed by a session" has something to show: the demo sessions are logged at 18:05,
  so the evening reminders are followed and the morning ones are not.
- The physio's suggestion to move the reminders to the evening, waiting for the patient's answer.
"""

import datetime
import uuid

from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST
from accounts.demo import DEMO_CLINICIANS, DEMO_PATIENT
from accounts.models import User
from reminders.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    ReminderKind,
    ReminderSettings,
    ReminderTime,
    TimeSuggestion,
)
from reminders.services.clinicians import time_suggestion_create
from reminders.services.pipeline import reminder_defaults_ensure

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
DEMO_TIMES = (datetime.time(8, 0), datetime.time(18, 0))
SOON = datetime.timedelta(minutes=3)
DEMO_SOON_ID = uuid.UUID("5e1f0d3a-7c2b-4d4e-9a51-0d3e00000011")  # the reminder that moves at each start
HISTORY_DAYS = 28
SUGGESTED_TIMES = [
    {"time": "18:00", "weekdays": EVERY_DAY},
    {"time": "12:30", "weekdays": [5, 6]},
]
SUGGESTION_NOTE = (
    "You log your sessions in the evening, and the morning reminder rarely helps: how about one at 18:00, "
    "and a lunchtime one at weekends?"
)


def seed_demo_reminders(*, now: datetime.datetime | None = None) -> str:
    """Create what is missing of the demo's reminders and move the "soon" reminder to a few minutes from
    `now`. Returns a line for the start-up banner saying when it arrives."""
    now = now or timezone.now()
    patient = User.objects.get(email__iexact=DEMO_PATIENT["email"])
    for email, *_ in DEMO_CLINICIANS:
        reminder_defaults_ensure(user=User.objects.get(email__iexact=email))
    own_times = ReminderTime.objects.filter(user=patient).exclude(public_id=DEMO_SOON_ID)
    if not ReminderSettings.objects.filter(user=patient).exists() and not own_times.exists():
        for at in DEMO_TIMES:  # before the defaults, which would follow the plan's one daily session
            ReminderTime.objects.create(user=patient, time=at, weekdays=EVERY_DAY, created_at=now)
    reminder_defaults_ensure(user=patient)
    ReminderSettings.objects.filter(user=patient).update(snoozed_until=None, paused_until=None)
    times = {row.time: row for row in own_times}
    _history(patient, list(times.values()), now=now)
    if not TimeSuggestion.objects.filter(patient=patient).exists():
        time_suggestion_create(
            patient=patient,
            by=User.objects.get(email__iexact="physio@demo.test"),
            times=SUGGESTED_TIMES,
            note=SUGGESTION_NOTE,
            audit=WITHOUT_REQUEST,
            now=now,
        )
    soon = _soon_reminder(patient, set(times), now=now)
    return (
        f"A reminder for {patient.email} is due at {soon:%H:%M} ({patient.time_zone} time): "
        "watch the worker's console and the bell."
    )


def _soon_reminder(patient: User, taken: set[datetime.time], *, now: datetime.datetime) -> datetime.time:
    """Move the demo's own reminder to a whole minute a few minutes from now in the patient's zone, on a
    minute none of their other reminders has (one reminder per time of day)."""
    local = (now + SOON).astimezone(patient.zone).replace(second=0, microsecond=0)
    while local.time().replace(tzinfo=None) in taken:
        local += datetime.timedelta(minutes=1)
    at = local.time().replace(tzinfo=None)
    ReminderTime.objects.update_or_create(
        public_id=DEMO_SOON_ID,
        defaults={"user": patient, "time": at, "weekdays": EVERY_DAY, "created_at": now},
    )
    return at


def _history(patient: User, times: list[ReminderTime], *, now: datetime.datetime) -> None:
    """The exercise reminders of the last four weeks, as sent in the portal, made once."""
    if Delivery.objects.filter(recipient=patient, kind=ReminderKind.EXERCISE).exists():
        return
    today = now.astimezone(patient.zone).date()
    rows = []
    for days_ago in range(HISTORY_DAYS, 0, -1):
        day = today - datetime.timedelta(days=days_ago)
        for reminder in times:
            if day.weekday() not in reminder.weekdays:
                continue
            due = datetime.datetime.combine(day, reminder.time, tzinfo=patient.zone).astimezone(datetime.UTC)
            rows.append(
                Delivery(
                    recipient=patient,
                    kind=ReminderKind.EXERCISE,
                    source=f"time:{reminder.public_id}",
                    occurrence=due,
                    channel=Channel.IN_APP,
                    status=DeliveryStatus.SENT,
                    attempts=1,
                    created_at=due,
                    claimed_at=due,
                    sent_at=due,
                )
            )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
