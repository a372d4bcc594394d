from django.http import HttpRequest
from django.urls import reverse

from portal.navigation import MY_PATIENTS_URL_NAME, navigation_for


def navigation(request: HttpRequest) -> dict:
    return {
        "navigation": navigation_for(request.user, request.path),
        "my_patients_url": reverse(MY_PATIENTS_URL_NAME),
    }
