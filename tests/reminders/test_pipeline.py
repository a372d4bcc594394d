import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from careteam.models import Alert, AlertKind
from conditions.models import RedFlagScreen
from rehab.models import PlanRevision
from rehab.selectors import due_outcomes
from rehab.services import plans
from reminders.channels import PermanentSendError, TransientSendError
from reminders.models import Delivery, DeliveryStatus, Notification, ReminderSettings, ReminderTime
from reminders.services import pipeline
from tests.factories import (
    AlertFactory,
    CareTeamMembershipFactory,
    ClinicianFactory,
    ConditionFactory,
    DeliveryFactory,
    ExerciseFactory,
    MorningCheckInFactory,
    OutcomeMeasureFactory,
    PatientFactory,
    PlanTemplateFactory,
    PlanTemplateItemFactory,
    ReminderSettingsFactory,
    ReminderTimeFactory,
    SessionLogFactory,
)

UTC = datetime.UTC
# Monday 1 June 2026, 08:00:30 in London (BST, UTC+1).
JUST_AFTER_EIGHT = datetime.datetime(2026, 6, 1, 7, 0, 30, tzinfo=UTC)


@pytest.fixture
def londoner(patient):
    patient.time_zone = "Europe/London"
    patient.save(update_fields=["time_zone"])
    return patient


def assign_plan(patient, clinician, *, times_per_day: int = 1):
    template = PlanTemplateFactory(stage=1)
    PlanTemplateItemFactory(
        template=template, exercise=ExerciseFactory(is_isometric=True), times_per_day=times_per_day,
        sets=3, reps=None, hold_seconds=30,
    )  # fmt: skip
    return plans.plan_assign(
        patient=patient, template=template, by=clinician, condition=ConditionFactory(),
        start_date=datetime.date(2026, 5, 4), now=datetime.datetime(2026, 5, 1, 9, tzinfo=UTC),
    )  # fmt: skip


@pytest.fixture
def plan(londoner, clinician):
    return assign_plan(londoner, clinician)


@pytest.fixture
def eight_oclock(londoner, plan):
    ReminderSettingsFactory(user=londoner)
    return ReminderTimeFactory(user=londoner)


def rows_of(user, **filters):
    return list(Delivery.objects.filter(recipient=user, **filters).order_by("channel"))


# --- defaults ---------------------------------------------------------------------------------------------


def test_a_patient_with_a_twice_daily_plan_gets_reminders_at_eight_and_six_every_day(patient, clinician):
    assign_plan(patient, clinician, times_per_day=2)

    settings = pipeline.reminder_defaults_ensure(user=patient)

    assert (settings.in_app, settings.email, settings.sms) == (True, True, False)
    times = ReminderTime.objects.filter(user=patient)
    assert [(r.time, r.weekdays) for r in times] == [
        (datetime.time(8), [0, 1, 2, 3, 4, 5, 6]),
        (datetime.time(18), [0, 1, 2, 3, 4, 5, 6]),
    ]


def test_defaults_are_made_once_and_leave_the_patients_own_choices_alone(patient, clinician):
    assign_plan(patient, clinician)
    pipeline.reminder_defaults_ensure(user=patient)
    ReminderTime.objects.filter(user=patient).update(time=datetime.time(7, 15))

    pipeline.reminder_defaults_ensure(user=patient)

    assert [r.time for r in ReminderTime.objects.filter(user=patient)] == [datetime.time(7, 15)]


def test_a_patient_without_a_plan_gets_settings_but_no_times(patient):
    pipeline.reminder_defaults_ensure(user=patient)

    assert ReminderSettings.objects.filter(user=patient).exists()
    assert not ReminderTime.objects.filter(user=patient).exists()


def test_dispatch_gives_a_newly_assigned_patient_the_defaults(patient, clinician):
    assign_plan(patient, clinician)

    pipeline.dispatch_due(now=JUST_AFTER_EIGHT)

    assert ReminderTime.objects.filter(user=patient).count() == 1


# --- dispatch -----------------------------------------------------------------------------------------------


def test_a_due_time_makes_one_pending_delivery_per_channel_the_patient_has_on(eight_oclock, londoner):
    result = pipeline.dispatch_due(now=JUST_AFTER_EIGHT)

    rows = rows_of(londoner)
    assert [(r.channel, r.status, r.kind) for r in rows] == [
        ("email", "pending", "exercise"),
        ("in_app", "pending", "exercise"),
    ]
    assert {r.occurrence for r in rows} == {datetime.datetime(2026, 6, 1, 7, tzinfo=UTC)}
    assert {r.source for r in rows} == {f"time:{eight_oclock.public_id}"}
    assert result == pipeline.Dispatched(created=2, enqueued=2)


def test_overlapping_dispatches_insert_each_delivery_once(eight_oclock, londoner):
    for minute in range(10):
        pipeline.dispatch_due(now=JUST_AFTER_EIGHT + datetime.timedelta(minutes=minute))

    assert len(rows_of(londoner)) == 2


def test_a_missed_tick_is_caught_up_by_the_next_one(eight_oclock, londoner):
    pipeline.dispatch_due(now=JUST_AFTER_EIGHT + datetime.timedelta(minutes=7))

    assert len(rows_of(londoner)) == 2


def test_a_time_not_yet_due_makes_nothing(eight_oclock, londoner):
    pipeline.dispatch_due(now=JUST_AFTER_EIGHT - datetime.timedelta(minutes=1))

    assert rows_of(londoner) == []


def test_dispatching_through_the_fall_back_night_sends_the_repeated_time_once(londoner, plan):
    ReminderSettingsFactory(user=londoner, email=False)
    ReminderTimeFactory(user=londoner, time=datetime.time(1, 30))
    moment = datetime.datetime(2026, 10, 24, 22, tzinfo=UTC)  # 23:00 BST, the night the clocks go back
    while moment < datetime.datetime(2026, 10, 25, 4, tzinfo=UTC):
        pipeline.dispatch_due(now=moment)
        moment += datetime.timedelta(minutes=9)

    assert [r.occurrence for r in rows_of(londoner)] == [datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]


def _only_in_app(user, **changes):
    ReminderSettings.objects.filter(user=user).update(email=False, **changes)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"quiet_start": datetime.time(22), "quiet_end": datetime.time(8, 30)}, "quiet hours"),
        ({"snoozed_until": datetime.datetime(2026, 6, 1, 7, 30, tzinfo=UTC)}, "snoozed"),
        ({"paused_until": datetime.date(2026, 6, 1)}, "paused"),
        ({"exercise_on": False}, "kind switched off"),
        ({"in_app": False}, "channel switched off"),
    ],
)
def test_what_must_not_be_sent_is_logged_as_skipped_with_its_reason(eight_oclock, londoner, changes, reason):
    _only_in_app(londoner, **changes)

    pipeline.dispatch_due(now=JUST_AFTER_EIGHT)

    assert [(r.channel, r.status, r.skip_reason) for r in rows_of(londoner)] == [
        ("in_app", "skipped", reason)
    ]


def test_quiet_hours_that_end_before_the_time_let_it_through(eight_oclock, londoner):
    _only_in_app(londoner, quiet_start=datetime.time(22), quiet_end=datetime.time(8))

    pipeline.dispatch_due(now=JUST_AFTER_EIGHT)

    assert [r.status for r in rows_of(londoner)] == ["pending"]


def test_a_snooze_that_ended_lets_the_time_through(eight_oclock, londoner):
    _only_in_app(londoner, snoozed_until=datetime.datetime(2026, 6, 1, 6, 59, tzinfo=UTC))

    pipeline.dispatch_due(now=JUST_AFTER_EIGHT)

    assert [r.status for r in rows_of(londoner)] == ["pending"]


def test_no_exercise_reminder_while_red_flags_hold_the_plan(eight_oclock, londoner):
    _only_in_app(londoner)
    RedFlagScreen.objects.create(
        patient=londoner,
        source="weekly",
        answers={"night_pain": True},
        flags=["night_pain"],
        urgency="same_day",
    )

    pipeline.dispatch_due(now=JUST_AFTER_EIGHT)

    assert [(r.status, r.skip_reason) for r in rows_of(londoner)] == [("skipped", "plan on hold")]


def test_no_exercise_reminder_without_an_active_plan(londoner):
    ReminderSettingsFactory(user=londoner, email=False)
    ReminderTimeFactory(user=londoner)

    pipeline.dispatch_due(now=JUST_AFTER_EIGHT)

    assert [(r.status, r.skip_reason) for r in rows_of(londoner)] == [("skipped", "no active plan")]


def test_an_evening_nudge_when_nothing_was_logged_that_day(londoner, plan):
    ReminderSettingsFactory(user=londoner, email=False, nudge_time=datetime.time(20))

    pipeline.dispatch_due(now=datetime.datetime(2026, 6, 1, 19, 0, 30, tzinfo=UTC))

    assert [(r.kind, r.status) for r in rows_of(londoner)] == [("nudge", "pending")]


def test_no_nudge_once_a_session_was_logged(londoner, plan):
    ReminderSettingsFactory(user=londoner, email=False, nudge_time=datetime.time(20))
    SessionLogFactory(plan=plan, date=datetime.date(2026, 6, 1))

    pipeline.dispatch_due(now=datetime.datetime(2026, 6, 1, 19, 0, 30, tzinfo=UTC))

    assert rows_of(londoner) == []


def test_a_check_in_reminder_the_morning_after_a_sore_session(londoner, plan):
    ReminderSettingsFactory(user=londoner, email=False)
    SessionLogFactory(plan=plan, date=datetime.date(2026, 5, 31), pain_during=6, pain_after=5)

    pipeline.dispatch_due(now=datetime.datetime(2026, 6, 1, 8, 0, 30, tzinfo=UTC))  # 09:00 BST

    assert [(r.kind, r.status) for r in rows_of(londoner)] == [("check_in", "pending")]


def test_no_check_in_reminder_when_the_patient_already_checked_in(londoner, plan):
    ReminderSettingsFactory(user=londoner, email=False)
    SessionLogFactory(plan=plan, date=datetime.date(2026, 5, 31), pain_during=6, pain_after=5)
    MorningCheckInFactory(plan=plan, date=datetime.date(2026, 6, 1))

    pipeline.dispatch_due(now=datetime.datetime(2026, 6, 1, 8, 0, 30, tzinfo=UTC))

    assert rows_of(londoner) == []


@pytest.mark.parametrize(
    "day", [datetime.date(2026, 5, 4), datetime.date(2026, 5, 5), datetime.date(2026, 6, 1)]
)
def test_a_questionnaire_reminder_on_the_days_rehab_says_one_is_due(londoner, plan, day):
    ReminderSettingsFactory(user=londoner, email=False)
    ten_local = datetime.datetime.combine(day, datetime.time(10, 0, 30), tzinfo=londoner.zone)

    pipeline.dispatch_due(now=ten_local.astimezone(UTC))

    expected = [("questionnaire", "pending")] if due_outcomes(plan, day) else []
    assert [(r.kind, r.status) for r in rows_of(londoner)] == expected


def test_no_questionnaire_reminder_once_every_due_one_was_taken(londoner, plan):
    ReminderSettingsFactory(user=londoner, email=False)
    day = datetime.date(2026, 5, 4)
    due = due_outcomes(plan, day)
    assert due, "the start day should have questionnaires due"
    for measure in due:
        OutcomeMeasureFactory(patient=londoner, kind=measure.kind, taken_on=day, score=5)

    pipeline.dispatch_due(now=datetime.datetime(2026, 5, 4, 9, 0, 30, tzinfo=UTC))

    assert rows_of(londoner) == []


def test_a_clinicians_revision_tells_the_patient_their_plan_changed(londoner, plan, clinician):
    ReminderSettingsFactory(user=londoner, email=False)
    saved = datetime.datetime(2026, 6, 1, 12, tzinfo=UTC)
    PlanRevision.objects.create(
        plan=plan,
        number=2,
        author=clinician,
        reason="Progress",
        summary="More sets",
        snapshot={},
        created_at=saved,
    )

    pipeline.dispatch_due(now=saved + datetime.timedelta(seconds=30))

    assert [(r.kind, r.occurrence) for r in rows_of(londoner)] == [("plan_changed", saved)]


def test_a_new_alert_reaches_every_clinician_of_the_team_in_app(patient, clinician):
    CareTeamMembershipFactory(patient=patient, clinician=clinician, role="lead")
    raised = timezone.now().replace(second=0, microsecond=0)  # the team's membership began days ago
    AlertFactory(patient=patient, raised_at=raised)

    pipeline.dispatch_due(now=raised + datetime.timedelta(minutes=1))

    assert [(r.kind, r.channel) for r in rows_of(clinician)] == [("alert", "in_app")]
    assert rows_of(patient) == []


def test_deliveries_create_ignores_rows_already_there_and_says_which_it_inserted(patient):
    now = datetime.datetime(2026, 6, 1, 12, tzinfo=UTC)
    prefs = ReminderSettingsFactory(user=patient)

    def rows():
        return pipeline.delivery_rows(
            recipient=patient, prefs=prefs, kind="plan_changed", source="test:1", occurrence=now
        )

    first = pipeline.deliveries_create(rows(), now=now)
    again = pipeline.deliveries_create(rows(), now=now + datetime.timedelta(seconds=1))

    assert (first.created, again.created) == (2, 0)
    assert Delivery.objects.count() == 2


# --- sending ------------------------------------------------------------------------------------------------


@pytest.fixture
def due_in_app(eight_oclock, londoner):
    return DeliveryFactory(
        recipient=londoner, source=f"time:{eight_oclock.public_id}", occurrence=JUST_AFTER_EIGHT
    )


def test_sending_an_in_app_reminder_makes_one_notification_and_marks_it_sent(due_in_app, londoner):
    result = pipeline.delivery_send(delivery_id=due_in_app.pk, now=JUST_AFTER_EIGHT)

    due_in_app.refresh_from_db()
    assert result.outcome == "sent"
    assert (due_in_app.status, due_in_app.attempts, due_in_app.sent_at) == ("sent", 1, JUST_AFTER_EIGHT)
    assert Notification.objects.filter(user=londoner, delivery=due_in_app).count() == 1


def test_sending_twice_sends_once(due_in_app):
    pipeline.delivery_send(delivery_id=due_in_app.pk)
    second = pipeline.delivery_send(delivery_id=due_in_app.pk)

    due_in_app.refresh_from_db()
    assert second.outcome == "not pending"
    assert due_in_app.attempts == 1
    assert Notification.objects.count() == 1


def test_a_delivery_claimed_by_another_worker_is_left_to_it(due_in_app):
    Delivery.objects.filter(pk=due_in_app.pk).update(status=DeliveryStatus.SENDING)

    assert pipeline.delivery_send(delivery_id=due_in_app.pk).outcome == "not pending"
    assert Notification.objects.count() == 0


def test_a_batch_sends_each_pending_delivery_once_and_leaves_the_others(due_in_app, londoner):
    others = DeliveryFactory.create_batch(3, recipient=londoner, occurrence=JUST_AFTER_EIGHT)
    done = DeliveryFactory(recipient=londoner, status="sent", sent_at=JUST_AFTER_EIGHT)
    ids = [due_in_app.pk, *(d.pk for d in others), done.pk]

    first = pipeline.deliveries_send(delivery_ids=ids, now=JUST_AFTER_EIGHT)
    again = pipeline.deliveries_send(delivery_ids=ids, now=JUST_AFTER_EIGHT)

    assert [first[i].outcome for i in ids] == ["sent"] * 4 + ["not pending"]
    assert {r.outcome for r in again.values()} == {"not pending"}
    assert (
        Delivery.objects.filter(pk__in=ids[:4], status="sent", attempts=1, sent_at=JUST_AFTER_EIGHT).count()
        == 4
    )
    assert Notification.objects.count() == 4


def test_a_batch_of_in_app_reminders_makes_one_notification_each_with_its_message_and_a_repeat_none(
    clinician,
):
    from reminders.messages import message_for

    patients = [
        assign_plan(p, clinician).patient for p in PatientFactory.create_batch(3, time_zone="Europe/London")
    ]
    due = [DeliveryFactory(recipient=someone, occurrence=JUST_AFTER_EIGHT) for someone in patients]
    ids = [delivery.pk for delivery in due]

    first = pipeline.deliveries_send(delivery_ids=ids, now=JUST_AFTER_EIGHT)
    again = pipeline.deliveries_send(delivery_ids=ids, now=JUST_AFTER_EIGHT)

    assert [first[i].outcome for i in ids] == ["sent"] * 3
    assert [again[i].outcome for i in ids] == ["not pending"] * 3
    assert (
        Delivery.objects.filter(pk__in=ids, status="sent", attempts=1, sent_at=JUST_AFTER_EIGHT).count() == 3
    )
    for delivery in due:
        notification = Notification.objects.get(delivery=delivery)
        expected = message_for(Delivery.objects.select_related("recipient").get(pk=delivery.pk))
        assert notification.user == delivery.recipient
        assert (notification.title, notification.body, notification.url) == (
            expected.subject,
            expected.text,
            expected.path,
        )
        assert "Time for" in notification.title
    assert Notification.objects.count() == 3


def test_a_batch_sent_again_after_its_worker_died_makes_no_second_notification(due_in_app):
    pipeline.deliveries_send(delivery_ids=[due_in_app.pk], now=JUST_AFTER_EIGHT)
    # As the sweep leaves a row whose worker died after the Notification was made, before the mark.
    Delivery.objects.filter(pk=due_in_app.pk).update(status=DeliveryStatus.PENDING)

    result = pipeline.deliveries_send(delivery_ids=[due_in_app.pk], now=JUST_AFTER_EIGHT)

    assert result[due_in_app.pk].outcome == "sent"
    assert Delivery.objects.get(pk=due_in_app.pk).status == "sent"
    assert Notification.objects.filter(delivery=due_in_app).count() == 1


def test_when_sending_in_app_together_fails_each_is_sent_or_retried_on_its_own(
    due_in_app, londoner, monkeypatch
):
    from reminders import messages

    def broken(deliveries):
        raise RuntimeError("the batch went wrong")

    monkeypatch.setattr(messages, "messages_for", broken)
    other = DeliveryFactory(recipient=londoner, occurrence=JUST_AFTER_EIGHT)

    results = pipeline.deliveries_send(delivery_ids=[due_in_app.pk, other.pk], now=JUST_AFTER_EIGHT)

    assert {result.outcome for result in results.values()} == {"sent"}
    assert Notification.objects.filter(delivery__in=[due_in_app, other]).count() == 2


class FlakySMS:
    """A text-message backend (settings.SMS_BACKEND) that fails `failures` times with `error`, then works."""

    failures = 0
    error: type[Exception] = TransientSendError
    sent: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        if FlakySMS.failures:
            FlakySMS.failures -= 1
            raise FlakySMS.error("the provider said no")
        FlakySMS.sent.append((to, text))


@pytest.fixture
def flaky_sms(settings):
    settings.SMS_ENABLED = True
    settings.SMS_BACKEND = "tests.reminders.test_pipeline.FlakySMS"
    FlakySMS.failures, FlakySMS.error, FlakySMS.sent = 0, TransientSendError, []
    return FlakySMS


@pytest.fixture
def due_sms(eight_oclock, londoner):
    ReminderSettings.objects.filter(user=londoner).update(sms=True, sms_number="+447700900123")
    return DeliveryFactory(recipient=londoner, channel="sms", occurrence=JUST_AFTER_EIGHT)


def test_a_channel_that_fails_twice_then_works_takes_three_attempts_and_sends_one_message(flaky_sms, due_sms):
    flaky_sms.failures = 2

    results = [pipeline.delivery_send(delivery_id=due_sms.pk) for _ in range(3)]

    due_sms.refresh_from_db()
    assert [r.outcome for r in results] == ["retry", "retry", "sent"]
    assert [r.retry_in for r in results[:2]] == [30, 60]
    assert (due_sms.status, due_sms.attempts) == ("sent", 3)
    assert len(flaky_sms.sent) == 1


def test_a_permanent_failure_marks_it_failed_and_raises_one_alert(flaky_sms, due_sms, londoner):
    flaky_sms.failures, flaky_sms.error = 5, PermanentSendError
    another = DeliveryFactory(recipient=londoner, channel="sms", occurrence=JUST_AFTER_EIGHT)

    first = pipeline.delivery_send(delivery_id=due_sms.pk, now=JUST_AFTER_EIGHT)
    pipeline.delivery_send(delivery_id=another.pk, now=JUST_AFTER_EIGHT)

    due_sms.refresh_from_db()
    assert first.outcome == "failed"
    assert (due_sms.status, due_sms.attempts, due_sms.last_error) == ("failed", 1, "the provider said no")
    alerts = Alert.objects.filter(patient=londoner, kind=AlertKind.REMINDER_UNDELIVERED)
    assert alerts.count() == 1
    assert flaky_sms.sent == []


def test_a_batch_reports_a_transient_failure_for_a_retry_and_sends_the_rest(flaky_sms, due_sms, due_in_app):
    flaky_sms.failures = 1

    results = pipeline.deliveries_send(delivery_ids=[due_sms.pk, due_in_app.pk])

    assert (results[due_sms.pk].outcome, results[due_sms.pk].retry_in) == ("retry", 30)
    assert results[due_in_app.pk].outcome == "sent"
    assert Delivery.objects.get(pk=due_sms.pk).status == "pending"


def test_transient_failures_give_up_after_the_last_attempt(flaky_sms, due_sms):
    flaky_sms.failures = 99

    outcomes = [pipeline.delivery_send(delivery_id=due_sms.pk).outcome for _ in range(pipeline.MAX_ATTEMPTS)]

    due_sms.refresh_from_db()
    assert outcomes == ["retry"] * (pipeline.MAX_ATTEMPTS - 1) + ["failed"]
    assert due_sms.status == "failed"


def test_retry_countdowns_stay_below_the_brokers_visibility_timeout(settings):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert all(pipeline.retry_countdown(n) < timeout for n in range(1, 50))


# --- the sweep ----------------------------------------------------------------------------------------------


def test_the_sweep_puts_back_a_delivery_a_dead_worker_left_sending(due_in_app):
    Delivery.objects.filter(pk=due_in_app.pk).update(
        status="sending", attempts=1, claimed_at=JUST_AFTER_EIGHT
    )

    picked = pipeline.deliveries_sweep(now=JUST_AFTER_EIGHT + datetime.timedelta(minutes=30))

    due_in_app.refresh_from_db()
    assert picked == [due_in_app.pk]
    assert due_in_app.status == "pending"
    assert pipeline.delivery_send(delivery_id=due_in_app.pk).outcome == "sent"


def test_the_sweep_leaves_recent_and_finished_deliveries_alone(due_in_app, londoner):
    DeliveryFactory(recipient=londoner, status="sent", sent_at=JUST_AFTER_EIGHT, created_at=JUST_AFTER_EIGHT)
    Delivery.objects.filter(pk=due_in_app.pk).update(created_at=JUST_AFTER_EIGHT)

    assert pipeline.deliveries_sweep(now=JUST_AFTER_EIGHT + datetime.timedelta(minutes=1)) == []
    assert pipeline.deliveries_sweep(now=JUST_AFTER_EIGHT + datetime.timedelta(minutes=10)) == [due_in_app.pk]


# --- the admin ----------------------------------------------------------------------------------------------


def test_the_admin_sends_a_failed_delivery_again_and_audits_it(client, admin_user, due_in_app, londoner):
    Delivery.objects.filter(pk=due_in_app.pk).update(status="failed", attempts=5, last_error="bounced")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:reminders_delivery_changelist"),
        {"action": "send_again", "_selected_action": [due_in_app.pk]},
    )

    assert response.status_code == 302
    due_in_app.refresh_from_db()
    assert (due_in_app.status, due_in_app.attempts) == ("pending", 0)
    assert AuditEvent.objects.filter(action="reminders.delivery.resend", patient=londoner).count() == 1


def test_the_delivery_log_filters_by_status_channel_and_date(client, admin_user, due_in_app):
    client.force_login(admin_user)

    response = client.get(
        reverse("admin:reminders_delivery_changelist"),
        {"status__exact": "pending", "channel__exact": "in_app", "occurrence__year": "2026"},
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [due_in_app]


def test_an_alert_reaches_each_of_two_clinicians_on_the_team(patient, clinician):
    other = ClinicianFactory()
    CareTeamMembershipFactory(patient=patient, clinician=clinician, role="lead")
    CareTeamMembershipFactory(patient=patient, clinician=other, role="member")
    raised = timezone.now().replace(second=0, microsecond=0)
    AlertFactory(patient=patient, raised_at=raised)

    pipeline.dispatch_due(now=raised + datetime.timedelta(minutes=1))

    assert [(r.kind, r.channel) for r in rows_of(clinician)] == [("alert", "in_app")]
    assert [(r.kind, r.channel) for r in rows_of(other)] == [("alert", "in_app")]


def test_a_time_made_after_its_moment_is_not_sent_for_that_moment(londoner, plan):
    """Removing 08:00 and adding it again at 08:05 (or accepting suggested times) sends nothing for 08:00."""
    ReminderSettingsFactory(user=londoner)
    ReminderTimeFactory(user=londoner, created_at=JUST_AFTER_EIGHT + datetime.timedelta(minutes=5))

    pipeline.dispatch_due(now=JUST_AFTER_EIGHT + datetime.timedelta(minutes=6))

    assert rows_of(londoner) == []


def test_settings_saved_before_any_plan_still_get_the_default_times_when_a_plan_comes(patient, clinician):
    pipeline.reminder_defaults_ensure(user=patient)  # e.g. a snooze from the Reminders page, no plan yet
    assert not ReminderTime.objects.filter(user=patient).exists()

    assign_plan(patient, clinician)
    pipeline.dispatch_due(now=JUST_AFTER_EIGHT)

    assert [r.time for r in ReminderTime.objects.filter(user=patient)] == [datetime.time(8)]
    ReminderTime.objects.filter(user=patient).delete()  # the patient removes them: they stay removed
    pipeline.dispatch_due(now=JUST_AFTER_EIGHT + datetime.timedelta(minutes=1))
    assert not ReminderTime.objects.filter(user=patient).exists()


def test_a_text_message_queued_before_the_clinic_turned_sms_off_is_skipped_not_failed(settings, patient):
    settings.SMS_ENABLED = False
    delivery = DeliveryFactory(recipient=patient, channel="sms", status="pending")

    pipeline.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.skip_reason) == ("skipped", "text messages are off at this clinic")
    assert not Alert.objects.exists()
