"""Liveness of the parts the portal needs: the database, Redis, and at least one Celery worker.

Each check answers quickly (about a second at worst) and never raises, so /health/ itself cannot fail.
Anyone may ask whether the portal is healthy; only admins and the machine itself learn the details (worker
host names, error classes), which would help an attacker map the installation.
"""

import ipaddress

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from accounts.two_factor import session_verified
from portal.celery import app as celery_app

HEARTBEAT_KEY = "portal:heartbeat"
CHECK_TIMEOUT_SECONDS = 1.0
# A reverse proxy sets at least one of these; a probe run on the machine itself sends none.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        socket_timeout=CHECK_TIMEOUT_SECONDS,
        decode_responses=True,
    )


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "down"; the class name is enough to act on
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def check_redis() -> dict:
    try:
        redis_client().ping()
    except redis.RedisError as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def check_worker() -> dict:
    """Ask the workers to answer a ping; the first reply is enough."""
    try:
        replies = celery_app.control.ping(timeout=CHECK_TIMEOUT_SECONDS, limit=1)
    except Exception as error:  # the broker's client raises many kinds of connection error
        return {"ok": False, "error": type(error).__name__}
    if not replies:
        return {"ok": False, "error": "no worker answered within a second"}
    return {"ok": True, "workers": sorted(name for reply in replies for name in reply)}


def heartbeat_record() -> None:
    redis_client().set(HEARTBEAT_KEY, timezone.now().isoformat())


def heartbeat_last_seen() -> str | None:
    """When beat and a worker last ran the heartbeat task, as an ISO date, or None if never or unknown."""
    try:
        value = redis_client().get(HEARTBEAT_KEY)
    except redis.RedisError:
        return None
    return str(value) if value else None


def health_report() -> tuple[bool, dict]:
    checks = {"database": check_database(), "redis": check_redis()}
    if checks["redis"]["ok"]:
        checks["worker"] = check_worker()
    else:
        checks["worker"] = {"ok": False, "error": "Redis is down, so no worker can be reached"}
    healthy = all(check["ok"] for check in checks.values())
    checks["beat"] = {"last_heartbeat": heartbeat_last_seen() if checks["redis"]["ok"] else None}
    return healthy, checks


def is_local_request(request: HttpRequest) -> bool:
    """Whether the request comes from this machine itself, not through a proxy running on it.

    Only the socket's address counts: X-Forwarded-For is whatever the client wrote. A proxy on the same
    machine connects from 127.0.0.1 too, so a request carrying any proxy header is treated as remote.
    """
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback and not any(header in request.META for header in PROXY_HEADERS)


def details_allowed(request: HttpRequest) -> bool:
    """Admins who passed the second factor in this session, and probes on this machine."""
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_admin and session_verified(user):
        return True
    return is_local_request(request)
