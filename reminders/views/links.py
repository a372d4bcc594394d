"""The pages that a reminder email's snooze and unsubscribe links open. No sign-in: the signed token in the
address is the whole authority (reminders/links.py).

A GET only shows a page with one button; the change happens on the POST that button sends. Mail scanners
(virus checkers, "safe links" rewriting, previews) open every link in an email with a GET as it arrives, so a
GET that changed something would snooze or unsubscribe people who never clicked. A mail app's own
"Unsubscribe" button sends the POST itself (RFC 8058, headers in `links.list_unsubscribe_headers`).

The POST is exempt from Django's CSRF check, and that is safe here: CSRF protects requests that ride on a
visitor's cookies, and these use none; without the signed token a forged POST does nothing, and with it the
sender could simply press the button.

An expired or tampered link answers 400 with a page that says which, and how to change reminders after
signing in.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.audit import AuditContext
from reminders import links
from reminders.services import preferences


def _bad_link(request: HttpRequest, error: links.LinkError) -> HttpResponse:
    context = {
        "expired": error.expired,
        "link_days": links.LINK_MAX_AGE.days,
        "sign_in_url": f"{reverse('accounts:login')}?next={reverse('reminders:preferences')}",
    }
    return render(request, "reminders/links/invalid.html", context, status=400)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def link_snooze(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = links.snooze_link_read(token)
    except links.LinkError as error:
        return _bad_link(request, error)
    assert link.snooze is not None  # noqa: S101 - snooze_link_read always sets it
    label = links.SNOOZE_LABELS[link.snooze]
    if request.method == "GET":
        return render(request, "reminders/links/snooze.html", {"label": label, "done": False})
    row = preferences.reminders_snooze(user=link.user, choice=link.snooze, audit=AuditContext.of(request))
    context = {"label": label, "done": True, "until": row.snoozed_until, "zone": link.user.time_zone}
    return render(request, "reminders/links/snooze.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def link_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = links.unsubscribe_link_read(token)
    except links.LinkError as error:
        return _bad_link(request, error)
    if request.method == "GET":
        return render(request, "reminders/links/unsubscribe.html", {"done": False})
    preferences.reminder_emails_stop(user=link.user, audit=AuditContext.of(request))
    return render(request, "reminders/links/unsubscribe.html", {"done": True})
