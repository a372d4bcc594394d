"""Benchmark of the reminder pipeline (prints figures; not a test).

100,000 patients, each with an active plan and an in-app exercise reminder at 08:00 in the same zone, all due
in the same minute. It prints:

1. the seconds `dispatch_due` takes to create all the deliveries and enqueue them (one broker message per
   `pipeline.SEND_BATCH` deliveries); target: 30 s or less on PostgreSQL on a 2-core machine;
2. the send throughput of a real worker through the in-app channel (deliveries a second), against the same
   worker running no-op tasks (`celery.accumulate`, one per message) on the same Redis, as a ratio; target:
   50 % or more. Both are timed from the moment the worker starts consuming a queue filled beforehand.

Run both databases on a throwaway PostgreSQL and Redis with `bash bench/reminders.sh`, or one database by
hand on an EMPTY database and a Redis of its own (the bench empties its queue):

    DATABASE_URL=postgres://USER@HOST:PORT/NAME REDIS_URL=redis://127.0.0.1:PORT/0 DEBUG=true \
        SECRET_KEY=bench .venv/bin/python bench/reminders_load.py [--schedules 100000] [--send-sample 10000]
"""

import argparse
import datetime
import os
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from conditions.models import Condition  # noqa: E402
from portal.celery import app  # noqa: E402
from portal.health import redis_client  # noqa: E402
from rehab.models import PlanStatus, RehabPlan  # noqa: E402
from reminders.models import Delivery, DeliveryStatus, ReminderSettings, ReminderTime  # noqa: E402
from reminders.services import pipeline  # noqa: E402

ZONE = "Europe/London"
IDLE_QUEUE = "bench-idle"
QUEUE = "celery"
NOOP_TASK = "celery.accumulate"  # a Celery built-in that returns its arguments: a task that does nothing


def make_schedules(count: int) -> None:
    """`count` patients with an active plan, in-app reminders only, and one reminder at 08:00 every day,
    written in bulk (not timed)."""
    unusable = make_password(None)  # nobody signs in as these people
    clinician = User.objects.create(
        email="bench-clinician@example.test", role=Role.CLINICIAN, password=unusable
    )
    condition = Condition.objects.create(
        name="Bench condition",
        slug="bench",
        summary="-",
        content_date=datetime.date(2026, 1, 1),
        published=True,
    )
    patients = User.objects.bulk_create(
        [
            User(email=f"bench{n}@example.test", role=Role.PATIENT, time_zone=ZONE, password=unusable)
            for n in range(count)
        ],
        batch_size=5000,
    )
    RehabPlan.objects.bulk_create(
        [
            RehabPlan(
                patient=patient,
                condition=condition,
                stage=1,
                start_date=datetime.date(2026, 1, 5),
                lead_clinician=clinician,
                status=PlanStatus.ACTIVE,
            )
            for patient in patients
        ],
        batch_size=5000,
    )
    ReminderSettings.objects.bulk_create(
        [ReminderSettings(user=patient, email=False, default_times_made=True) for patient in patients],
        batch_size=5000,
    )
    ReminderTime.objects.bulk_create(
        [
            # Set days ago: a time is not due for moments before it existed.
            ReminderTime(
                user=patient,
                time=datetime.time(8),
                weekdays=[0, 1, 2, 3, 4, 5, 6],
                created_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2),
            )
            for patient in patients
        ],
        batch_size=5000,
    )


def start_worker(hostname: str) -> subprocess.Popen:
    """A worker that listens only to an empty queue until told to consume the real one."""
    worker = subprocess.Popen(  # noqa: S603 - our own command line
        [
            sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "WARNING",
            "--hostname", hostname, "-Q", IDLE_QUEUE, "--without-mingle", "--without-gossip",
            "--concurrency", str(settings.CELERY_WORKER_CONCURRENCY),
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[hostname], timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the worker did not come up")
    return worker


def drain(hostname: str, done) -> float:
    """Let the worker consume the queue until `done()`; the seconds it took."""
    started = time.monotonic()
    app.control.add_consumer(QUEUE, destination=[hostname], reply=True)
    while not done():
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    app.control.cancel_consumer(QUEUE, destination=[hostname], reply=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=100_000)
    parser.add_argument("--send-sample", type=int, default=10_000, help="deliveries (and no-ops) timed")
    args = parser.parse_args()

    database = connection.vendor
    print(f"== reminders benchmark on {database}: {args.schedules:,} schedules due in the same minute")
    call_command("migrate", verbosity=0)
    if User.objects.exists():
        raise SystemExit("the database is not empty: give the bench an empty one")
    redis = redis_client()
    redis.delete(QUEUE)

    started = time.monotonic()
    make_schedules(args.schedules)
    print(f"setup (not timed): {time.monotonic() - started:.1f} s")

    zone = zoneinfo.ZoneInfo(ZONE)
    today = datetime.datetime.now(tz=zone).date()
    now = datetime.datetime.combine(today, datetime.time(8, 0, 30), tzinfo=zone)
    started = time.monotonic()
    result = pipeline.dispatch_due(now=now)
    create_seconds = time.monotonic() - started
    queued = redis.llen(QUEUE)
    print(
        f"create and enqueue: {create_seconds:.1f} s for {result.created:,} deliveries "
        f"({result.created / create_seconds:,.0f}/s), {queued:,} broker messages of {pipeline.SEND_BATCH}"
    )

    hostname = f"bench-{os.getpid()}@localhost"
    worker = start_worker(hostname)
    try:
        sample = min(args.send_sample, result.enqueued)
        sent = Delivery.objects.filter(status=DeliveryStatus.SENT)
        in_app_seconds = drain(hostname, lambda: sent.count() >= sample)
        in_app_rate = sent.count() / in_app_seconds
        time.sleep(1)  # let the batches in hand finish
        redis.delete(QUEUE)

        started = time.monotonic()
        with app.connection_for_write() as conn:
            producer = app.amqp.Producer(conn)
            for _ in range(sample):
                app.send_task(NOOP_TASK, args=(), producer=producer)
        enqueue_rate = sample / (time.monotonic() - started)
        noop_seconds = drain(hostname, lambda: redis.llen(QUEUE) == 0 and not redis.hlen("unacked"))
        noop_rate = sample / noop_seconds
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        redis.delete(QUEUE)

    print(f"bare no-op tasks enqueued one at a time: {enqueue_rate:,.0f}/s")
    print(f"in-app sends: {in_app_rate:,.0f} deliveries/s ({sent.count():,} in {in_app_seconds:.1f} s)")
    print(f"no-op tasks:  {noop_rate:,.0f} tasks/s ({sample:,} in {noop_seconds:.1f} s)")
    print(f"in-app throughput / no-op throughput: {in_app_rate / noop_rate:.0%}")


if __name__ == "__main__":
    main()
