from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.views import signed_in_user
from portal.health import details_allowed, health_report
from rehab.models import PlanStatus, RehabPlan


@login_required
def home(request: HttpRequest) -> HttpResponse:
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
