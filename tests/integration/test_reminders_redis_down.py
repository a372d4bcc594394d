"""Redis stopped: the portal's pages still answer and reminder settings are saved; reminders due meanwhile
wait in the outbox and are all sent once Redis is back.

"Stopped" is a broker URL where nothing listens (as tests/portal/test_health.py does): the same connection
refused a stopped Redis gives, without stopping the Redis the rest of the suite shares."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.celery import app as celery_app
from reminders.models import Delivery, DeliveryStatus, Notification, ReminderTime
from reminders.services import pipeline
from tests.integration.conftest import closed_port_url
from tests.integration.reminders_support import (
    patients_with_due_reminders,
    running_worker,
    sent_count,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_pages_answer_and_settings_save_while_redis_is_down_and_what_was_due_is_sent_when_it_is_back(
    client, settings, monkeypatch
):
    up_url, up_broker = settings.REDIS_URL, celery_app.conf.broker_url
    now = timezone.now()
    patients_with_due_reminders(patients=4, times_each=5, now=now)
    patient = ReminderTime.objects.first().user
    client.force_login(patient)

    down = closed_port_url()
    settings.REDIS_URL = down
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": down}}
    monkeypatch.setitem(celery_app.conf, "broker_url", down)

    for page in ("rehab:today", "rehab:my_plan", "reminders:preferences", "reminders:notifications"):
        assert client.get(reverse(page)).status_code == 200, page
    saved = client.post(reverse("reminders:time_add"), {"time": "21:15", "weekdays": ["0", "2", "4"]})
    assert saved.status_code == 302
    assert ReminderTime.objects.filter(user=patient, time=datetime.time(21, 15)).exists()

    dispatched = pipeline.dispatch_due(now=now, window=datetime.timedelta(minutes=6))
    # Pending, not created: near 20:00 the patients' evening nudge (switched off) adds skipped rows.
    assert dispatched.enqueued == 20
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING, claimed_at=None).count() == 20

    settings.REDIS_URL = up_url
    monkeypatch.setitem(celery_app.conf, "broker_url", up_broker)
    with running_worker():
        pipeline.deliveries_sweep(now=timezone.now() + datetime.timedelta(minutes=10))
        wait_until(lambda: sent_count() == 20)

    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 20
    assert Notification.objects.count() == 20
