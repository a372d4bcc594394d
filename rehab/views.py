import datetime
from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.services import audit_record_many
from accounts.views import signed_in_user
from careteam.access import audit_staff_access, may_change_plan, patient_record_for_user
from conditions.models import Condition
from portal.numbers import parse_small_int
from rehab import access, outcomes, pain_rules, schedule, selectors, services
from rehab.forms import (
    CheckInForm,
    FlareUpEndForm,
    PainLimitsForm,
    PlanAssignForm,
    PlanChangeForm,
    PlanSettingsForm,
    PrescriptionAddForm,
    PrescriptionForm,
    SessionRateForm,
    StageAdvanceForm,
)
from rehab.models import Exercise, OutcomeMeasure, PlanRevision, RehabPlan, Stage
from rehab.revisions import revision_changes

HOME_CONDITION_SLUG = "hamstring-tendinopathy"
PATIENTS_PER_PAGE = 50


# --- the clinician's workspace --------------------------------------------------------------------------


@login_required
@require_GET
def patient_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not (user.is_clinician or user.is_admin):
        raise Http404
    search = request.GET.get("q", "").strip()[:100]
    stage_raw = request.GET.get("stage", "")
    stage = parse_small_int(stage_raw)
    stage = stage if stage in Stage.values else None
    needs_attention = request.GET.get("attention") == "1"
    patients = selectors.my_patients(user, search=search, stage=stage, needs_attention=needs_attention)
    page = Paginator(patients, PATIENTS_PER_PAGE).get_page(request.GET.get("page"))
    audit_record_many(actor=user, action="patient_list.view", patients=page.object_list, request=request)
    adherence = selectors.recent_adherence(page.object_list)
    for patient in page.object_list:
        patient.adherence = adherence.get(patient.pk)
    return render(
        request,
        "rehab/patient_list.html",
        {
            "page": page,
            "patients": page.object_list,
            "search": search,
            "stage": stage,
            "needs_attention": needs_attention,
            "stages": Stage.choices,
        },
    )


@login_required
@require_GET
def plan_builder(request: HttpRequest, patient_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    patient = patient_record_for_user(user, patient_id)
    audit_staff_access(request, action="rehab.plan.view", patient=patient)
    plan = selectors.active_plan_of(patient)
    context = _builder_context(plan, user) if plan else {}
    if plan is None:
        context["assign_form"] = PlanAssignForm(initial={"start_date": _today(user)})
    return render(
        request,
        "rehab/plan_builder.html",
        {
            **context,
            "patient": patient,
            "plan": plan,
            "past_plans": selectors.past_plans_of(patient),
            "may_edit": may_change_plan(user, patient),
            "templates": selectors.templates_with_items(),
        },
    )


@login_required
@require_POST
def plan_assign(request: HttpRequest, patient_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    patient = patient_record_for_user(user, patient_id)
    if not may_change_plan(user, patient):
        raise Http404
    form = PlanAssignForm(request.POST)
    if form.is_valid():
        condition = get_object_or_404(Condition, slug=HOME_CONDITION_SLUG)
        try:
            plan = services.plan_assign(
                patient=patient,
                template=form.cleaned_data["template"],
                by=user,
                condition=condition,
                start_date=form.cleaned_data["start_date"],
                goals=form.cleaned_data["goals"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit_staff_access(request, action="rehab.plan.assign", patient=patient, obj=plan)
            messages.success(
                request, f"{plan.get_stage_display()} plan assigned to {patient.get_full_name()}."
            )
            return redirect("rehab:plan_builder", patient_id=patient_id)
    audit_staff_access(request, action="rehab.plan.view", patient=patient)
    return render(
        request,
        "rehab/plan_builder.html",
        {
            "patient": patient,
            "plan": None,
            "assign_form": form,
            "past_plans": selectors.past_plans_of(patient),
            "may_edit": True,
            "templates": selectors.templates_with_items(),
        },
        status=400,
    )


def _today(user) -> datetime.date:
    return timezone.localtime(timezone=user.zone).date()


def _builder_context(plan: RehabPlan, user, *, failed_form=None, failed_key: str = "") -> dict:
    """The plan's rows with a dosage form each; `failed_form` stands in for the one sent back with errors."""
    rows = []
    for prescription in selectors.prescriptions_of(plan):
        key = str(prescription.public_id)
        form = (
            failed_form
            if key == failed_key
            else PrescriptionForm.for_prescription(prescription, plan.version)
        )
        rows.append({"item": prescription, "form": form, "open": key == failed_key})
    add_form = failed_form if failed_key == "add" else PrescriptionAddForm(initial={"version": plan.version})
    settings_form = (
        failed_form
        if failed_key == "settings"
        else PlanSettingsForm(
            initial={"version": plan.version, "stage": plan.stage, "status": plan.status, "goals": plan.goals}
        )
    )
    limits_form = (
        failed_form
        if failed_key == "limits"
        else PainLimitsForm(
            initial={
                "version": plan.version,
                "pain_safe_max": plan.pain_safe_max,
                "pain_alert_above": plan.pain_alert_above,
                "load_test_rise_alert": plan.load_test_rise_alert,
            }
        )
    )
    return {
        "plan": plan,
        "rows": rows,
        "add_form": add_form,
        "settings_form": settings_form,
        "settings_open": failed_key == "settings",
        "latest_revision": selectors.latest_revision(plan),
        "limits_form": limits_form,
        "limits_open": failed_key == "limits",
        "flare_up": selectors.open_flare_up(plan),
        "flare_up_form": FlareUpEndForm(),
        "readiness": selectors.readiness_of(plan, _today(plan.patient)),
        "advance_form": StageAdvanceForm(initial={"version": plan.version}, stage=plan.stage),
    }


def _change(
    request: HttpRequest,
    plan_id: UUID,
    *,
    form_class,
    failed_key: str,
    service: Callable[..., PlanRevision],
    prescription_id: UUID | None = None,
    **extra,
) -> HttpResponse:
    """Validate a change form, call the plan service with its values, and answer with the refreshed plan.

    htmx requests get the plan fragment back (so every form on the page carries the new version); others are
    redirected. Bad input answers 400 with the form's errors, an edit against an old version 409.
    """
    user = signed_in_user(request)
    plan = access.plan_for_editor(user, plan_id)
    prescription = access.prescription_in_plan(plan, prescription_id) if prescription_id else None
    if form_class is PrescriptionForm and prescription is not None:
        form = PrescriptionForm.for_prescription(prescription, plan.version, data=request.POST)
    else:
        form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            revision = service(
                plan=plan,
                by=user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                **({"prescription": prescription} if prescription else {}),
                **form.changes(),
                **extra,
            )
        except services.PlanConflict as conflict:
            messages.error(request, str(conflict))
            plan.refresh_from_db()
            return _plan_response(request, plan, user, status=409)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            audit_staff_access(request, action="rehab.plan.change", patient=plan.patient, obj=revision)
            messages.success(request, f"Saved as revision {revision.number}: {revision.summary}")
            return _plan_response(request, plan, user)
    return _plan_response(request, plan, user, failed_form=form, failed_key=failed_key, status=status)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _plan_response(request, plan, user, *, failed_form=None, failed_key="", status=200) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        if status != 200:
            audit_staff_access(request, action="rehab.plan.view", patient=plan.patient, obj=plan)
        context = _builder_context(plan, user, failed_form=failed_form, failed_key=failed_key)
        context["focus"] = request.POST.get("focus", "")  # the control to put the keyboard focus back on
        context["swapped_in"] = True
        return render(request, "rehab/_plan_items.html", {**context, "may_edit": True}, status=status)
    if status == 200:
        return redirect("rehab:plan_builder", patient_id=plan.patient.patient_profile.public_id)
    context = _builder_context(plan, user, failed_form=failed_form, failed_key=failed_key)
    return _builder_page(request, plan, context, status=status)


def _builder_page(request, plan: RehabPlan, context: dict, *, status: int) -> HttpResponse:
    """The whole plan page again after a write that failed: it shows the record, so it is audited too."""
    audit_staff_access(request, action="rehab.plan.view", patient=plan.patient, obj=plan)
    return render(
        request,
        "rehab/plan_builder.html",
        {
            **context,
            "patient": plan.patient,
            "may_edit": True,
            "past_plans": selectors.past_plans_of(plan.patient),
        },
        status=status,
    )


@login_required
@require_POST
def prescription_update(request: HttpRequest, plan_id: UUID, prescription_id: UUID) -> HttpResponse:
    return _change(
        request,
        plan_id,
        form_class=PrescriptionForm,
        failed_key=str(prescription_id),
        service=services.prescription_update,
        prescription_id=prescription_id,
    )


@login_required
@require_POST
def prescription_add(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    return _change(
        request, plan_id, form_class=PrescriptionAddForm, failed_key="add", service=services.prescription_add
    )


@login_required
@require_POST
def prescription_remove(request: HttpRequest, plan_id: UUID, prescription_id: UUID) -> HttpResponse:
    return _change(
        request,
        plan_id,
        form_class=PlanChangeForm,
        failed_key=str(prescription_id),
        service=services.prescription_remove,
        prescription_id=prescription_id,
    )


@login_required
@require_POST
def prescription_move(
    request: HttpRequest, plan_id: UUID, prescription_id: UUID, direction: str
) -> HttpResponse:
    offset = {"up": -1, "down": 1}.get(direction)
    if offset is None:
        raise Http404
    return _change(
        request,
        plan_id,
        form_class=PlanChangeForm,
        failed_key=str(prescription_id),
        service=services.prescription_move,
        prescription_id=prescription_id,
        offset=offset,
    )


@login_required
@require_POST
def plan_settings(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    return _change(
        request, plan_id, form_class=PlanSettingsForm, failed_key="settings", service=services.plan_update
    )


@login_required
@require_GET
def plan_history(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    plan = access.plan_for_staff(user, plan_id)
    audit_staff_access(request, action="rehab.plan.history", patient=plan.patient, obj=plan)
    revisions = list(selectors.revisions_of(plan))
    numbers = [revision.number for revision in revisions]
    compare = None
    older_raw, newer_raw = request.GET.get("from", ""), request.GET.get("to", "")
    if older_raw or newer_raw:
        older_number, newer_number = parse_small_int(older_raw), parse_small_int(newer_raw)
        if older_number is None or newer_number is None:
            return HttpResponse("Choose two revisions to compare.", status=400)
        by_number = {revision.number: revision for revision in revisions}
        older, newer = by_number.get(older_number), by_number.get(newer_number)
        if older is None or newer is None:
            raise Http404
        if older.number > newer.number:
            older, newer = newer, older
        compare = {
            "older": older,
            "newer": newer,
            "changes": revision_changes(older.snapshot, newer.snapshot) or ["No differences."],
        }
    return render(
        request,
        "rehab/plan_history.html",
        {"plan": plan, "revisions": revisions, "numbers": numbers, "compare": compare},
    )


@login_required
@require_GET
def plan_print(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    plan = access.plan_for_reader(user, plan_id)
    audit_staff_access(request, action="rehab.plan.print", patient=plan.patient, obj=plan)
    return render(request, "rehab/plan_print.html", _programme(plan, list(selectors.prescriptions_of(plan))))


def _programme(plan: RehabPlan, prescriptions: list) -> dict:
    """What My plan and the printed programme show: during a flare-up, only the flare-up set."""
    flare_up = selectors.open_flare_up(plan)
    if flare_up is not None:
        prescriptions = selectors.flare_up_set_of(prescriptions)
    return {
        "plan": plan,
        "flare_up": flare_up,
        "prescriptions": prescriptions,
        "slots": schedule.slot_groups(prescriptions),
        "latest_revision": selectors.latest_revision(plan),
    }


# --- the patient's side ---------------------------------------------------------------------------------


@login_required
@require_GET
def my_plan(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not user.is_patient:
        raise Http404
    plan = selectors.active_plan_of(user)
    context = _programme(plan, list(plan.prescriptions.all())) if plan is not None else {"plan": None}
    return render(request, "rehab/my_plan.html", context)


@login_required
@require_GET
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise, slug=slug)
    back = {"plan": ("rehab:my_plan", "my plan"), "today": ("rehab:today", "today")}.get(
        request.GET.get("from", "")
    )
    return render(
        request,
        "rehab/exercise_detail.html",
        {"exercise": exercise, "back": back and reverse(back[0]), "back_label": back[1] if back else ""},
    )


# --- the patient's daily loop ---------------------------------------------------------------------------


def _patient_and_plan(request: HttpRequest) -> tuple[User, RehabPlan | None]:
    user = signed_in_user(request)
    if not user.is_patient:
        raise Http404
    return user, selectors.active_plan_of(user)


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except (TypeError, ValueError):
        return None


def _today_context(
    request: HttpRequest,
    user: User,
    plan: RehabPlan,
    *,
    errors: list[str] | None = None,
    rate_form: SessionRateForm | None = None,
    check_in_form: CheckInForm | None = None,
) -> dict:
    now = timezone.now()
    today = now.astimezone(user.zone).date()
    flare_up = selectors.open_flare_up(plan)
    prescriptions = list(plan.prescriptions.all())
    items = selectors.flare_up_set_of(prescriptions) if flare_up else prescriptions
    logged = selectors.sessions_logged_on(plan, today)
    day = schedule.day_plan(items, now=now, zone=user.zone, logged=set(logged))
    chosen = parse_small_int(request.GET.get("slot", ""))
    shown = day.due_now
    if chosen is not None and chosen in day.open_indexes():
        shown = next(session for session in day.sessions if session.index == chosen)
    unrated = [session for session in logged.values() if not session.is_rated]
    # A session done but not rated yesterday is still asked about, so its pain reaches the rules.
    to_rate = (
        max(unrated, key=lambda session: session.logged_at)
        if unrated
        else selectors.unrated_session_on(plan, today - datetime.timedelta(days=1))
    )
    just_rated = None
    logged_id = _uuid_or_none(request.GET.get("logged", ""))
    if logged_id is not None:
        found = plan.sessions.filter(public_id=logged_id, rated_at__isnull=False).first()
        if found is not None:
            found.plan = plan
            just_rated = (found, services.session_outcome(found))
    just_checked = None
    checked_id = _uuid_or_none(request.GET.get("checked", ""))
    if checked_id is not None:
        check_in = plan.check_ins.filter(public_id=checked_id).first()
        if check_in is not None:
            check_in.plan = plan
            just_checked = (check_in, services.check_in_outcome(check_in))
    return {
        "plan": plan,
        "today": today,
        "flare_up": flare_up,
        "day": day,
        "shown": shown,
        "done_rows": [(session, logged[session.index]) for session in day.done],
        "to_rate": to_rate,
        "rate_form": rate_form or SessionRateForm(),
        "just_rated": just_rated,
        "just_checked": just_checked,
        "check_in_wanted": check_in_form is not None or selectors.check_in_wanted(plan, today),
        "check_in_form": check_in_form or CheckInForm(initial={"day": today}),
        "due_outcomes": selectors.due_outcomes(plan, today),
        "errors": errors or [],
        "scale": range(11),
        "flare_up_has_items": bool(items) if flare_up else True,
    }


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    user, plan = _patient_and_plan(request)
    if plan is None:
        return render(request, "rehab/today.html", {"plan": None})
    return render(request, "rehab/today.html", _today_context(request, user, plan))


def _today_400(request: HttpRequest, user: User, plan: RehabPlan, errors: list[str], **forms) -> HttpResponse:
    return render(
        request, "rehab/today.html", _today_context(request, user, plan, errors=errors, **forms), status=400
    )


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _parse_day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@login_required
@require_POST
def today_session_log(request: HttpRequest) -> HttpResponse:
    user, plan = _patient_and_plan(request)
    if plan is None:
        raise Http404
    errors = []
    slot, day = parse_small_int(request.POST.get("slot", "")), _parse_day(request.POST.get("day", ""))
    if slot is None:
        errors.append("Choose the session you did.")
    if day is None:
        errors.append("The date of the session is missing or not a date.")
    done: dict[int, int] | None = None
    if request.POST.get("action") != "all":
        done = {}
        for raw in request.POST.getlist("done"):
            public_id = _uuid_or_none(raw)
            if public_id is None:
                raise Http404
            prescription = access.prescription_in_plan(plan, public_id)
            sets = parse_small_int(
                request.POST.get(f"sets-{public_id}", "").strip() or str(prescription.sets)
            )
            if sets is None:
                errors.append(f"{prescription.exercise.name}: sets done must be a whole number.")
                continue
            done[prescription.pk] = sets
    if errors or day is None or slot is None:
        return _today_400(request, user, plan, errors)
    try:
        services.session_log(plan=plan, patient=user, day=day, slot=slot, done=done)
    except ValidationError as error:
        return _today_400(request, user, plan, _messages_of(error))
    messages.success(request, "Saved. Now say how it went: it takes ten seconds.")
    return redirect(f"{reverse('rehab:today')}#rate")


@login_required
@require_POST
def today_session_rate(request: HttpRequest, session_id: UUID) -> HttpResponse:
    user, plan = _patient_and_plan(request)
    session = access.session_of_patient(user, session_id)
    if plan is None or session.plan_id != plan.pk:
        raise Http404
    form = SessionRateForm(request.POST)
    if not form.is_valid():
        return _today_400(request, user, plan, [], rate_form=form)
    try:
        services.session_rate(session=session, patient=user, **form.cleaned_data)
    except ValidationError as error:
        return _today_400(request, user, plan, _messages_of(error), rate_form=form)
    return redirect(f"{reverse('rehab:today')}?logged={session.public_id}#suggestion")


@login_required
@require_POST
def today_check_in(request: HttpRequest) -> HttpResponse:
    user, plan = _patient_and_plan(request)
    if plan is None:
        raise Http404
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _today_400(request, user, plan, [], check_in_form=form)
    try:
        check_in, _ = services.check_in_record(plan=plan, patient=user, **form.cleaned_data)
    except ValidationError as error:
        return _today_400(request, user, plan, _messages_of(error), check_in_form=form)
    return redirect(f"{reverse('rehab:today')}?checked={check_in.public_id}#check-in-result")


@login_required
@require_POST
def today_flare_up(request: HttpRequest) -> HttpResponse:
    user, plan = _patient_and_plan(request)
    if plan is None:
        raise Http404
    try:
        services.flare_up_start(plan=plan, by=user)
    except ValidationError as error:
        return _today_400(request, user, plan, _messages_of(error))
    messages.info(request, "Flare-up mode is on. Your care team has been told.")
    return redirect("rehab:today")


@login_required
@require_GET
def my_progress(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not user.is_patient:
        raise Http404
    plan = selectors.active_plan_of(user) or selectors.plans_of(user).first()
    context: dict = {"patient": user, "plan": plan, "own": True}
    if plan is not None:
        context["progress"] = selectors.progress_of(plan, _today(user))
    return render(request, "rehab/progress.html", context)


@login_required
@require_GET
def patient_progress(request: HttpRequest, patient_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    patient = patient_record_for_user(user, patient_id)
    audit_staff_access(request, action="rehab.progress.view", patient=patient)
    plan = selectors.active_plan_of(patient) or selectors.plans_of(patient).first()
    context: dict = {"patient": patient, "plan": plan, "own": False}
    if plan is not None:
        context["progress"] = selectors.progress_of(plan, _today(patient))
    return render(request, "rehab/progress.html", context)


# --- outcome measures -----------------------------------------------------------------------------------

OUTCOME_SLUGS = {
    "visa-h": outcomes.OutcomeKind.VISA_H,
    "psfs": outcomes.OutcomeKind.PSFS,
    "pain-rating": outcomes.OutcomeKind.PAIN_RATING,
}


@login_required
@require_GET
def my_outcomes(request: HttpRequest) -> HttpResponse:
    user, plan = _patient_and_plan(request)
    today = _today(user)
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


@login_required
def outcome_form(request: HttpRequest, kind_slug: str) -> HttpResponse:
    user = signed_in_user(request)
    kind = OUTCOME_SLUGS.get(kind_slug)
    if not user.is_patient or kind is None:
        raise Http404
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    errors: dict[str, list[str]] = {}
    status = 200
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            measure = services.outcome_record(
                patient=user, kind=kind, answers=_outcome_answers(kind, request.POST)
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


# --- the clinician's side of the daily loop --------------------------------------------------------------


@login_required
@require_GET
def pain_rules_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not (user.is_clinician or user.is_admin):
        raise Http404
    return render(
        request,
        "rehab/pain_rules.html",
        {
            "rule_groups": [
                ("After a session", [rule for rule in pain_rules.RULES if rule.applies_to == "session"]),
                (
                    "After a morning check-in",
                    [rule for rule in pain_rules.RULES if rule.applies_to == "check_in"],
                ),
            ],
            "sources": pain_rules.SOURCES,
            "defaults": pain_rules.Thresholds(),
        },
    )


def _builder_error(request, plan: RehabPlan, user: User, **forms) -> HttpResponse:
    return _builder_page(request, plan, {**_builder_context(plan, user), **forms}, status=400)


@login_required
@require_POST
def flare_up_end(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    flare_up = access.open_flare_up_for_editor(user, plan_id)
    plan = flare_up.plan
    form = FlareUpEndForm(request.POST)
    if form.is_valid():
        try:
            services.flare_up_end(flare_up=flare_up, by=user, note=form.cleaned_data["note"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            audit_staff_access(request, action="rehab.flare_up.end", patient=plan.patient, obj=flare_up)
            messages.success(request, "Flare-up mode ended. The patient sees the whole plan again.")
            return redirect("rehab:plan_builder", patient_id=plan.patient.patient_profile.public_id)
    return _builder_error(request, plan, user, flare_up_form=form)


@login_required
@require_POST
def plan_pain_limits(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    return _change(
        request,
        plan_id,
        form_class=PainLimitsForm,
        failed_key="limits",
        service=services.plan_pain_limits_update,
    )


@login_required
@require_POST
def plan_stage_advance(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    plan = access.plan_for_editor(user, plan_id)
    form = StageAdvanceForm(request.POST, stage=plan.stage)
    if form.is_valid():
        try:
            revision = services.plan_stage_advance(
                plan=plan,
                by=user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                clinician_checks=set(form.cleaned_data.get("clinician_checks", [])),
                today=_today(plan.patient),
            )
        except services.PlanConflict as conflict:
            messages.error(request, str(conflict))
            plan.refresh_from_db()
            return _plan_response(request, plan, user, status=409)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            audit_staff_access(request, action="rehab.plan.advance", patient=plan.patient, obj=revision)
            messages.success(request, f"Moved to {plan.get_stage_display()} (revision {revision.number}).")
            return redirect("rehab:plan_builder", patient_id=plan.patient.patient_profile.public_id)
    return _builder_error(request, plan, user, advance_form=form)
