"""Middleware of the accounts app."""

import datetime
import time
from collections.abc import Callable
from contextlib import suppress

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django_otp import middleware as otp_middleware
from django_otp.models import Device

from accounts import services, two_factor
from accounts.audit import AuditContext
from accounts.models import User


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware, which reads the authenticator that passed this session's second factor on
    every request (so that deleting a lost phone's ends its sessions' second factor at once), with that read
    made one plain query by primary key: through the ORM (`Device.from_persistent_id`) it took a fifth of
    the Python calls of a signed-in request for staff. django-otp still checks that the device is the
    person's and confirmed (`_finalize_device`), and drops it from the session if not."""

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        with suppress(ValueError, LookupError, OverflowError):
            label, device_id = self._normalize_persistent_id(persistent_id).rsplit("/", 1)
            model = apps.get_model(label)
            if issubclass(model, Device):
                quote, meta = connection.ops.quote_name, model._meta
                # Names from the model; the id goes as a parameter.
                by_id = f"SELECT * FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
                return next(iter(model.objects.raw(by_id, [int(device_id)])), None)
        return None


class TwoFactorMiddleware:
    """Sends a signed-in person who needs the second factor and has not passed it in this session to the
    code page (which sends staff without an authenticator on to set one up), whatever page they ask for,
    the Django admin and its own login page included. Only signing in and out, the two pages of the second
    step, static files and /health/ stay open.

    Goes after django-otp's OTPMiddleware, which tells whether the session is verified. It acts in
    `process_view`, once the URL is resolved, so pages are told apart by their name, not by their path.
    """

    OPEN_VIEWS = frozenset(
        {
            "accounts:login",
            "accounts:logout",
            "accounts:two_factor_verify",
            "accounts:two_factor_set_up",
            "health",
        }
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or two_factor.session_verified(user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in self.OPEN_VIEWS:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if not two_factor.two_factor_required(user):  # type: ignore[arg-type]
            return None
        verify_url = reverse("accounts:two_factor_verify")
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path(), verify_url)
        return redirect(verify_url)


SIGNED_IN_AT = "accounts_signed_in_at"
LAST_SEEN = "accounts_last_seen"
LAST_SEEN_REFRESH_SECONDS = 60


def session_start(request: HttpRequest) -> None:
    """Start the clocks of a new sign-in; called on Django's `user_logged_in` signal."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def idle_limit(user: User) -> datetime.timedelta:
    """How long a person may leave the portal alone before they must sign in again: less for staff, who
    reach many patients' records, often from shared computers."""
    return settings.SESSION_IDLE_LIMIT_PATIENT if user.is_patient else settings.SESSION_IDLE_LIMIT_STAFF


class SessionTimeoutMiddleware:
    """Signs a person out after a while without activity (`idle_limit`) and, whatever they do, once
    SESSION_COOKIE_AGE has passed since they signed in; they land on the sign-in page, told why.

    Activity is noted in the session at most once a minute, so most requests do not write the session
    (SESSION_SAVE_EVERY_REQUEST is off) and the idle limit holds to within a minute. Stamps are whole seconds
    since the epoch. A session from before these limits, without stamps, starts its clocks now. Goes after
    MessageMiddleware, which carries the message to the sign-in page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            session = request.session
            now = int(time.time())
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.setdefault(LAST_SEEN, now)
            idle = idle_limit(user)
            if now - signed_in_at > settings.SESSION_COOKIE_AGE:
                hours = settings.SESSION_COOKIE_AGE // 3600
                return self._sign_out(
                    request, user,
                    message=f"You were signed out because {hours} hours have passed since you signed in. "
                    "Please sign in again.",
                    detail=f"{hours} hours after signing in",
                )  # fmt: skip
            if now - last_seen > idle.total_seconds():
                minutes = int(idle.total_seconds() // 60)
                return self._sign_out(
                    request, user,
                    message=f"You were signed out after {minutes} minutes without activity.",
                    detail=f"{minutes} minutes without activity",
                )  # fmt: skip
            if now - last_seen >= LAST_SEEN_REFRESH_SECONDS:
                session[LAST_SEEN] = now
        return self.get_response(request)

    def _sign_out(self, request: HttpRequest, user: User, *, message: str, detail: str) -> HttpResponse:
        """Ends the session as `logout()` does, but audited as a time-out rather than a sign-out."""
        services.audit_auth_event(
            action="auth.session_timeout", actor=user, audit=AuditContext.of(request), detail=detail
        )
        request.session.flush()
        request.user = AnonymousUser()
        messages.info(request, message)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.path == login_url:
            return self.get_response(request)
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(headers={"HX-Redirect": login_url})
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path())
        return redirect(login_url)
