from django.http import HttpRequest

from portal.navigation import navigation_for


def navigation(request: HttpRequest) -> dict:
    return {"navigation": navigation_for(request.user, request.path)}
