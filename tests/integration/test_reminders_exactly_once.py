"""Exactly once, with a real worker and the real Redis: whatever is delivered twice, dispatched twice or
killed halfway, every due reminder ends up as one Notification."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from portal import health
from reminders import tasks
from reminders.models import Delivery, DeliveryStatus, Notification, ReminderKind
from reminders.services import pipeline
from tests.integration.reminders_support import (
    kill,
    patients_with_due_reminders,
    queued_batches,
    running_worker,
    sent_count,
    start_worker,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def assert_each_sent_once(expected: int) -> None:
    """Every exercise reminder sent, once: the helper's patients have the other kinds off (kept as skipped
    rows when their moment falls in the window)."""
    exercise = Delivery.objects.filter(kind=ReminderKind.EXERCISE)
    assert not Delivery.objects.exclude(kind=ReminderKind.EXERCISE).exclude(status=DeliveryStatus.SKIPPED)
    statuses = dict(exercise.values_list("status").annotate(n=Count("pk")))
    assert statuses == {DeliveryStatus.SENT: expected}
    assert Notification.objects.count() == expected
    assert Notification.objects.values("delivery").distinct().count() == expected


def test_a_thousand_reminders_are_each_sent_once_though_the_worker_is_killed_halfway():
    now = timezone.now()
    patients_with_due_reminders(patients=10, times_each=100, now=now, apart=True)
    dispatched = pipeline.dispatch_due(now=now, window=datetime.timedelta(minutes=1001))
    assert dispatched.enqueued == 1000

    # Halfway, decided by a lock rather than by timing: the first batch in the queue's second half that
    # holds a patient no earlier batch holds stops at that patient's Notification INSERT (it needs a key
    # share lock on the user row, which this test holds FOR UPDATE), after the batches before it are sent.
    batches = queued_batches()
    assert sum(map(len, batches)) == 1000
    recipients = [
        set(Delivery.objects.filter(pk__in=batch).values_list("recipient_id", flat=True)) for batch in batches
    ]
    seen = set().union(*recipients[: len(batches) // 2])
    stalled = next(
        (index for index in range(len(batches) // 2, len(batches)) if recipients[index] - seen), None
    )
    assert stalled is not None, "every patient is in the first half of the queue: nothing to stall on"
    patient_id = min(recipients[stalled] - set().union(*recipients[:stalled]))

    with transaction.atomic():
        User.objects.select_for_update().get(pk=patient_id)
        worker, _ = start_worker(wait_for_ping=False)
        blocked = wait_until(lambda: _waiting_on_me(), every=0.05)
        sent_before_kill = sent_count()
        sending_at_kill = Delivery.objects.filter(status=DeliveryStatus.SENDING).count()
        kill(worker)
    assert blocked, "the worker never reached the stalled batch"
    assert sent_before_kill == sum(map(len, batches[:stalled]))
    assert sending_at_kill == len(batches[stalled])

    with running_worker():
        # What the killed worker held (its batch, a row left "sending") waits for the sweep, which runs in
        # production every five minutes: here, as if an hour had passed.
        wait_until(
            lambda: Delivery.objects.filter(status=DeliveryStatus.PENDING, claimed_at=None).count() <= 50
        )
        pipeline.deliveries_sweep(now=timezone.now() + datetime.timedelta(hours=1))
        wait_until(lambda: sent_count() == 1000, timeout=120)

    assert_each_sent_once(1000)


def _waiting_on_me() -> bool:
    """Whether another PostgreSQL backend is waiting for a lock this connection holds. Read from pg_locks,
    which is live: pg_stat_activity is a snapshot taken once per transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks"
            " WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
        )
        return cursor.fetchone()[0] > 0


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
    # Exercise reminders only: near 20:00 the patients' evening nudge (switched off) adds skipped rows.
    ids = list(Delivery.objects.filter(kind=ReminderKind.EXERCISE).values_list("pk", flat=True))
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
