from celery import shared_task

from portal.health import heartbeat_record


@shared_task
def record_heartbeat() -> None:
    heartbeat_record()
