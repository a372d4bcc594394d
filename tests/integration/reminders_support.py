"""Helpers of the reminders integration tests: patients with due reminders, a worker of their own that a test
may kill, and waiting for the outbox to drain."""

import contextlib
import datetime
import itertools
import os
import signal
import subprocess
import time

import pytest

from portal.celery import app as celery_app
from rehab.services import plans
from reminders.models import Delivery, DeliveryStatus, ReminderTime
from tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    ExerciseFactory,
    PatientFactory,
    PlanTemplateFactory,
    PlanTemplateItemFactory,
    ReminderSettingsFactory,
)
from tests.integration.conftest import start_celery, stop_process

_names = itertools.count()


def patients_with_due_reminders(*, patients: int, times_each: int, now: datetime.datetime) -> None:
    """`patients` patients (UTC, in-app only, a one-exercise plan), each with `times_each` reminders at the
    minutes just before `now`: a dispatch over a window of `times_each + 1` minutes finds them all due."""
    clinician = ClinicianFactory()
    condition = ConditionFactory()
    template = PlanTemplateFactory(stage=1)
    PlanTemplateItemFactory(template=template, exercise=ExerciseFactory(), times_per_day=1)
    minutes = [
        (now - datetime.timedelta(minutes=n + 1)).time().replace(second=0, microsecond=0)
        for n in range(times_each)
    ]
    for _ in range(patients):
        patient = PatientFactory(time_zone="UTC")
        plans.plan_assign(
            patient=patient, template=template, by=clinician, condition=condition, start_date=now.date()
        )
        ReminderSettingsFactory(user=patient, email=False)
        ReminderTime.objects.bulk_create(
            [
                # set the day before: a time is not due for moments before it existed
                ReminderTime(
                    user=patient,
                    time=at,
                    weekdays=[0, 1, 2, 3, 4, 5, 6],
                    created_at=now - datetime.timedelta(days=1),
                )
                for at in minutes
            ]
        )


def start_worker() -> tuple[subprocess.Popen, str]:
    """A real worker on the test database and Redis, one process (the solo pool), so SIGKILL kills all of it.
    Returns once it answers a ping."""
    hostname = f"reminders-{os.getpid()}-{next(_names)}@localhost"
    worker = start_celery(
        "worker", "--pool", "solo", "--hostname", hostname, "--without-mingle", "--without-gossip"
    )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[hostname], timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the Celery worker did not come up:\n{stop_process(worker)}")
    return worker, hostname


@contextlib.contextmanager
def running_worker():
    worker, _ = start_worker()
    try:
        yield worker
    finally:
        if worker.poll() is None:
            stop_process(worker)


def kill(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    stop_process(worker)  # closes its log


def sent_count() -> int:
    return Delivery.objects.filter(status=DeliveryStatus.SENT).count()


def wait_until(condition, *, timeout: float = 90.0, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    return None
