"""Reminders in Django's admin: read only, as every patient record here (the portal's pages write them),
plus the delivery log with "send again" for failed rows. Showing a patient's rows, and sending again, is
audited."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.admin import ReadOnlyPatientRecordAdmin
from accounts.audit import AuditContext
from accounts.models import User
from reminders.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    ReminderSettings,
    ReminderTime,
    TimeSuggestion,
)
from reminders.services.pipeline import delivery_resend


def _patient(user: User) -> User | None:
    return user if user.is_patient else None


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyPatientRecordAdmin):
    """The outbox as a log: what was due, for whom, on which channel, and what became of it."""

    list_display = (
        "occurrence",
        "recipient",
        "kind",
        "channel",
        "status",
        "skip_reason",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "channel", "kind", "occurrence")
    search_fields = ("recipient__email", "recipient__last_name", "source")
    date_hierarchy = "occurrence"
    list_select_related = ("recipient",)
    readonly_fields = (
        "public_id", "recipient", "kind", "source", "occurrence", "channel", "status", "skip_reason",
        "attempts", "last_error", "created_at", "claimed_at", "sent_at",
    )  # fmt: skip
    actions = ["send_again"]

    def patient_of(self, obj: Delivery) -> User | None:
        return _patient(obj.recipient)

    @admin.action(description="Send the selected failed deliveries again")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        audit = AuditContext.of(request)
        resent = [
            delivery
            for delivery in queryset.filter(status=DeliveryStatus.FAILED).select_related("recipient")
            if delivery_resend(delivery=delivery, by=request.user, audit=audit)  # type: ignore[arg-type]
        ]
        others = queryset.count() - len(resent)
        self.message_user(request, f"{len(resent)} sent again.", messages.SUCCESS)
        if others:
            self.message_user(request, f"{others} had not failed and were left alone.", messages.WARNING)


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("user", "in_app", "email", "sms", "paused_until", "snoozed_until", "updated_at")
    list_filter = ("in_app", "email", "sms")
    search_fields = ("user__email", "user__last_name")
    list_select_related = ("user",)
    exclude = ("feed_token",)  # a secret: whoever has it reads the feed

    def patient_of(self, obj: ReminderSettings) -> User | None:
        return _patient(obj.user)


@admin.register(ReminderTime)
class ReminderTimeAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("user", "time", "weekdays_label", "created_at")
    search_fields = ("user__email", "user__last_name")
    list_select_related = ("user",)

    def patient_of(self, obj: ReminderTime) -> User | None:
        return _patient(obj.user)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("created_at", "user", "title", "read_at")
    list_filter = (("read_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__email", "user__last_name")
    date_hierarchy = "created_at"
    list_select_related = ("user",)

    def patient_of(self, obj: Notification) -> User | None:
        return _patient(obj.user)


@admin.register(TimeSuggestion)
class TimeSuggestionAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("created_at", "patient", "suggested_by", "answered_at", "accepted")
    search_fields = ("patient__email", "patient__last_name")
    list_select_related = ("patient", "suggested_by")

    def patient_of(self, obj: TimeSuggestion) -> User | None:
        return obj.patient
