import datetime

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from portal.middleware import ActivateTimeZoneMiddleware
from tests.factories import PatientFactory


def zone_seen_by_view(user) -> str:
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = user
    ActivateTimeZoneMiddleware(view)(request)
    return seen["zone"]


@pytest.mark.django_db
def test_pages_use_the_signed_in_persons_time_zone():
    assert zone_seen_by_view(PatientFactory(time_zone="Pacific/Auckland")) == "Pacific/Auckland"


def test_signed_out_visitors_get_the_clinics_time_zone(settings):
    from django.contrib.auth.models import AnonymousUser

    settings.CLINIC_TIME_ZONE = "America/New_York"
    assert zone_seen_by_view(AnonymousUser()) == "America/New_York"


@pytest.mark.django_db
def test_today_is_the_persons_calendar_day_not_the_utc_one():
    late_evening_in_new_york = datetime.datetime(2026, 11, 22, 2, 0, tzinfo=datetime.UTC)
    seen = {}

    def view(request):
        seen["today"] = timezone.localdate(late_evening_in_new_york)
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = PatientFactory(time_zone="America/New_York")
    ActivateTimeZoneMiddleware(view)(request)
    assert seen["today"] == datetime.date(2026, 11, 21)
    assert timezone.get_current_timezone_name() == "UTC"  # deactivated after the response
