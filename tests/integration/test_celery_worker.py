import time

import pytest
from django.db import transaction
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from portal import health
from portal.tasks import record_heartbeat
from tests.integration.conftest import start_celery, stop_process

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return None


def test_a_task_sent_after_commit_runs_on_the_real_worker_through_redis(celery_worker):
    health.redis_client().delete(health.HEARTBEAT_KEY)
    with transaction.atomic():
        transaction.on_commit(record_heartbeat.delay)
        assert health.heartbeat_last_seen() is None
    seen = wait_for(health.heartbeat_last_seen)
    assert seen is not None, "the worker never ran the task"


def test_health_is_200_with_database_redis_and_a_live_worker(client, celery_worker):
    response = client.get(reverse("health"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["worker"]["ok"] is True
    assert any(name.startswith("test-") for name in body["checks"]["worker"]["workers"])


def test_beat_writes_the_declared_schedule_into_the_database_scheduler():
    beat = start_celery("beat", "--pidfile=", "--max-interval", "1")
    try:
        entry = wait_for(lambda: PeriodicTask.objects.filter(name="record-heartbeat").first(), timeout=30)
    finally:
        stop_process(beat)
    assert entry is not None, "beat did not install the schedule"
    assert entry.task == "portal.tasks.record_heartbeat"
    assert entry.interval.every == 60 and entry.enabled
