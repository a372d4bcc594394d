"""The bell's list: every signed-in person's in-app notifications, newest first, each opening the page that
acts on it, with "mark as read" for one and for all."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import AuditContext
from accounts.views import signed_in_user
from reminders.models import Notification
from reminders.services import preferences

PER_PAGE = 20
LIST = "reminders:notifications"


def safe_path(url: str) -> str | None:
    """The notification's link if it is a path in this portal; anything else is not followed."""
    if url.startswith("/") and not url.startswith("//") and url_has_allowed_host_and_scheme(url, None):
        return url
    return None


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    notifications = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/notifications.html",
        {"page": page, "notifications": [(item, safe_path(item.url)) for item in page.object_list]},
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Follow a notification's link, marking it read on the way (the list's links come here)."""
    user = signed_in_user(request)
    notification = preferences.own_notification(user, public_id)
    preferences.notification_mark_read(user=user, notification=notification, audit=AuditContext.of(request))
    return redirect(safe_path(notification.url) or LIST)


@login_required
@require_POST
def notification_read(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    notification = preferences.own_notification(user, public_id)
    preferences.notification_mark_read(user=user, notification=notification, audit=AuditContext.of(request))
    return redirect(LIST)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    count = preferences.notifications_mark_all_read(user=user, audit=AuditContext.of(request))
    messages.success(
        request, "Every notification is marked as read." if count else "There was nothing unread."
    )
    return redirect(LIST)
