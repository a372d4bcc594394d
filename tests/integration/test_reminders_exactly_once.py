"""Exactly once, with a real worker and the real Redis: whatever is delivered twice, dispatched twice or
killed halfway, every due reminder ends up as one Notification."""

import datetime
import threading

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from portal import health
from reminders import tasks
from reminders.models import Delivery, DeliveryStatus, Notification
from reminders.services import pipeline
from tests.integration.reminders_support import (
    kill,
    patients_with_due_reminders,
    running_worker,
    sent_count,
    start_worker,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def assert_each_sent_once(expected: int) -> None:
    statuses = dict(Delivery.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses == {DeliveryStatus.SENT: expected}
    assert Notification.objects.count() == expected
    assert Notification.objects.values("delivery").distinct().count() == expected


def test_a_thousand_reminders_are_each_sent_once_though_the_worker_is_killed_halfway():
    now = timezone.now()
    patients_with_due_reminders(patients=10, times_each=100, now=now)
    dispatched = pipeline.dispatch_due(now=now, window=datetime.timedelta(minutes=101))
    assert dispatched.enqueued == 1000

    worker, _ = start_worker()
    sent_before_kill = wait_until(lambda: (n := sent_count()) >= 150 and n, every=0.02)
    kill(worker)
    assert sent_before_kill and sent_before_kill < 1000, "the worker was not killed halfway"

    with running_worker():
        # What the killed worker held (its batch, a row left "sending") waits for the sweep, which runs in
        # production every five minutes: here, as if an hour had passed.
        wait_until(
            lambda: Delivery.objects.filter(status=DeliveryStatus.PENDING, claimed_at=None).count() <= 50
        )
        pipeline.deliveries_sweep(now=timezone.now() + datetime.timedelta(hours=1))
        wait_until(lambda: sent_count() == 1000, timeout=120)

    assert_each_sent_once(1000)


def test_two_dispatchers_at_once_and_every_task_delivered_twice_still_send_each_reminder_once():
    now = timezone.now()
    patients_with_due_reminders(patients=4, times_each=25, now=now)
    start = threading.Barrier(2)

    def dispatch(at: datetime.datetime) -> None:
        try:
            start.wait()
            pipeline.dispatch_due(now=at, window=datetime.timedelta(minutes=26))
        finally:
            connection.close()

    dispatchers = [
        threading.Thread(target=dispatch, args=(now,)),
        threading.Thread(target=dispatch, args=(now + datetime.timedelta(seconds=1),)),
    ]
    for thread in dispatchers:
        thread.start()
    for thread in dispatchers:
        thread.join()
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert len(ids) == 100
    # Every delivery once more on its own and once more in a batch, as a broker may redeliver.
    for delivery_id in ids:
        tasks.send_delivery.delay(delivery_id)
    tasks.send_deliveries.delay(ids)

    with running_worker():
        wait_until(lambda: sent_count() == 100)
        # Let the duplicates run too before counting: the queue empties, then the worker's warm shutdown
        # waits for the task it is running.
        wait_until(lambda: health.redis_client().llen("celery") == 0)

    assert_each_sent_once(100)
