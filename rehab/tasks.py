from celery import shared_task

from rehab.services.daily import missed_check_ins_sweep


@shared_task
def missed_check_ins_alert() -> int:
    """The 24-hour rule's alert for patients who stopped opening the portal; see `missed_check_ins_sweep`."""
    return missed_check_ins_sweep()
