"""Questionnaires: the patient's list of what is due and what they scored, and the forms to fill in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.access import patient_required
from accounts.audit import AuditContext
from accounts.views import signed_in_user
from common.forms import refusals_on
from rehab import outcomes, selectors
from rehab.models import OutcomeMeasure
from rehab.outcome_forms import FORMS
from rehab.services.outcomes import outcome_record

OUTCOME_SLUGS = {
    "visa-h": outcomes.OutcomeKind.VISA_H,
    "psfs": outcomes.OutcomeKind.PSFS,
    "pain-rating": outcomes.OutcomeKind.PAIN_RATING,
}


@login_required
@require_GET
@patient_required
def my_outcomes(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    plan = selectors.active_plan_of(user)
    today = user.local_today()
    history = list(OutcomeMeasure.objects.filter(patient=user).order_by("-taken_on", "-created_at")[:60])
    return render(
        request,
        "rehab/outcomes.html",
        {
            "plan": plan,
            "due": selectors.due_outcomes(plan, today) if plan else [],
            "next_due": outcomes.next_due_date(plan.start_date, today) if plan else None,
            "history": history,
            "slugs": {kind: slug for slug, kind in OUTCOME_SLUGS.items()},
        },
    )


@patient_required
def outcome_form(request: HttpRequest, kind_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    kind = OUTCOME_SLUGS.get(kind_slug)
    if kind is None:
        raise Http404
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    form_class = FORMS[kind]
    extra = {}
    if kind == outcomes.OutcomeKind.PSFS:
        extra["earlier"] = selectors.psfs_activities_to_rate_again(user, user.local_today())
    form = form_class(request.POST, **extra) if request.method == "POST" else form_class(**extra)
    if form.is_bound and form.is_valid():
        with refusals_on(form):
            measure = outcome_record(
                patient=user, kind=kind, answers=form.answers(), audit=AuditContext.of(request)
            )
            messages.success(request, f"Thank you. Your {measure.get_kind_display()} score: {measure.score}.")
            return redirect("rehab:my_outcomes")
    return render(
        request,
        "rehab/outcome_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": outcomes.OutcomeKind(kind).label,
            "wording_note": outcomes.VISA_H_WORDING_NOTE,
            "psfs_max": outcomes.PSFS_MAX_ACTIVITIES,
        },
        status=400 if form.errors else 200,
    )
