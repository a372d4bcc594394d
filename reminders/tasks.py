"""Thin Celery tasks over `services.pipeline`; they take ids and are safe to run twice (the row is claimed
with a conditional update before anything is sent). Acknowledged late, as every task here (settings)."""

from celery import shared_task
from django.utils import timezone

from reminders.services import pipeline


@shared_task
def dispatch_due() -> None:
    pipeline.dispatch_due(now=timezone.now())


def _retry_later(delivery_id: int, result: pipeline.SendResult) -> None:
    if result.retry_in is None:
        return
    try:
        send_delivery.apply_async((delivery_id,), countdown=result.retry_in, retry=False)
    except Exception:  # the broker went away: the row is pending again, and the sweep will find it
        pipeline.logger.warning("Could not schedule the retry of delivery %s", delivery_id, exc_info=True)


@shared_task
def send_delivery(delivery_id: int) -> None:
    _retry_later(delivery_id, pipeline.delivery_send(delivery_id=delivery_id))


@shared_task
def send_deliveries(delivery_ids: list[int]) -> None:
    """A batch, one broker message for `pipeline.SEND_BATCH` deliveries; every row is still claimed before
    it is sent, so a batch delivered twice, or overlapping a single task, sends each once."""
    for delivery_id, result in pipeline.deliveries_send(delivery_ids=delivery_ids).items():
        _retry_later(delivery_id, result)


@shared_task
def sweep_deliveries() -> None:
    pipeline.deliveries_sweep(now=timezone.now())
