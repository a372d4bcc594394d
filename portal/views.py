from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.views import signed_in_user
from portal.health import health_report
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
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503
    )
