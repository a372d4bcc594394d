"""The patient's side of reminders: their choices (kinds, channels, quiet hours, the evening nudge), their
exercise reminder times, a pause or a one-tap snooze, the private calendar link, and the bell's read marks.

Every change is the person's own write, audited in the same transaction as the change.
"""

import datetime
import enum
from typing import Any
from uuid import UUID

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from accounts.audit import AuditContext, audit_record
from accounts.models import User
from reminders.models import (
    WEEKDAYS,
    Notification,
    ReminderSettings,
    ReminderTime,
    new_feed_token,
)

MAX_TIMES = 6
PAUSE_LONGEST = datetime.timedelta(days=183)
SNOOZE_MORNING = datetime.time(7, 0)
PAUSE_TOO_LONG = "Reminders can be paused for up to six months at a time. Choose an earlier date."

# What a person may change through `reminder_settings_update`; the pause, the snooze and the feed link have
# their own services.
SETTINGS_FIELDS = (
    "exercise_on",
    "check_in_on",
    "questionnaire_on",
    "nudge_on",
    "plan_changed_on",
    "in_app",
    "email",
    "sms",
    "sms_number",
    "nudge_time",
    "quiet_start",
    "quiet_end",
)


class Snooze(enum.StrEnum):
    HOUR = "hour"
    TOMORROW = "tomorrow"
    WEEK = "week"


def sms_enabled() -> bool:
    """Whether the clinic sends text messages (the SMS_ENABLED setting; off until a backend is set up)."""
    return bool(getattr(django_settings, "SMS_ENABLED", False))


def _patient_or_none(user: User) -> User | None:
    """Whose record the audit row names: a patient's own; clinicians' bells belong to no patient record."""
    return user if user.is_patient else None


def _audit(user: User, action: str, audit: AuditContext, obj: Any = None) -> None:
    audit_record(actor=user, action=action, patient=_patient_or_none(user), audit=audit, obj=obj)


# --- reads shared by the pages --------------------------------------------------------------------------


def settings_of(user: User) -> ReminderSettings:
    """The person's saved settings, or the defaults unsaved (the first save creates them)."""
    found = ReminderSettings.objects.filter(user=user).first()
    return found if found is not None else ReminderSettings(user=user)


def times_of(user: User) -> list[ReminderTime]:
    return list(ReminderTime.objects.filter(user=user).order_by("time"))


def own_reminder_time(user: User, public_id: UUID) -> ReminderTime:
    """One of the person's own reminder times; someone else's or a missing one is 404 alike."""
    found = ReminderTime.objects.filter(user=user, public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def own_notification(user: User, public_id: UUID) -> Notification:
    found = Notification.objects.filter(user=user, public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def snooze_end(choice: Snooze, *, zone: datetime.tzinfo, now: datetime.datetime) -> datetime.datetime:
    """When a snooze chosen at `now` ends: an hour on, 07:00 tomorrow in the person's zone, or a week on."""
    if choice is Snooze.HOUR:
        return now + datetime.timedelta(hours=1)
    if choice is Snooze.WEEK:
        return now + datetime.timedelta(days=7)
    tomorrow = now.astimezone(zone).date() + datetime.timedelta(days=1)
    # A wall time that a clock change skips is read forwards by zoneinfo (fold 0), which is what we want.
    return datetime.datetime.combine(tomorrow, SNOOZE_MORNING, tzinfo=zone).astimezone(datetime.UTC)


def is_snoozed(reminder_settings: ReminderSettings, now: datetime.datetime) -> bool:
    return reminder_settings.snoozed_until is not None and reminder_settings.snoozed_until > now


def is_paused(reminder_settings: ReminderSettings, today: datetime.date) -> bool:
    return reminder_settings.paused_until is not None and reminder_settings.paused_until >= today


# --- writes ---------------------------------------------------------------------------------------------


def _locked_settings(user: User) -> ReminderSettings:
    """The person's settings row, locked for this transaction; created with the defaults when missing (with
    a plan, its default times too, as when the Reminders page first opens)."""
    # Imported here: the pipeline imports the channels, whose email links import this module.
    from reminders.services.pipeline import reminder_defaults_ensure

    reminder_defaults_ensure(user=user)
    return ReminderSettings.objects.select_for_update().get(user=user)


def reminder_settings_update(
    *, user: User, changes: dict[str, Any], audit: AuditContext, now: datetime.datetime | None = None
) -> ReminderSettings:
    """Change which reminders come, how, and when not. Only the fields in SETTINGS_FIELDS may change; text
    messages only when the clinic has them."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(f"These settings cannot be changed here: {', '.join(sorted(unknown))}.")
    if changes.get("sms") and not sms_enabled():
        raise ValidationError({"sms": "Text messages are not available from this clinic yet."})
    quiet = (changes.get("quiet_start", ...), changes.get("quiet_end", ...))
    if (quiet[0] is ...) != (quiet[1] is ...):
        raise ValidationError("Change both ends of the quiet hours together.")
    with transaction.atomic():
        row = _locked_settings(user)
        for name, value in changes.items():
            setattr(row, name, value)
        row.full_clean(exclude=["user"])
        row.save()
        _audit(user, "reminders.settings.update", audit, row)
    return row


def reminder_emails_stop(*, user: User, audit: AuditContext) -> ReminderSettings:
    """Turn reminder emails off, and nothing else: what an unsubscribe link does. It never fails on other
    settings that no longer validate (a number an admin edited), since stopping mail must always work."""
    with transaction.atomic():
        row = _locked_settings(user)
        ReminderSettings.objects.filter(pk=row.pk).update(email=False)
        row.email = False
        _audit(user, "reminders.settings.update", audit, row)
    return row


def reminder_time_add(
    *,
    user: User,
    time: datetime.time,
    weekdays: list[int],
    audit: AuditContext,
    now: datetime.datetime | None = None,
) -> ReminderTime:
    """Add an exercise reminder at a local time of day on the chosen weekdays; at most MAX_TIMES, one per
    time of day."""
    now = now or timezone.now()
    days = sorted(set(weekdays))
    if not days or not set(days) <= set(WEEKDAYS) or len(days) != len(weekdays):
        raise ValidationError({"weekdays": "Choose at least one day of the week, each day once."})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one add at a time per person
        existing = ReminderTime.objects.filter(user=user)
        if existing.count() >= MAX_TIMES:
            raise ValidationError(
                f"You already have {MAX_TIMES} reminder times, the most there can be. Remove one first."
            )
        if existing.filter(time=time).exists():
            raise ValidationError({"time": f"You already have a reminder at {time:%H:%M}."})
        reminder = ReminderTime(user=user, time=time, weekdays=days, created_at=now)
        reminder.full_clean(exclude=["user"], validate_constraints=False)
        try:
            with transaction.atomic():
                reminder.save()
        except IntegrityError as error:  # the same time added twice at once from two tabs
            raise ValidationError({"time": f"You already have a reminder at {time:%H:%M}."}) from error
        _audit(user, "reminders.time.add", audit, reminder)
    return reminder


def reminder_time_remove(*, user: User, reminder_time: ReminderTime, audit: AuditContext) -> None:
    if reminder_time.user_id != user.pk:
        raise Http404
    with transaction.atomic():
        _audit(user, "reminders.time.remove", audit, reminder_time)
        reminder_time.delete()


def reminders_snooze(
    *, user: User, choice: Snooze, audit: AuditContext, now: datetime.datetime | None = None
) -> ReminderSettings:
    """Hold every reminder back for a while (the pipeline skips what falls due until then)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _locked_settings(user)
        row.snoozed_until = snooze_end(choice, zone=user.zone, now=now)
        row.save(update_fields=["snoozed_until", "updated_at"])
        _audit(user, f"reminders.snooze.{choice.value}", audit, row)
    return row


def reminders_snooze_cancel(
    *, user: User, audit: AuditContext, now: datetime.datetime | None = None
) -> ReminderSettings:
    with transaction.atomic():
        row = _locked_settings(user)
        row.snoozed_until = None
        row.save(update_fields=["snoozed_until", "updated_at"])
        _audit(user, "reminders.snooze.cancel", audit, row)
    return row


def reminders_pause(
    *, user: User, until: datetime.date, audit: AuditContext, now: datetime.datetime | None = None
) -> ReminderSettings:
    """No reminders up to and including `until`, a day from today (in the person's zone) to six months on."""
    now = now or timezone.now()
    today = now.astimezone(user.zone).date()
    if until < today:
        raise ValidationError({"paused_until": "Choose today or a later date."})
    if until > today + PAUSE_LONGEST:
        raise ValidationError({"paused_until": PAUSE_TOO_LONG})
    with transaction.atomic():
        row = _locked_settings(user)
        row.paused_until = until
        row.save(update_fields=["paused_until", "updated_at"])
        _audit(user, "reminders.pause", audit, row)
    return row


def reminders_resume(
    *, user: User, audit: AuditContext, now: datetime.datetime | None = None
) -> ReminderSettings:
    with transaction.atomic():
        row = _locked_settings(user)
        row.paused_until = None
        row.save(update_fields=["paused_until", "updated_at"])
        _audit(user, "reminders.resume", audit, row)
    return row


def feed_token_renew(*, user: User, audit: AuditContext) -> ReminderSettings:
    """Make a new private calendar link; the old one stops working at once."""
    with transaction.atomic():
        row = _locked_settings(user)
        row.feed_token = new_feed_token()
        row.save(update_fields=["feed_token", "updated_at"])
        _audit(user, "reminders.feed.renew", audit, row)
    return row


def notification_mark_read(
    *, user: User, notification: Notification, audit: AuditContext, now: datetime.datetime | None = None
) -> Notification:
    if notification.user_id != user.pk:
        raise Http404
    now = now or timezone.now()
    with transaction.atomic():
        changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        if changed:
            notification.read_at = now
            _audit(user, "reminders.notification.read", audit, notification)
    return notification


def notifications_mark_all_read(
    *, user: User, audit: AuditContext, now: datetime.datetime | None = None
) -> int:
    """Mark every unread notification of the person read; how many were."""
    now = now or timezone.now()
    with transaction.atomic():
        changed = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
        if changed:
            _audit(user, "reminders.notification.read_all", audit)
    return changed
