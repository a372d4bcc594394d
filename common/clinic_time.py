"""The clinic's calendar: the one source of "today" for decisions that must not follow a user's own zone.

`timezone.localdate()` follows the zone activated for the request, which is the signed-in person's chosen
zone (portal/middleware.py). That is right for showing dates, wrong for deciding access: a clinician could
move "today" a day forward or back by choosing a zone. Care-team membership windows, and anything else that
decides who may see a patient, use the clinic's day instead.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone


def clinic_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.CLINIC_TIME_ZONE)


def clinic_date(moment: datetime.datetime | None = None) -> datetime.date:
    """The clinic's calendar day at `moment` (default: now), whatever zone is active."""
    return timezone.localdate(moment or timezone.now(), clinic_zone())


def clinic_today() -> datetime.date:
    return clinic_date()
