"""The demo's reminders: settings for everyone, a reminder a few minutes after start-up, a history for the
progress page, and the physio's suggestion."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from reminders.demo import DEMO_SOON_ID, SOON
from reminders.models import Delivery, ReminderSettings, ReminderTime, TimeSuggestion
from reminders.services.clinicians import reminder_effect

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_patient_gets_a_reminder_a_few_minutes_after_start_up(seeded):
    patient = User.objects.get(email="patient@demo.test")
    soon = ReminderTime.objects.get(public_id=DEMO_SOON_ID)
    assert soon.user == patient and soon.weekdays == [0, 1, 2, 3, 4, 5, 6]
    local_now = timezone.now().astimezone(patient.zone)
    due = datetime.datetime.combine(local_now.date(), soon.time, tzinfo=patient.zone)
    if due < local_now - datetime.timedelta(minutes=1):  # the few minutes cross midnight
        due += datetime.timedelta(days=1)
    assert datetime.timedelta(0) < due - local_now <= SOON + datetime.timedelta(minutes=2)
    assert f"is due at {soon.time:%H:%M}" in seeded


def test_every_demo_person_has_reminder_settings_and_the_patient_morning_and_evening_times(seeded):
    assert ReminderSettings.objects.count() == User.objects.exclude(role="admin").count()
    times = ReminderTime.objects.filter(user__email="patient@demo.test").exclude(public_id=DEMO_SOON_ID)
    assert sorted(f"{row.time:%H:%M}" for row in times) == ["08:00", "18:00"]


def test_the_demo_history_shows_evening_reminders_followed_and_a_suggestion_waits(seeded):
    patient = User.objects.get(email="patient@demo.test")
    effect = reminder_effect(patient=patient, now=timezone.now())
    assert effect.sent > 40 and 0 < effect.followed < effect.sent
    assert TimeSuggestion.objects.get(patient=patient).answered_at is None


def test_seed_demo_again_moves_the_soon_reminder_and_adds_nothing_else(seeded, settings):
    counts = [model.objects.count() for model in (ReminderSettings, ReminderTime, Delivery, TimeSuggestion)]
    call_command("seed_demo", stdout=StringIO())
    assert [
        model.objects.count() for model in (ReminderSettings, ReminderTime, Delivery, TimeSuggestion)
    ] == (counts)
