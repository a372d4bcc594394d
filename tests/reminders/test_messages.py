"""What each reminder says: the exercise reminder follows the plan of the day at the reminder's local time,
no message names a condition, clinicians' email says nothing of whose alerts, and links are absolute (https
in production, refused at start-up otherwise)."""

import datetime
import re

import pytest
from django.urls import resolve

from conditions import red_flags
from conditions.models import ScreenSource
from conditions.services import red_flag_screen_record
from portal.env import SettingError, env_base_url
from rehab.models import Exercise
from rehab.services import daily, plans
from reminders.messages import message_for, messages_for, without_condition_words
from reminders.models import Channel, ReminderKind
from tests.factories import (
    AlertFactory,
    CareTeamMembershipFactory,
    ClinicianFactory,
    ConditionFactory,
    DeliveryFactory,
    ExerciseFactory,
    OutcomeMeasureFactory,
    PatientFactory,
    PlanTemplateFactory,
    PlanTemplateItemFactory,
    SessionLogFactory,
)
from tests.portal.test_settings import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"
# Tuesday 10 November 2026, 15:00 in New York (UTC-5): the morning session is due there, while in UTC it is
# already evening. A message that read the time in UTC would list the evening session.
AFTERNOON_IN_NEW_YORK = datetime.datetime(2026, 11, 10, 20, 0, tzinfo=datetime.UTC)
EVENING_IN_NEW_YORK = datetime.datetime(2026, 11, 10, 23, 30, tzinfo=datetime.UTC)
CONDITION_WORDS = re.compile(r"hamstring|tendin|tendon", re.IGNORECASE)
PATIENT_KINDS = [kind for kind in ReminderKind if kind not in (ReminderKind.ALERT, ReminderKind.ALERT_DIGEST)]


@pytest.fixture
def patient(db):
    return PatientFactory(first_name="Robin", last_name="Quill", time_zone=NEW_YORK)


@pytest.fixture
def clinician(db):
    return ClinicianFactory(first_name="Priya", last_name="Shah")


@pytest.fixture
def plan(patient, clinician):
    condition = ConditionFactory(slug="hamstring-tendinopathy", name="Proximal hamstring tendinopathy")
    return assign_two_sessions(patient, clinician, condition)


def assign_two_sessions(patient, clinician, condition):
    """Two sessions a day: the curl in the morning only, the bridge hold (isometric, so the flare-up set)
    morning and evening."""
    template = PlanTemplateFactory(stage=1)
    PlanTemplateItemFactory(
        template=template, exercise=ExerciseFactory(name="Nordic hamstring curl"), sets=3, reps=6,
        times_per_day=1,
    )  # fmt: skip
    PlanTemplateItemFactory(
        template=template, exercise=ExerciseFactory(name="Bridge hold", is_isometric=True), sets=4,
        reps=None, hold_seconds=30, times_per_day=2,
    )  # fmt: skip
    return plans.plan_assign(
        patient=patient,
        template=template,
        by=clinician,
        condition=condition,
        start_date=datetime.date(2026, 11, 2),
        now=datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC),
    )


def exercise_reminder(patient, occurrence, channel=Channel.EMAIL):
    return DeliveryFactory(
        recipient=patient, kind=ReminderKind.EXERCISE, occurrence=occurrence, channel=channel
    )


def all_text(message) -> str:
    return "\n".join([message.subject, message.text, message.html])


def test_the_exercise_reminder_lists_the_session_due_at_the_patients_own_local_time(plan, patient):
    message = message_for(exercise_reminder(patient, AFTERNOON_IN_NEW_YORK))

    assert message.subject == "Time for this morning's exercises"
    assert "Nordic curl: 3 × 6" in message.text
    assert "Bridge hold: 4 × 30 s hold" in message.text
    assert "2 exercises" in message.text
    assert message.path == "/rehab/today/"


def test_in_the_evening_only_the_evening_exercises_are_listed_and_an_unlogged_morning_is_mentioned(
    plan, patient
):
    message = message_for(exercise_reminder(patient, EVENING_IN_NEW_YORK, Channel.IN_APP))

    assert message.subject == "Time for this evening's exercises"
    assert "Bridge hold: 4 × 30 s hold" in message.text
    assert "Nordic" not in message.text
    assert "morning session is not logged yet" in message.text


def test_a_logged_morning_is_not_mentioned_in_the_evening_reminder(plan, patient):
    SessionLogFactory(plan=plan, date=datetime.date(2026, 11, 10), slot=0, slot_name="Morning")

    message = message_for(exercise_reminder(patient, EVENING_IN_NEW_YORK, Channel.IN_APP))

    assert message.subject == "Time for this evening's exercises"
    assert "not logged" not in message.text


def test_during_a_flare_up_the_reminder_lists_only_the_flare_up_set(plan, patient):
    daily.flare_up_start(plan=plan, by=patient, now=AFTERNOON_IN_NEW_YORK - datetime.timedelta(days=1))

    message = message_for(exercise_reminder(patient, AFTERNOON_IN_NEW_YORK))

    assert "Bridge hold: 4 × 30 s hold" in message.text
    assert "Nordic" not in message.text
    assert "flare-up" in message.text


def test_while_the_plan_is_on_hold_the_reminder_names_no_exercise(plan, patient):
    answers = dict.fromkeys(red_flags.RED_FLAG_CODES, False) | {red_flags.RED_FLAG_CODES[0]: True}
    red_flag_screen_record(patient=patient, answers=answers, source=ScreenSource.SELF_CHECK)

    message = message_for(exercise_reminder(patient, AFTERNOON_IN_NEW_YORK))

    assert "exercises" not in message.subject
    assert "Nordic" not in all_text(message) and "Bridge" not in all_text(message)
    assert message.path == "/rehab/today/"


@pytest.mark.parametrize("channel", Channel.values)
@pytest.mark.parametrize("kind", ReminderKind.values)
def test_every_kind_on_every_channel_says_something_and_points_to_a_page_that_acts_on_it(
    plan, patient, clinician, kind, channel
):
    recipient = clinician if kind in (ReminderKind.ALERT, ReminderKind.ALERT_DIGEST) else patient
    alert = AlertFactory(patient=patient)
    source = (
        f"alert:{alert.public_id}:{recipient.pk}" if kind == ReminderKind.ALERT else f"test:{kind}:{channel}"
    )
    delivery = DeliveryFactory(
        recipient=recipient, kind=kind, channel=channel, source=source, occurrence=AFTERNOON_IN_NEW_YORK
    )

    message = message_for(delivery)

    assert message.subject and message.text
    assert resolve(message.path)
    assert bool(message.html) == (channel == Channel.EMAIL)
    assert not CONDITION_WORDS.search(all_text(message)), all_text(message)


def test_a_batch_gets_the_same_messages_as_one_by_one_in_a_fixed_number_of_queries(
    plan, patient, clinician, django_assert_max_num_queries
):
    logged_morning, flaring, held, without_plan = PatientFactory.create_batch(4, time_zone=NEW_YORK)
    SessionLogFactory(
        plan=assign_two_sessions(logged_morning, clinician, plan.condition),
        date=datetime.date(2026, 11, 10),
        slot=0,
    )
    daily.flare_up_start(
        plan=assign_two_sessions(flaring, clinician, plan.condition),
        by=flaring,
        now=AFTERNOON_IN_NEW_YORK - datetime.timedelta(days=1),
    )
    assign_two_sessions(held, clinician, plan.condition)
    answers = dict.fromkeys(red_flags.RED_FLAG_CODES, False) | {red_flags.RED_FLAG_CODES[0]: True}
    red_flag_screen_record(patient=held, answers=answers, source=ScreenSource.SELF_CHECK)
    # Email is left out: its signed links carry the second they were made.
    exercise = [
        exercise_reminder(someone, moment, channel)
        for someone in (patient, logged_morning, flaring, held, without_plan)
        for moment in (AFTERNOON_IN_NEW_YORK, EVENING_IN_NEW_YORK)
        for channel in (Channel.IN_APP, Channel.SMS)
    ]
    others = [
        DeliveryFactory(
            recipient=patient, kind=kind, channel=Channel.IN_APP, occurrence=AFTERNOON_IN_NEW_YORK
        )
        for kind in PATIENT_KINDS
        if kind != ReminderKind.EXERCISE
    ]
    batch = exercise + others

    with django_assert_max_num_queries(5):  # the plans and their prescriptions, holds, flare-ups, sessions
        batched_exercise = messages_for(exercise)
    batched = messages_for(batch)

    assert batched_exercise == {delivery.pk: message_for(delivery) for delivery in exercise}
    assert batched == {delivery.pk: message_for(delivery) for delivery in batch}
    assert len({message.text for message in batched_exercise.values()}) > 5  # the states above differ


def test_exercise_names_lose_condition_words_and_every_shipped_name_reads_clean():
    plans.library_load()

    assert without_condition_words("Nordic hamstring curl") == "Nordic curl"
    assert without_condition_words("Bent-knee hamstring stretch (clinician's choice)") == (
        "Bent-knee stretch (clinician's choice)"
    )
    for name in Exercise.objects.values_list("name", flat=True):
        assert not CONDITION_WORDS.search(without_condition_words(name)), name


def test_a_clinicians_email_about_an_alert_names_no_patient_but_the_bell_does(patient, clinician):
    CareTeamMembershipFactory(patient=patient, clinician=clinician, role="lead")
    alert = AlertFactory(patient=patient, trigger="Pain 8/10 during the session.")

    def message(channel):
        return message_for(
            DeliveryFactory(
                recipient=clinician,
                kind=ReminderKind.ALERT,
                channel=channel,
                source=f"alert:{alert.public_id}",
            )
        )

    email, in_app = message(Channel.EMAIL), message(Channel.IN_APP)

    for secret in ("Robin", "Quill", "Pain", "8/10"):
        assert secret not in all_text(email)
    assert "Robin Quill" in in_app.text and "Pain over threshold" in in_app.text
    assert email.path == in_app.path == "/care/alerts/"


def test_the_digest_counts_the_alerts_of_the_clinicians_patients_since_the_previous_digest(
    patient, clinician
):
    CareTeamMembershipFactory(patient=patient, clinician=clinician, role="lead")
    due = datetime.datetime(2026, 11, 10, 15, 0, tzinfo=datetime.UTC)
    previous = due - datetime.timedelta(hours=1)
    DeliveryFactory(recipient=clinician, kind=ReminderKind.ALERT_DIGEST, channel="email", occurrence=previous)
    for minutes in (5, 30, 59):
        AlertFactory(patient=patient, raised_at=due - datetime.timedelta(minutes=minutes))
    AlertFactory(patient=patient, raised_at=previous - datetime.timedelta(minutes=1))  # in the previous one
    AlertFactory(raised_at=due - datetime.timedelta(minutes=10))  # another team's patient

    message = message_for(
        DeliveryFactory(recipient=clinician, kind=ReminderKind.ALERT_DIGEST, channel="email", occurrence=due)
    )

    assert message.subject == "3 new alerts for your patients"
    assert "Robin" not in all_text(message)


def test_one_questionnaire_due_links_to_it_without_naming_it(plan, patient):
    for kind in ("psfs", "pain_rating"):
        OutcomeMeasureFactory(patient=patient, kind=kind, score=5, taken_on=datetime.date(2026, 11, 10))

    message = message_for(
        DeliveryFactory(
            recipient=patient,
            kind=ReminderKind.QUESTIONNAIRE,
            channel="email",
            occurrence=AFTERNOON_IN_NEW_YORK,
        )
    )

    assert message.path == "/rehab/outcomes/"  # the list: the form's own address names the questionnaire
    assert message.subject == "A short questionnaire is ready"
    assert "visa" not in all_text(message).lower()


def test_the_plan_changed_email_says_nothing_of_the_change(plan, patient):
    message = message_for(DeliveryFactory(recipient=patient, kind=ReminderKind.PLAN_CHANGED, channel="email"))

    assert message.subject == "Your exercise plan was updated"
    assert "Bridge" not in all_text(message) and "Nordic" not in all_text(message)
    assert message.path == "/rehab/my-plan/"


def test_every_link_is_absolute_on_the_portals_https_address(plan, patient, settings):
    settings.DEBUG = False
    settings.PORTAL_BASE_URL = "https://portal.example.org"

    for kind in PATIENT_KINDS:
        message = message_for(DeliveryFactory(recipient=patient, kind=kind, channel="email"))
        hrefs = re.findall(r'href="([^"]+)"', message.html)
        text_links = re.findall(r"\w+://\S+", message.text)
        assert len(hrefs) >= 5 and len(text_links) == len(hrefs)  # the action, 3 snoozes, stop, settings
        for link in hrefs + text_links:
            assert link.startswith("https://portal.example.org/"), link


def test_production_refuses_a_plain_http_portal_address_at_start_up():
    result = run_manage("check", **PRODUCTION_ENV, PORTAL_BASE_URL="http://portal.example.org")

    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: PORTAL_BASE_URL: must start with https:// when DEBUG is off, "
        "got 'http://portal.example.org'"
    )


def test_production_links_default_to_https_on_the_first_allowed_host():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.PORTAL_BASE_URL)", **PRODUCTION_ENV
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "https://portal.example.org"


@pytest.mark.parametrize(
    "value",
    ["portal.example.org", "https://", "https://portal.example.org/clinic", "https://*.example.org",
     "https://.example.org", "ftp://portal.example.org", "https://portal.example.org:port"],
)  # fmt: skip
def test_a_portal_address_that_is_not_a_plain_site_address_is_refused(monkeypatch, value):
    monkeypatch.setenv("PORTAL_BASE_URL", value)

    with pytest.raises(SettingError, match="^PORTAL_BASE_URL: "):
        env_base_url("PORTAL_BASE_URL", "", require_https=False)


def test_a_portal_address_loses_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portal.example.org:8443/")

    assert env_base_url("PORTAL_BASE_URL", "", require_https=True) == "https://portal.example.org:8443"
