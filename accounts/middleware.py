"""Middleware of the accounts app."""

import dataclasses
import datetime
import time
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import cast

from asgiref.sync import sync_to_async
from django.apps import apps
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.db.models.expressions import Col
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware
from django_otp.models import Device

from accounts import services, two_factor
from accounts.audit import AuditContext
from accounts.models import User


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's AuthenticationMiddleware and django-otp's OTPMiddleware in one: `request.user` is the
    signed-in person, with `otp_device` (the authenticator that passed this session's second factor, or
    None) and `is_verified()`, as the two set them. The person's row and the authenticator's come from one
    query by primary key: through the ORM, in two, they were a third of the work of a signed-in request.

    The authenticator is read on every request, so that deleting a lost phone's ends its sessions' second
    factor at once; django-otp's own check that it is the person's and confirmed still applies, and drops
    it from the session if not. The session is checked as `django.contrib.auth.get_user` checks it
    (`_session_holds`). A session signed in through another backend than ModelBackend, and an anonymous
    one, go through Django's and django-otp's own reads."""

    def process_request(self, request: HttpRequest) -> None:
        request.user = SimpleLazyObject(partial(signed_in_person, request))  # type: ignore[assignment]
        request.auser = partial(_signed_in_person_async, request)  # type: ignore[attr-defined]


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
BIGINT_LIMIT = 2**63  # primary keys are below it
_model_backend = ModelBackend()


class _DjangoOtpReads(otp_middleware.OTPMiddleware):
    """django-otp's reads and checks, called by AuthenticationMiddleware rather than run as a middleware;
    a session's device id that names no device (another model, a forged id) gives none, not an error."""

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        named = _device_named(persistent_id)
        return cast(Device | None, named[0]._default_manager.filter(pk=named[1]).first()) if named else None


_otp = _DjangoOtpReads(lambda request: None)


def signed_in_person(request: HttpRequest) -> User | AnonymousUser:
    if not hasattr(request, "_cached_user"):
        request._cached_user = _person_of(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


async def _signed_in_person_async(request: HttpRequest) -> User | AnonymousUser:
    """`request.auser()`, kept apart from `request.user` as Django keeps it: read again after a sign-out."""
    if not hasattr(request, "_acached_user"):
        request._acached_user = await sync_to_async(_person_of)(request)  # type: ignore[attr-defined]
    return request._acached_user  # type: ignore[attr-defined]


def _person_of(request: HttpRequest) -> User | AnonymousUser:
    session = request.session
    if (
        session.get(BACKEND_SESSION_KEY) != MODEL_BACKEND
        or MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS
    ):
        return _otp._verify_user_sync(request, auth.get_user(request))
    try:
        user_id = User._meta.pk.to_python(session[SESSION_KEY])  # type: ignore[union-attr]
    except (KeyError, ValidationError):
        return _signed_out()
    if not 0 < user_id < BIGINT_LIMIT:  # no one: and SQLite cannot even be asked beyond a bigint
        return _signed_out()
    user, device = _person_and_device(user_id, session.get(DEVICE_ID_SESSION_KEY))
    if user is None or not _model_backend.user_can_authenticate(user) or not _session_holds(request, user):
        return _signed_out()
    _otp._init_user_fields(user)
    user.otp_device = _otp._finalize_device(request, user, device)  # type: ignore[attr-defined]
    return user


def _signed_out() -> AnonymousUser:
    """A visitor, with `otp_device` and `is_verified()` as django-otp gives everyone."""
    visitor = AnonymousUser()
    _otp._init_user_fields(visitor)
    return visitor


def _session_holds(request: HttpRequest, user: User) -> bool:
    """Whether the session was signed in with the person's current password, as `django.contrib.auth.get_user`
    decides it: a hash made with a key in SECRET_KEY_FALLBACKS holds too, and the session gets a new key and
    the current hash; a session that does not hold is flushed."""
    session = request.session
    session_hash, current_hash = session.get(HASH_SESSION_KEY), user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, current_hash):
        return True
    if session_hash and any(
        constant_time_compare(session_hash, fallback_hash)
        for fallback_hash in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[HASH_SESSION_KEY] = current_hash
        return True
    session.flush()
    return False


def _person_and_device(user_id: int, persistent_id: str | None) -> tuple[User | None, Device | None]:
    """The person's row, and the authenticator the session names if it is one, in one query."""
    quote = connection.ops.quote_name
    person, device = _row_reader(User, "person"), None
    person_id = f"{person.alias}.{quote(User._meta.pk.column)}"  # type: ignore[union-attr]
    # Names from the models; the ids go as parameters.
    sql, params = f"SELECT {person.columns} FROM {person.table} WHERE {person_id} = %s", [user_id]  # noqa: S608
    named = _device_named(persistent_id)
    if named is not None:
        device = _row_reader(named[0], "device")
        device_pk = f"{device.alias}.{quote(device.model._meta.pk.column)}"  # type: ignore[union-attr]
        sql = (
            f"SELECT {person.columns}, {device.columns} FROM {person.table} "  # noqa: S608
            f"LEFT JOIN {device.table} ON {device_pk} = %s WHERE {person_id} = %s"
        )
        params = [named[1], user_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None, None
    split = len(person.attnames)
    found_device = device.instance(row[split:]) if device is not None else None
    return cast(User, person.instance(row[:split])), cast(Device | None, found_device)


def _device_named(persistent_id: str | None) -> tuple[type[Model], int] | None:
    """The device model and id a session's `otp_device_id` names (django-otp's "app_label.model/id"), or
    None when it names none: the session passes no second factor then."""
    if persistent_id:
        with suppress(ValueError, LookupError):
            label, device_id = _otp._normalize_persistent_id(persistent_id).rsplit("/", 1)
            model, number = apps.get_model(label), int(device_id)
            if issubclass(model, Device) and 0 < number < BIGINT_LIMIT:
                return model, number
    return None


@dataclasses.dataclass(frozen=True)
class _RowReader:
    """A model's columns in a raw query, and its instance from their values, converted as the ORM does;
    everything but the values is worked out once per model."""

    model: type[Model]
    alias: str
    table: str
    columns: str
    attnames: list[str]
    pk_index: int
    expressions: list[Col]
    converters: list[list]

    @classmethod
    def of(cls, model: type[Model], alias: str) -> "_RowReader":
        quote, fields = connection.ops.quote_name, list(model._meta.concrete_fields)
        columns = [field.get_col(alias) for field in fields]
        return cls(
            model=model,
            alias=alias,
            table=f"{quote(model._meta.db_table)} AS {alias}",
            columns=", ".join(f"{alias}.{quote(field.column)}" for field in fields),
            attnames=[field.attname for field in fields],
            pk_index=fields.index(model._meta.pk),  # type: ignore[arg-type]
            expressions=columns,
            converters=[
                connection.ops.get_db_converters(col) + col.get_db_converters(connection) for col in columns
            ],
        )

    def instance(self, values: tuple) -> Model | None:
        """The row from `values`, or None where a LEFT JOIN found none (no primary key)."""
        if values[self.pk_index] is None:
            return None
        converted = []
        for value, column_converters, column in zip(values, self.converters, self.expressions, strict=True):
            for converter in column_converters:
                value = converter(value, column, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.attnames, converted)


_row_readers: dict[tuple[type[Model], str], _RowReader] = {}


def _row_reader(model: type[Model], alias: str) -> _RowReader:
    if (model, alias) not in _row_readers:
        _row_readers[model, alias] = _RowReader.of(model, alias)
    return _row_readers[model, alias]


class TwoFactorMiddleware:
    """Sends a signed-in person who needs the second factor and has not passed it in this session to the
    code page (which sends staff without an authenticator on to set one up), whatever page they ask for,
    the Django admin and its own login page included. Only signing in and out, the two pages of the second
    step, static files and /health/ stay open.

    Goes after AuthenticationMiddleware, which tells whether the session is verified. It acts in
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
