from django.http import HttpRequest

from common.addresses import address
from portal.navigation import MY_PATIENTS_URL_NAME, navigation_for


def navigation(request: HttpRequest) -> dict:
    return {
        "navigation": navigation_for(request.user, request.path),
        "my_patients_url": address(MY_PATIENTS_URL_NAME),
    }
