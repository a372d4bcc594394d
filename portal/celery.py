"""The Celery app. Its settings are the CELERY_* names in portal/settings.py."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one place the periodic work is declared. Beat runs django-celery-beat's database scheduler, which
# copies these entries into its tables at start-up; run exactly one beat per installation.
app.conf.beat_schedule = {
    # Every minute the worker notes the time in Redis, so /health/ can tell that beat and a worker are alive.
    "record-heartbeat": {"task": "portal.tasks.record_heartbeat", "schedule": 60.0},
    # Hourly, since a missed next-morning check-in counts once the patient's own day is over, whatever their
    # zone; raising is idempotent, so an extra run changes nothing.
    "rehab-missed-check-ins": {"task": "rehab.tasks.missed_check_ins_alert", "schedule": crontab(minute=20)},
    # Every minute, reminders due in each patient's own zone become deliveries and are enqueued; each run
    # looks back ten minutes, so a missed tick is caught up (a repeat inserts nothing).
    "reminders-dispatch-due": {"task": "reminders.tasks.dispatch_due", "schedule": 60.0},
    # Every five minutes, deliveries left pending or sending (Redis was down, a worker died) are sent again.
    "reminders-sweep-deliveries": {"task": "reminders.tasks.sweep_deliveries", "schedule": 300.0},
}
