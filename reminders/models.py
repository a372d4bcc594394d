"""Reminders: what a patient chose (settings and times), every message the portal sends (the Delivery
outbox), the in-app bell (Notification), and a clinician's suggested times.

The pipeline is in `services.py` and `tasks.py`; DESIGN.md "The reminder pipeline" is its map. A Delivery is
unique on (source, occurrence, channel), so inserting one twice is harmless, and its status is changed only
by conditional updates, so a task that runs twice sends once.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common import text_limits

WEEKDAYS = (0, 1, 2, 3, 4, 5, 6)  # Monday is 0, as in datetime.date.weekday()
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the portal"
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class ReminderKind(models.TextChoices):
    EXERCISE = "exercise", "Exercise sessions"
    CHECK_IN = "check_in", "Next-morning check-in after a sore session"
    QUESTIONNAIRE = "questionnaire", "Questionnaires when due"
    NUDGE = "nudge", "An evening nudge when nothing was logged"
    PLAN_CHANGED = "plan_changed", "Your plan changed"
    ALERT = "alert", "Alerts about patients (clinicians)"
    ALERT_DIGEST = "alert_digest", "Hourly digest of new alerts (clinicians)"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class ReminderSettings(models.Model):
    """One person's choices: which kinds, which channels, quiet hours, a pause or a snooze. Created with
    defaults when a patient's plan is assigned (`services.reminder_defaults_ensure`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    in_app = models.BooleanField("in the portal (the bell)", default=True)
    email = models.BooleanField("by email", default=True)
    sms = models.BooleanField("by text message", default=False)
    sms_number = models.CharField(
        "mobile number for text messages",
        max_length=16,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+[1-9][0-9]{7,14}$", "Give the number in international form, e.g. +447700900123."
            )
        ],
    )
    exercise_on = models.BooleanField("exercise sessions", default=True)
    check_in_on = models.BooleanField("next-morning check-in after a sore session", default=True)
    questionnaire_on = models.BooleanField("questionnaires when due", default=True)
    nudge_on = models.BooleanField("an evening nudge when nothing was logged", default=True)
    plan_changed_on = models.BooleanField("when your plan changes", default=True)
    nudge_time = models.TimeField("evening nudge at", default=datetime.time(20, 0))
    quiet_start = models.TimeField("quiet from", null=True, blank=True)
    quiet_end = models.TimeField("quiet until", null=True, blank=True)
    paused_until = models.DateField("paused until (inclusive)", null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    default_times_made = models.BooleanField(
        default=False, help_text="The default exercise times were made, once, for the first active plan."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="reminders_settings_quiet_hours_both_or_neither",
            )
        ]

    def __str__(self) -> str:
        return f"Reminder settings of {self.user}"

    def clean(self) -> None:
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValidationError("Give both ends of the quiet hours, or neither.")
        if self.quiet_start is not None and self.quiet_start == self.quiet_end:
            raise ValidationError("Quiet hours need different start and end times.")
        if self.sms and not self.sms_number:
            raise ValidationError({"sms_number": "Give a mobile number for text messages, or turn them off."})

    def channels(self) -> list[str]:
        return [channel for channel in Channel.values if getattr(self, channel)]


class ReminderTime(models.Model):
    """One exercise reminder: a local time of day on chosen weekdays, in the patient's own time zone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_times"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    time = models.TimeField()
    weekdays = models.JSONField(default=list, help_text="Weekday numbers, Monday 0 to Sunday 6.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["time"]
        constraints = [
            models.UniqueConstraint(fields=["user", "time"], name="reminders_time_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%H:%M} for {self.user}"

    def clean(self) -> None:
        days = self.weekdays
        if (
            not isinstance(days, list)
            or not days
            or not set(days) <= set(WEEKDAYS)
            or len(set(days)) != len(days)
        ):
            raise ValidationError({"weekdays": "Choose at least one day of the week."})
        if self.time is not None and (self.time.second or self.time.microsecond):
            raise ValidationError({"time": "Reminders are set to the minute."})

    @property
    def weekdays_label(self) -> str:
        days = sorted(self.weekdays)
        return "every day" if len(days) == 7 else ", ".join(WEEKDAY_NAMES[day] for day in days)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


class Delivery(models.Model):
    """One message to one person on one channel for one occurrence: the outbox row.

    `source` names what caused it, as "<kind>:<id>" (for example "time:<ReminderTime public id>",
    "alert:<Alert public id>", "nudge:<user public id>:<local date>"); `occurrence` is the instant it was due,
    in UTC. The unique constraint on (source, occurrence, channel) makes every insert idempotent.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    source = models.CharField(max_length=120)
    occurrence = models.DateTimeField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    skip_reason = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker last took it to send.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-occurrence"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["recipient", "-occurrence"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "occurrence", "channel"], name="reminders_delivery_once_per_occurrence"
            ),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.SKIPPED) | Q(skip_reason=""),
                name="reminders_delivery_reason_only_when_skipped",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="reminders_delivery_sent_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} to {self.recipient} by {self.get_channel_display()} ({self.status})"
        )


class Notification(models.Model):
    """One entry of the in-app bell. Made by the in-app channel from a Delivery (once: the delivery is
    unique here), or directly for what needs no outbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    delivery = models.OneToOneField(
        Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(
        max_length=text_limits.NOTE, validators=[MaxLengthValidator(text_limits.NOTE)], blank=True
    )
    url = models.CharField(max_length=500, blank=True, help_text="A path in the portal that acts on it.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.title} for {self.user}"


class TimeSuggestion(models.Model):
    """Reminder times a clinician suggests; they take effect only when the patient accepts them."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_suggestions"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    suggested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    times = models.JSONField(help_text='[{"time": "08:00", "weekdays": [0, 1, 2, 3, 4]}, ...]')
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, accepted__isnull=True)
                | Q(answered_at__isnull=False, accepted__isnull=False),
                name="reminders_suggestion_answered_with_a_choice",
            )
        ]

    def __str__(self) -> str:
        return f"Times suggested to {self.patient} by {self.suggested_by}"
