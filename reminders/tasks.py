"""Thin Celery tasks over `services.pipeline`; they take ids and are safe to run twice (the row is claimed
with a conditional update before anything is sent). Acknowledged late, as every task here (settings)."""

from celery import shared_task
from django.utils import timezone

from reminders.services import pipeline


@shared_task
def dispatch_due() -> None:
    pipeline.dispatch_due(now=timezone.now())


def _send(delivery_id: int) -> None:
    result = pipeline.delivery_send(delivery_id=delivery_id)
    if result.retry_in is not None:
        try:
            send_delivery.apply_async((delivery_id,), countdown=result.retry_in, retry=False)
        except Exception:  # the broker went away: the row is pending again, and the sweep will find it
            pipeline.logger.warning("Could not schedule the retry of delivery %s", delivery_id, exc_info=True)


@shared_task
def send_delivery(delivery_id: int) -> None:
    _send(delivery_id)


@shared_task
def send_deliveries(delivery_ids: list[int]) -> None:
    """A batch, one broker message for `pipeline.SEND_BATCH` deliveries; each is claimed on its own."""
    for delivery_id in delivery_ids:
        _send(delivery_id)


@shared_task
def sweep_deliveries() -> None:
    pipeline.deliveries_sweep(now=timezone.now())
