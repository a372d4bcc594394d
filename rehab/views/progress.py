"""How patients are doing: the clinician's caseload, and the charts and readiness of one patient."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import patient_required, staff_required
from accounts.audit import AuditContext, kept_and_audited
from accounts.models import User
from accounts.views import signed_in_user
from careteam.access import patient_record_for_user
from careteam.selectors import record_owner
from common.addresses import url_with_public_id
from common.numbers import parse_small_int
from common.private_page_cache import KeptPage
from rehab import access, fragments, selectors
from rehab.models import Stage
from rehab.panels import progress_panels

PROGRESS_VIEW = "rehab.progress.view"


@login_required
@require_GET
@staff_required
def patient_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    # An admin's list is every patient's, not only those they follow, and is drawn every time.
    kept = KeptPage(
        request,
        of_followed=True,
        query=("q", "stage", "attention", "sort", "page"),
        worth_keeping=not user.is_admin,
    )
    audit = AuditContext.of(request)
    kept_page = kept_and_audited(kept, actor=user, action=access.CASELOAD_VIEW, audit=audit)
    if kept_page is not None:
        return kept_page
    # No name holds a NUL character, and PostgreSQL refuses one in a query's text.
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    stage = parse_small_int(request.GET.get("stage", ""))
    stage = stage if stage in Stage.values else None
    needs_attention = request.GET.get("attention") == "1"
    sort = request.GET.get("sort", "")
    sort = sort if sort in selectors.PATIENT_SORTS else "name"
    asked = request.GET.get("page", "")
    page = access.caseload_page_for_user(
        user,
        asked,
        search=search,
        stage=stage,
        needs_attention=needs_attention,
        sort=sort,
        audit=audit,
    )
    response = render(
        request,
        "rehab/patient_list.html",
        {
            "page": page,
            "patients": _patient_rows(list(page.object_list)),
            "search": search,
            "stage": stage,
            "needs_attention": needs_attention,
            "sort": sort,
            "stages": Stage.choices,
            # A page that does not exist (too high, or not a number) shows the nearest one, and says so.
            "page_missing": asked if asked and asked != str(page.number) else "",
        },
    )
    return kept.keep(response, memo=[patient.pk for patient in page.object_list])


def _patient_rows(patients: list[User]) -> list[dict]:
    """What each row of "My patients" shows, worked out once here rather than in the template's loop (dicts,
    which a template reads faster than attributes)."""
    adherence = selectors.recent_adherence(patients)
    plan_url = url_with_public_id("rehab:plan_builder")
    record_url = url_with_public_id("careteam:patient_detail")
    rows = []
    for patient in patients:
        public_id = patient.patient_profile.public_id
        rows.append(
            {
                "name": patient.get_full_name(),
                "email": patient.email,
                "plan_stage": patient.plan_stage,  # type: ignore[attr-defined]  # annotated by my_patients
                "adherence": adherence.get(patient.pk),
                "has_open_alerts": patient.has_open_alerts,  # type: ignore[attr-defined]  # by patients_of
                "plan_url": plan_url(public_id),
                "record_url": record_url(public_id),
            }
        )
    return rows


def _progress_page(request: HttpRequest, patient: User, *, own: bool) -> HttpResponse:
    plan = selectors.current_plan_of(patient)
    context: dict = {"patient": patient, "plan": plan, "own": own}
    if not own:
        context["panels"] = progress_panels(viewer=signed_in_user(request), patient=patient)
    if plan is not None:
        today = patient.local_today()
        context["last_day"] = max(today, plan.start_date)
        context["charts"] = fragments.progress_charts(plan, today)
    return render(request, "rehab/progress.html", context)


@login_required
@require_GET
@patient_required
def my_progress(request: HttpRequest) -> HttpResponse:
    kept = KeptPage(request)
    if (served := kept.served()) is not None:
        return served.response
    return kept.keep(_progress_page(request, signed_in_user(request), own=True))


@login_required
@require_GET
def patient_progress(request: HttpRequest, patient_id: UUID) -> HttpResponse:
    kept = KeptPage(request, among=record_owner(patient_id))
    user, audit = signed_in_user(request), AuditContext.of(request)
    kept_page = kept_and_audited(kept, actor=user, action=PROGRESS_VIEW, audit=audit)
    if kept_page is not None:
        return kept_page
    patient = patient_record_for_user(user, patient_id, audit=audit, action=PROGRESS_VIEW)
    return kept.keep(_progress_page(request, patient, own=False), memo=[patient.pk])
