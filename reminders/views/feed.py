"""The private calendar feed. No sign-in: calendar apps fetch it without cookies, so the secret token in its
address is the key. An unknown or revoked token answers 404, the same as a page that never existed."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from reminders.feed import feed_bytes
from reminders.models import ReminderSettings, ReminderTime

TOKEN_MAX_LENGTH = 64


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise Http404
    found = ReminderSettings.objects.filter(feed_token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        raise Http404
    user = found.user
    body = feed_bytes(
        times=ReminderTime.objects.filter(user=user).order_by("time"), zone=user.zone, now=timezone.now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="exercise-reminders.ics"'
    # The address is a secret: keep it out of shared caches, search engines and other sites' logs.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
