from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.health import health_report


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"profile": _profile(request.user)})


def _profile(user):
    if user.is_patient:
        return getattr(user, "patient_profile", None)
    if user.is_clinician:
        return getattr(user, "clinician_profile", None)
    return None


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    healthy, checks = health_report()
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503
    )
