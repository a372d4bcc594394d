from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.views import signed_in_user
from common.page_cache import cache_public_page
from portal.health import details_allowed, health_report
from rehab.models import PlanStatus, RehabPlan


@cache_public_page()
def home(request: HttpRequest) -> HttpResponse:
    """The public landing page for visitors; for a signed-in person, their home (Today for a patient with a
    plan)."""
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html")
    user = signed_in_user(request)
    if user.is_patient and RehabPlan.objects.filter(patient=user, status=PlanStatus.ACTIVE).exists():
        return redirect("rehab:today")
    return render(request, "portal/home.html", {"profile": user.profile})


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    healthy, checks = health_report()
    body: dict = {"status": "ok" if healthy else "failing"}
    if details_allowed(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)
