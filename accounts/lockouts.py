"""Sign-in lockout, password reset throttling, and the admin page that lifts lockouts.

django-axes counts failed sign-ins, on the portal's sign-in page and the admin's alike, in the database, by
the address typed and by the client's IP address, each on its own: `AXES_FAILURE_LIMIT` failures within
`AXES_COOLOFF_TIME` lock that address and throttle that IP address until the cool-off has passed since the
last failure (a failure during a lockout starts it again). Axes asks this module for the address typed and
for the answer a locked-out visitor gets, which says the same whether or not an account has that address.

Password reset requests are counted in the cache (Redis in production) per IP address and per address typed.
"""

import datetime
import hashlib
import logging

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Aggregate,
    DateTimeField,
    Field,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts import services
from accounts.audit import AuditContext
from accounts.models import EMAIL_MAX_LENGTH, User, sign_in_address  # AccessAttempt.username holds 255

log = logging.getLogger(__name__)

RESET_LIMIT = 5
RESET_WINDOW = datetime.timedelta(minutes=15)


def _minutes(delta: datetime.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def lockout_message() -> str:
    return (
        f"Too many failed sign-ins. Try again in {_minutes(settings.AXES_COOLOFF_TIME)} minutes, "
        "or reset your password."
    )


def reset_throttled_response(request: HttpRequest) -> HttpResponse:
    message = f"Too many password reset requests. Try again in {_minutes(RESET_WINDOW)} minutes."
    return too_many_requests(request, message, retry_after=RESET_WINDOW)


def normalised_address(value: object) -> str:
    """An email address as sign-in compares it: trimmed, in lower case, no longer than an address can be."""
    return sign_in_address(value)[:EMAIL_MAX_LENGTH]


def typed_address(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the address a sign-in attempt names, so that "Alex@Demo.test" and
    "alex@demo.test" count as one, as sign-in itself ignores case."""
    value = credentials.get("username") if credentials else request.POST.get("username")
    return normalised_address(value) if value else None


def too_many_requests(request: HttpRequest, message: str, *, retry_after: datetime.timedelta) -> HttpResponse:
    response = render(request, "registration/lockout.html", {"message": message}, status=429)
    response["Retry-After"] = str(int(retry_after.total_seconds()))
    return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page a locked-out sign-in gets, 429 Too Many Requests. It names neither the
    address typed nor whether an account has it."""
    return too_many_requests(request, lockout_message(), retry_after=settings.AXES_COOLOFF_TIME)


def password_reset_throttled(*, ip: str | None, email: str) -> bool:
    """Count one password reset request from this IP address for this address; True once either has made
    more than RESET_LIMIT within RESET_WINDOW. If the cache cannot be reached the request goes through (and
    is logged): a reset email goes only to the account's own address, so failing open costs little, while
    failing closed would stop every reset while Redis is down."""
    digest = hashlib.sha256(normalised_address(email).encode()).hexdigest()
    keys = [f"accounts:reset:ip:{ip or 'unknown'}", f"accounts:reset:address:{digest}"]
    try:
        counts = [_count(key) for key in keys]
    except Exception:
        log.exception("Password reset throttle unavailable; the request was let through")
        return False
    return any(count > RESET_LIMIT for count in counts)


def password_reset_allowed(*, email: str, audit: AuditContext) -> bool:
    """Count and audit one password reset request; False when it must be refused for too many."""
    throttled = password_reset_throttled(ip=audit.ip, email=email)
    services.audit_auth_event(
        action="auth.password_reset_request", address=email, audit=audit,
        detail="refused: too many requests" if throttled else "",
    )  # fmt: skip
    return not throttled


def _count(key: str) -> int:
    """One more request within the window that began with the first; the count after it."""
    timeout = int(RESET_WINDOW.total_seconds())
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def lockout_reasons(*, address: str | None, ip: str | None) -> list[str]:
    """What the failure just counted has locked: the address typed, the IP address, or both, each named
    only when its count within the cool-off has just reached the limit, so a lockout is reported once and
    not again for every attempt refused while it lasts."""
    recent = _recent_attempts()
    reasons = []
    for what, attempts in (
        ("address locked", recent.filter(username=address) if address else None),
        ("IP address throttled", recent.filter(ip_address=ip) if ip else None),
    ):
        if attempts is not None and _failures(attempts) == settings.AXES_FAILURE_LIMIT:
            reasons.append(what)
    return reasons


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _recent_attempts() -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


def _per_row(field: str, aggregate: Aggregate, output_field: Field) -> Subquery:
    """For each row of a lockout list: the aggregate over all recent failures of the row's address (or IP
    address)."""
    values = (
        _recent_attempts()
        .filter(**{field: OuterRef(field)})
        .order_by()
        .values(field)
        .annotate(value=aggregate)
        .values("value")
    )
    return Subquery(values, output_field=output_field)


def current_lockouts() -> QuerySet[AccessAttempt]:
    """The failed sign-ins behind every lockout now in force, newest first, each with the failure count and
    last failure of its address and of its IP address."""
    failures = Sum("failures_since_start")
    limit = settings.AXES_FAILURE_LIMIT
    return (
        _recent_attempts()
        .annotate(
            address_failures=Coalesce(_per_row("username", failures, IntegerField()), 0),
            ip_failures=Coalesce(_per_row("ip_address", failures, IntegerField()), 0),
            address_last_failure=_per_row("username", Max("attempt_time"), DateTimeField()),
            ip_last_failure=_per_row("ip_address", Max("attempt_time"), DateTimeField()),
        )
        .filter(Q(address_failures__gte=limit) | Q(ip_failures__gte=limit))
        .order_by("-attempt_time")
    )


def lockout_end(attempt: AccessAttempt) -> datetime.datetime:
    """When the lockouts a row of `current_lockouts()` takes part in end, if no failure comes first."""
    limit = settings.AXES_FAILURE_LIMIT
    ends = [attempt.attempt_time]
    if attempt.address_failures >= limit and attempt.address_last_failure:  # type: ignore[attr-defined]
        ends.append(attempt.address_last_failure)  # type: ignore[attr-defined]
    if attempt.ip_failures >= limit and attempt.ip_last_failure:  # type: ignore[attr-defined]
        ends.append(attempt.ip_last_failure)  # type: ignore[attr-defined]
    return max(ends) + settings.AXES_COOLOFF_TIME


@transaction.atomic
def lockout_lift(*, attempt: AccessAttempt, by: User, audit: AuditContext) -> int:
    """Let the address and the IP address of one failed sign-in try again at once, and audit who did it.
    Returns how many attempt records were cleared."""
    cleared = axes_reset(ip=attempt.ip_address, username=attempt.username, ip_or_username=True)
    detail = f"{attempt.username or '(no address)'} from {attempt.ip_address or 'an unknown IP address'}"
    account = services.account_for_address(attempt.username or "")
    services.audit_auth_event(action="auth.unlock", actor=by, audit=audit, obj=account, detail=detail)
    return cleared


class SignInLockoutAdmin(admin.ModelAdmin):
    """Current sign-in lockouts, read only; the "Unlock" action lifts them and is audited."""

    list_display = (
        "username",
        "ip_address",
        "address_failures",
        "ip_failures",
        "attempt_time",
        "locked_until",
    )
    search_fields = ("username", "ip_address")
    fields = ("username", "ip_address", "user_agent", "path_info", "failures_since_start", "attempt_time")
    readonly_fields = fields
    actions = ["unlock"]

    def get_queryset(self, request):
        return current_lockouts()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Sign-in lockouts", **(extra_context or {})})

    @admin.display(description="Failures of the address")
    def address_failures(self, obj) -> int:
        return obj.address_failures

    @admin.display(description="Failures from the IP address")
    def ip_failures(self, obj) -> int:
        return obj.ip_failures

    @admin.display(description="Locked until")
    def locked_until(self, obj) -> datetime.datetime:
        return lockout_end(obj)

    @admin.action(description="Unlock the address and the IP address")
    def unlock(self, request, queryset) -> None:
        audit = AuditContext.of(request)
        lifted = 0
        for attempt in list(queryset):
            if AccessAttempt.objects.filter(pk=attempt.pk).exists():  # an earlier row's unlock may clear it
                lockout_lift(attempt=attempt, by=request.user, audit=audit)
                lifted += 1
        self.message_user(request, f"Unlocked {lifted} sign-in lockout(s).", messages.SUCCESS)


admin.site.register(AccessAttempt, SignInLockoutAdmin)
