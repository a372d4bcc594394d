"""Questionnaires: the patient's list of what is due and what they scored, and the forms to fill in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.access import patient_required
from accounts.audit import AuditContext
from accounts.views import signed_in_user
from rehab import outcomes, selectors
from rehab.models import OutcomeMeasure
from rehab.services.outcomes import outcome_record
from rehab.views.plans import local_today

OUTCOME_SLUGS = {
    "visa-h": outcomes.OutcomeKind.VISA_H,
    "psfs": outcomes.OutcomeKind.PSFS,
    "pain-rating": outcomes.OutcomeKind.PAIN_RATING,
}


@patient_required
@require_GET
def my_outcomes(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    plan = selectors.active_plan_of(user)
    today = local_today(user)
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


def _outcome_answers(kind: str, data) -> dict:
    if kind == outcomes.OutcomeKind.VISA_H:
        keys = [item.key for item in outcomes.VISA_H_SCALE_ITEMS] + ["q7", "q8"]
        return {key: data.get(key) for key in keys}
    if kind == outcomes.OutcomeKind.PSFS:
        rows = range(1, outcomes.PSFS_MAX_ACTIVITIES + 1)
        return {"activities": [(data.get(f"activity_{n}", ""), data.get(f"rating_{n}", "")) for n in rows]}
    return {"rating": data.get("rating")}


@patient_required
def outcome_form(request: HttpRequest, kind_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    kind = OUTCOME_SLUGS.get(kind_slug)
    if kind is None:
        raise Http404
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    errors: dict[str, list[str]] = {}
    status = 200
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            measure = outcome_record(
                patient=user,
                kind=kind,
                answers=_outcome_answers(kind, request.POST),
                audit=AuditContext.of(request),
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            status = 400
        else:
            messages.success(request, f"Thank you. Your {measure.get_kind_display()} score: {measure.score}.")
            return redirect("rehab:my_outcomes")

    def problems(key: str) -> list[str]:
        return errors.get(key, [])

    visa_items = [
        {
            "key": item.key,
            "label": f"{number}. {item.text}",
            "low": item.low,
            "high": item.high,
            "value": posted.get(item.key, ""),
            "errors": problems(item.key),
        }
        for number, item in enumerate(outcomes.VISA_H_SCALE_ITEMS, start=1)
    ]
    visa_choice_items = [
        {
            "key": item.key,
            "label": f"{number}. {item.text}",
            "choices": item.choices,
            "value": posted.get(item.key, ""),
            "errors": problems(item.key),
        }
        for number, item in ((7, outcomes.VISA_H_ACTIVITY), (8, outcomes.VISA_H_DURATION))
    ]
    psfs_rows = [
        {
            "n": n,
            "activity": posted.get(f"activity_{n}", ""),
            "activity_errors": problems(f"activity_{n}"),
            "rating_name": f"rating_{n}",
            "rating": posted.get(f"rating_{n}", ""),
            "rating_errors": problems(f"rating_{n}"),
            "required": n <= outcomes.PSFS_MIN_ACTIVITIES,
        }
        for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1)
    ]
    return render(
        request,
        "rehab/outcome_form.html",
        {
            "kind": kind,
            "kind_label": outcomes.OutcomeKind(kind).label,
            "error_list": [problem for messages_ in errors.values() for problem in messages_],
            "scale": range(11),
            "visa_items": visa_items,
            "visa_choice_items": visa_choice_items,
            "wording_note": outcomes.VISA_H_WORDING_NOTE,
            "psfs_rows": psfs_rows,
            "pain_value": posted.get("rating", ""),
            "pain_errors": problems("rating"),
        },
        status=status,
    )
