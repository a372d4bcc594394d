"""Helpers of the reminders integration tests: patients with due reminders, a worker of their own that a test
may kill, and waiting for the outbox to drain."""

import base64
import contextlib
import datetime
import itertools
import json
import os
import signal
import subprocess
import time

import pytest

from portal import health
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


def patients_with_due_reminders(
    *, patients: int, times_each: int, now: datetime.datetime, apart: bool = False
) -> None:
    """`patients` patients (UTC, in-app exercise reminders only, a one-exercise plan), each with `times_each`
    reminders at the minutes just before `now`: a dispatch over a window of `times_each + 1` minutes finds
    them all due.
    With `apart`, each patient has minutes of their own (a window of `patients * times_each + 1` minutes),
    so the outbox batches, taken in time order, hold one patient or two."""
    clinician = ClinicianFactory()
    condition = ConditionFactory()
    template = PlanTemplateFactory(stage=1)
    PlanTemplateItemFactory(template=template, exercise=ExerciseFactory(), times_per_day=1)
    for index in range(patients):
        first = index * times_each if apart else 0
        minutes = [
            (now - datetime.timedelta(minutes=n + 1)).time().replace(second=0, microsecond=0)
            for n in range(first, first + times_each)
        ]
        patient = PatientFactory(time_zone="UTC")
        plans.plan_assign(
            patient=patient, template=template, by=clinician, condition=condition, start_date=now.date()
        )
        # exercise reminders only: the evening nudge and the questionnaires may fall in a long window too
        ReminderSettingsFactory(user=patient, email=False, nudge_on=False, questionnaire_on=False)
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


def queued_batches() -> list[list[int]]:
    """The delivery ids of the `send_deliveries` tasks waiting in Redis, in the order a worker takes them
    (kombu pushes on the left and pops on the right)."""
    batches = []
    for raw in reversed(health.redis_client().lrange("celery", 0, -1)):
        message = json.loads(raw)
        if message["headers"]["task"].endswith("send_deliveries"):
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            batches.append(args[0])
    return batches


def start_worker(*, wait_for_ping: bool = True) -> tuple[subprocess.Popen, str]:
    """A real worker on the test database and Redis, one process (the solo pool), so SIGKILL kills all of it.
    Returns once it answers a ping (a solo worker answers only between tasks, so a test that will block
    its first task does not wait)."""
    hostname = f"reminders-{os.getpid()}-{next(_names)}@localhost"
    worker = start_celery(
        "worker", "--pool", "solo", "--hostname", hostname, "--without-mingle", "--without-gossip"
    )
    if not wait_for_ping:
        return worker, hostname
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
