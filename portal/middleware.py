import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

# No inline script or style anywhere: every script and stylesheet is a file under /static/.
# Bootstrap's CSS draws a few icons as data: SVG images, hence img-src data:.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


# Browser features the portal never uses are switched off for it and for anything it might embed; the two it
# uses stay with the portal itself: the exercise player keeps the screen awake, and passkeys sign people in.
# interest-cohort and browsing-topics opt the pages out of interest-based advertising (FLoC, Topics).
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "ambient-light-sensor=()",
        "autoplay=()",
        "battery=()",
        "bluetooth=()",
        "browsing-topics=()",
        "camera=()",
        "display-capture=()",
        "document-domain=()",
        "encrypted-media=()",
        "fullscreen=(self)",
        "geolocation=()",
        "gyroscope=()",
        "hid=()",
        "idle-detection=()",
        "interest-cohort=()",
        "local-fonts=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "picture-in-picture=()",
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
        "screen-wake-lock=(self)",
        "serial=()",
        "usb=()",
        "web-share=()",
        "xr-spatial-tracking=()",
    ]
)

# Pages that are private although nobody is signed in yet: sign-in, password reset, Django's admin sign-in.
PRIVATE_URL_NAMESPACES = frozenset({"accounts", "admin"})


class PermissionsPolicyMiddleware:
    """Listed above WhiteNoise, so static files carry the policy too (an SVG opened on its own is a page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def is_private_request(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    match = getattr(request, "resolver_match", None)
    return bool(match and match.namespaces and match.namespaces[0] in PRIVATE_URL_NAMESPACES)


class NoStoreForPrivatePagesMiddleware:
    """No browser or proxy keeps a copy of what a signed-in person sees, nor of the sign-in and password pages
    (ASVS 8.2.1): a shared computer's Back button or disk cache would otherwise show a patient's record to the
    next person at the keyboard.

    It wraps the authentication middleware, so it sees `request.user` and every response below it, the 404
    and 500 pages included. Anonymous public pages (condition articles) and static files keep their caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private_request(request):
            add_never_cache_headers(response)
        return response


class ActivateTimeZoneMiddleware:
    """Dates and "today" follow the signed-in person's time zone, and the clinic's for everyone else.

    The database stores UTC; with the zone active, `timezone.localdate()` and the templates' date filters give
    the person's own calendar day instead of the UTC one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone_name = getattr(user, "time_zone", None) or settings.CLINIC_TIME_ZONE
        timezone.activate(zoneinfo.ZoneInfo(zone_name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
