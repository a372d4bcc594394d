import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import patient_required
from accounts.audit import AuditContext
from accounts.models import User
from careteam.selectors import team_of
from common.page_cache import cache_public_page
from conditions import red_flags, selectors, selfcheck, services
from conditions.access import symptom_check_for_user
from conditions.forms import ConditionSearchForm, SelfCheckForm
from conditions.models import Condition, ResultKind, SectionKind, SymptomCheck

SELF_CHECK_SLUG = "hamstring-tendinopathy"


@require_GET
@cache_public_page(query=("q",))
def condition_list(request: HttpRequest) -> HttpResponse:
    form = ConditionSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "conditions/list.html", {"form": form, "conditions": []}, status=400)
    query = form.cleaned_data["q"]
    conditions = list(selectors.condition_search(user=request.user, query=query))
    return render(request, "conditions/list.html", {"form": form, "query": query, "conditions": conditions})


@require_GET
@cache_public_page()
def condition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    condition = selectors.condition_article(user=request.user, slug=slug)
    return render(request, "conditions/article.html", article_context(condition))


def article_context(condition: Condition, *, preview: bool = False) -> dict:
    sections = list(condition.sections.all())
    return {
        "condition": condition,
        "sections": sections,
        "illustration_in_anatomy": any(section.kind == SectionKind.ANATOMY for section in sections),
        "has_self_check": condition.slug == SELF_CHECK_SLUG,
        "preview": preview,
    }


@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest) -> HttpResponse:
    """Open to everyone; only a signed-in patient's answers are saved."""
    patient = request.user if isinstance(request.user, User) and request.user.is_patient else None
    if request.method == "GET":
        return _self_check_form(request, SelfCheckForm(), patient=patient)
    form = SelfCheckForm(request.POST)
    if not form.is_valid():
        return _self_check_form(request, form, patient=patient, status=400)
    answers = form.answers()
    if patient is not None:
        check = services.symptom_check_record(
            patient=patient, answers=answers, audit=AuditContext.of(request)
        )
        return redirect(check)
    return _result(request, result=selfcheck.assess(answers), answers=answers)


def _self_check_form(
    request: HttpRequest, form: SelfCheckForm, *, patient: User | None, status: int = 200
) -> HttpResponse:
    earlier = selectors.symptom_checks_of(patient=patient) if patient is not None else []
    return render(request, "conditions/self_check.html", {"form": form, "earlier": earlier}, status=status)


@login_required
@require_GET
@patient_required
def self_check_result(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    check = symptom_check_for_user(user=request.user, public_id=public_id)
    result = selfcheck.result_from_record(
        red_flags=check.red_flags,
        severity=check.severity,
        score=check.score,
        no_grade_reason=selfcheck.no_grade_reason(check.answers)
        if check.result_kind == ResultKind.ASSESS
        else "",
    )
    return _result(request, result=result, answers=check.answers, check=check)


def _result(
    request: HttpRequest,
    *,
    result: selfcheck.SelfCheckResult,
    answers: dict,
    check: SymptomCheck | None = None,
) -> HttpResponse:
    hint_slug = "" if result.has_red_flags else selfcheck.location_hint(answers)
    hint = Condition.objects.filter(slug=hint_slug, published=True).first() if hint_slug else None
    team_alerted = check is not None and check.has_red_flags and team_of(check.patient).exists()
    return render(
        request,
        "conditions/self_check_result.html",
        {
            "result": result,
            "urgency_advice": red_flags.URGENCY_ADVICE.get(result.urgency) if result.urgency else None,
            "check": check,
            "location_hint": hint,
            "team_alerted": team_alerted,
        },
    )
