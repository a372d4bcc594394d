"""Liveness of the parts the portal needs: the database, Redis, and at least one Celery worker.

Each check answers quickly (about a second at worst) and never raises, so /health/ itself cannot fail.
"""

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.celery import app as celery_app

HEARTBEAT_KEY = "portal:heartbeat"
CHECK_TIMEOUT_SECONDS = 1.0


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
