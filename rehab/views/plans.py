"""The clinician's plan builder (assign, change, advance, end a flare-up, history, print) and the patient's
own programme (My plan, an exercise's page)."""

import dataclasses
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import patient_required
from accounts.audit import AuditContext, kept_and_audited
from accounts.views import signed_in_user
from careteam.access import patient_for_plan_editor, patient_record_with_permissions_for_user
from careteam.selectors import record_owner
from common.addresses import reverse_each
from common.forms import add_service_errors, plain_fields_of
from common.numbers import parse_small_int
from common.private_page_cache import KeptPage
from conditions.models import Condition
from rehab import access, holds, schedule, selectors
from rehab.forms import (
    ExerciseSearchForm,
    FlareUpEndForm,
    PainLimitsForm,
    PlanAssignForm,
    PlanChangeForm,
    PlanSettingsForm,
    PrescriptionAddForm,
    PrescriptionForm,
    StageAdvanceForm,
    dosage_reasons,
)
from rehab.models import Exercise, PlanRevision, RehabPlan
from rehab.revisions import revision_changes
from rehab.screening_forms import HoldReleaseForm
from rehab.services import daily, plans, progress, screening
from rehab.views import screening as screening_views

HOME_CONDITION_SLUG = "hamstring-tendinopathy"
BUILDER_VIEW = "rehab.plan.view"


SEARCH_RESULTS_ID = "exercise-search-results"


@login_required
@require_GET
def plan_builder(request: HttpRequest, patient_id: UUID) -> HttpResponse:
    """The plan and its forms; the library search is this page's query (`ExerciseSearchForm`), and an htmx
    search that targets the results gets only them back. A search value the form does not know is a 400."""
    kept = KeptPage(request, among=record_owner(patient_id), query=tuple(ExerciseSearchForm.base_fields))
    user, audit = signed_in_user(request), AuditContext.of(request)
    kept_page = kept_and_audited(kept, actor=user, action=BUILDER_VIEW, audit=audit)
    if kept_page is not None:
        return kept_page
    patient, permissions = patient_record_with_permissions_for_user(
        user, patient_id, audit=audit, action=BUILDER_VIEW
    )
    plan = selectors.active_plan_of(patient)
    may_edit = permissions.change_plan
    context = (
        _builder_context(plan, prescriptions=list(plan.prescriptions.all()), search_data=request.GET)
        if plan
        else {}
    )
    status = 400 if plan and context["results"] is None else 200
    if plan is None:
        context["assign_form"] = PlanAssignForm(initial={"start_date": user.local_today()})
    elif _htmx_target(request) == SEARCH_RESULTS_ID:
        return render(
            request, "rehab/_exercise_search_results.html", {**context, "may_edit": may_edit}, status=status
        )
    response = render(
        request,
        "rehab/plan_builder.html",
        {
            **context,
            "patient": patient,
            "plan": plan,
            "past_plans": selectors.past_plans_of(patient),
            "may_edit": may_edit,
            "templates": selectors.templates_with_items(),
        },
        status=status,
    )
    return kept.keep(response, memo=[patient.pk])


@login_required
@require_POST
def plan_assign(request: HttpRequest, patient_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    audit = AuditContext.of(request)
    patient = patient_for_plan_editor(user, patient_id, audit=audit)
    form = PlanAssignForm(request.POST)
    if form.is_valid():
        condition = get_object_or_404(Condition, slug=HOME_CONDITION_SLUG)
        try:
            plan = plans.plan_assign(
                patient=patient,
                template=form.cleaned_data["template"],
                by=user,
                condition=condition,
                start_date=form.cleaned_data["start_date"],
                goals=form.cleaned_data["goals"],
                audit=audit,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{plan.get_stage_display()} plan assigned to {patient.get_full_name()}."
            )
            return redirect("rehab:plan_builder", patient_id=patient_id)
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


@dataclasses.dataclass
class SearchResult:
    """An exercise found by the library search, with the reason its add form starts with, and the reason's
    errors when its addition was just refused."""

    exercise: Exercise
    in_plan: bool
    reason: str
    address: str  # the exercise's page
    thumbnail: str  # the address of its illustration, or empty
    badges: list[str]  # its stages, compression, muscles, position, and whether it is a hold
    reason_errors: list[str] = dataclasses.field(default_factory=list)

    @classmethod
    def of(cls, exercise: Exercise, *, in_plan: bool, reason: str, address: str) -> "SearchResult":
        stages = exercise.stages
        badges = [
            f"Stage{'' if len(stages) == 1 else 's'} {', '.join(str(stage) for stage in stages)}",
            f"{exercise.get_hip_flexion_display()} compression",
            exercise.get_target_display(),
        ]
        if exercise.position:
            badges.append(exercise.get_position_display())
        if exercise.is_isometric:
            badges.append("Hold")
        thumbnail = static(exercise.illustration) if exercise.illustration else ""
        return cls(exercise, in_plan, reason, address=address, thumbnail=thumbnail, badges=badges)


def _addresses(name: str, *, each: str, stand_in, **kwargs) -> Callable[[object], str]:
    """`reverse_each` for the URL argument `each` of `name`."""
    return reverse_each(name, stand_in, kwargs={**kwargs, each: stand_in})


_NO_PRESCRIPTION = UUID(int=0)
_NO_EXERCISE = "no-exercise"


def _reason_box(form: PlanChangeForm) -> dict:
    """The remove form's reason box as _plan_items.html draws it."""
    reason = form["reason"]
    return {
        "value": reason.value() or "",
        "required": reason.field.required,
        "errors": list(reason.errors),
        "non_field_errors": list(form.non_field_errors()),
    }


def _builder_context(
    plan: RehabPlan, *, prescriptions=None, failed_form=None, failed_key: str = "", search_data=None
) -> dict:
    """The plan's rows with a dosage form each, the library search, and the builder's other forms.

    A plan has many rows, so what they show is worked out here once, not in the template's loop: each
    dosage form's values and errors (`PrescriptionForm.plain_fields`), the rows' addresses (one reverse
    each kind), the exercise's name.

    `failed_form` stands in for the form of `failed_key` that was sent back with errors: a prescription's
    id (its dosage), that id with -remove or -move, or add, settings, limits, advance, flare_up.
    `search_data` is the search's query (or the fields an add form carried along); `results` is None when a
    value in it is not one the search knows. `prescriptions` are the plan's, as `prescriptions_of` orders
    them, when the caller has them already (read afresh otherwise: after a change they must be).
    """
    if prescriptions is None:
        prescriptions = list(selectors.prescriptions_of(plan))
    flare_up, after_flare_up = selectors.flare_up_state(plan)
    in_flare_up = selectors.flare_up_set_of(prescriptions, plan=plan) if flare_up else []
    flare_up_set = {item.public_id for item in in_flare_up}
    reason_required = {"reason_required": plan.is_active}
    version = {"version": plan.version}
    reasons = dosage_reasons(pain_safe_max=plan.pain_safe_max, after_flare_up=after_flare_up)
    unchanged_remove = _reason_box(PlanChangeForm(initial=version, removing=True, **reason_required))
    on_plan: dict[str, Any] = {
        "plan_id": plan.public_id,
        "each": "prescription_id",
        "stand_in": _NO_PRESCRIPTION,
    }
    addresses = {
        "update": _addresses("rehab:prescription_update", **on_plan),
        "remove": _addresses("rehab:prescription_remove", **on_plan),
        "up": _addresses("rehab:prescription_move", direction="up", **on_plan),
        "down": _addresses("rehab:prescription_move", direction="down", **on_plan),
    }
    exercise_address = _addresses("rehab:exercise_detail", each="slug", stand_in=_NO_EXERCISE)
    rows = []
    for prescription in prescriptions:
        key = str(prescription.public_id)
        failed = {f"{key}{part}": part for part in ("", "-remove", "-move")}.get(failed_key)
        rows.append(
            {
                "item": prescription,
                "key": key,
                "name": prescription.exercise.name,
                "dosage": PrescriptionForm.plain_fields(
                    prescription,
                    plan,
                    after_flare_up=after_flare_up,
                    reasons=reasons,
                    failed=failed_form if failed == "" else None,
                ),
                "remove": _reason_box(failed_form) if failed == "-remove" else unchanged_remove,
                "move_errors": failed_form.non_field_errors() if failed == "-move" else [],
                "in_flare_up_set": prescription.public_id in flare_up_set,
                "open": failed in ("", "-remove"),
                "addresses": {name: address(key) for name, address in addresses.items()},
                "exercise_address": exercise_address(prescription.exercise.slug),
                "focus_up": f"{key}-up",
                "focus_down": f"{key}-down",
            }
        )
    add_failed = failed_form if failed_key == "add" else None
    forms = {
        "settings": PlanSettingsForm.for_plan(plan),
        "limits": PainLimitsForm(
            initial={**version, **{name: getattr(plan, name) for name in plans.PAIN_LIMIT_FIELDS}},
            **reason_required,
        ),
        "flare_up": FlareUpEndForm(),
        "advance": StageAdvanceForm(initial=version, stage=plan.stage),
    }
    hold = holds.plan_hold_of(plan.patient)
    if hold is not None:
        forms["hold"] = HoldReleaseForm.for_hold(hold, plan.version)
    if failed_key in forms:
        forms[failed_key] = failed_form
    for name, form in forms.items():
        form.auto_id = f"{name}-%s"  # one page, several forms with a reason: ids of their own
    return {
        "plan": plan,
        "plan_version": str(plan.version),  # written in every row's forms
        "rows": rows,
        **{f"{name}_form": form for name, form in forms.items()},
        "settings_fields": plain_fields_of(forms["settings"]),
        **_library_search(plan, prescriptions, search_data or {}, flare_up=flare_up, add_failed=add_failed),
        "settings_open": failed_key == "settings",
        "limits_open": failed_key == "limits",
        "latest_revision": selectors.latest_revision(plan),
        "flare_up": flare_up,
        "hold": hold,
        "readiness": selectors.readiness_of(plan, plan.patient.local_today()),
    }


def _library_search(plan: RehabPlan, prescriptions: list, search_data, *, flare_up, add_failed) -> dict:
    """The search form and its results (None for a value the search does not know), each result with the
    reason its add form starts with; a refused addition's reason and errors go beside its result, or above
    the results when it is not among them."""
    search_form = ExerciseSearchForm.for_plan(plan, search_data)
    filters = search_form.filters()
    in_plan = {prescription.exercise_id for prescription in prescriptions}
    reason = PrescriptionAddForm.reason_for(in_flare_up=flare_up is not None)
    results = None
    if filters is not None:
        address = _addresses("rehab:exercise_detail", each="slug", stand_in=_NO_EXERCISE)
        results = [
            SearchResult.of(
                exercise, in_plan=exercise.pk in in_plan, reason=reason, address=address(exercise.slug)
            )
            for exercise in selectors.exercises_matching(**filters)
        ]
    add_errors = []
    if add_failed is not None:
        sent = str(add_failed.data.get("exercise", ""))
        failed_result = next((result for result in results or [] if str(result.exercise.pk) == sent), None)
        if failed_result is not None and add_failed.has_error("reason"):
            failed_result.reason = add_failed["reason"].value()
            failed_result.reason_errors = add_failed.errors["reason"]
        add_errors = [
            error
            for name, errors in add_failed.errors.items()
            if not (name == "reason" and failed_result is not None)
            for error in errors
        ]
    return {
        "search_form": search_form,
        "search_fields": plain_fields_of(search_form),
        "add_address": reverse("rehab:prescription_add", kwargs={"plan_id": plan.public_id}),
        "search_kept": search_form.kept(),
        "results": results,
        "search_results_id": SEARCH_RESULTS_ID,
        "add_errors": add_errors,
    }


def _htmx_target(request: HttpRequest) -> str:
    """The id of the element an htmx request will swap its answer into; empty for other requests."""
    return request.headers.get("HX-Target", "") if request.headers.get("HX-Request") == "true" else ""


def _plan_response(request, plan, *, failed_form=None, failed_key="", status=200) -> HttpResponse:
    """htmx requests get the plan fragment back (so every form on the page carries the new version); others
    are redirected after a save (to the same library search, after an addition), or shown the whole page
    again after a refusal."""
    context: dict = {"may_edit": True}
    built = {"failed_form": failed_form, "failed_key": failed_key, "search_data": request.POST}
    if request.headers.get("HX-Request") == "true":
        if not any(name in request.POST for name in ExerciseSearchForm.base_fields):
            # Only the add forms carry the search along; for the others it is in the page's address.
            built["search_data"] = QueryDict(urlsplit(request.headers.get("HX-Current-URL", "")).query)
        context |= _builder_context(plan, **built)
        context["focus"] = request.POST.get("focus", "")  # the control to put the keyboard focus back on
        context["swapped_in"] = True
        return render(request, "rehab/_plan_items.html", context, status=status)
    if status == 200:
        url = reverse("rehab:plan_builder", kwargs={"patient_id": plan.patient.patient_profile.public_id})
        search = ExerciseSearchForm.for_plan(plan, request.POST)
        if search.is_bound and search.is_valid():
            url += f"?{urlencode(search.kept())}#exercise-search"
        return redirect(url)
    context |= _builder_context(plan, **built)
    context |= {"patient": plan.patient, "past_plans": selectors.past_plans_of(plan.patient)}
    return render(request, "rehab/plan_builder.html", context, status=status)


class PlanEdit:
    """One change to a plan sent from the builder, and its answer.

    Used as `with edit: edit.saved(service(...), message)`: a saved change answers with the refreshed plan;
    a change the service refused answers 400 with the form's errors, one made against an old version 409
    with the plan as it is now. A form that did not validate answers 400 without calling the service.
    """

    def __init__(self, request: HttpRequest, plan: RehabPlan, form, *, failed_key: str):
        self.request, self.plan, self.form, self.failed_key = request, plan, form, failed_key
        self.user = signed_in_user(request)
        self.audit = AuditContext.of(request)
        self.response: HttpResponse | None = None

    def signed(self) -> plans.Signed:
        data = self.form.cleaned_data
        return plans.Signed(
            by=self.user, reason=data["reason"], expected_version=data["version"], audit=self.audit
        )

    def saved(self, revision: PlanRevision | None, message: str = "") -> None:
        if revision is not None:
            message = message or f"Saved as revision {revision.number}: {revision.summary}"
        messages.success(self.request, message)
        self.response = _plan_response(self.request, self.plan)

    def __enter__(self) -> "PlanEdit":
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if isinstance(error, plans.PlanConflict):
            messages.error(self.request, str(error))
            self.plan.refresh_from_db()
            self.response = _plan_response(self.request, self.plan, status=409)
            return True
        if isinstance(error, ValidationError):
            add_service_errors(self.form, error)
            return True
        return False

    def answer(self) -> HttpResponse:
        if self.response is not None:
            return self.response
        return _plan_response(
            self.request, self.plan, failed_form=self.form, failed_key=self.failed_key, status=400
        )


def _editable_plan(request: HttpRequest, plan_id: UUID) -> RehabPlan:
    return access.plan_for_editor(signed_in_user(request), plan_id, audit=AuditContext.of(request))


@login_required
@require_POST
def prescription_update(request: HttpRequest, plan_id: UUID, prescription_id: UUID) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    prescription = access.prescription_in_plan(plan, prescription_id)
    edit = PlanEdit(
        request,
        plan,
        PrescriptionForm.for_prescription(
            prescription, plan, after_flare_up=selectors.flare_up_lately(plan), data=request.POST
        ),
        failed_key=str(prescription_id),
    )
    if edit.form.is_valid():
        with edit:
            edit.saved(
                plans.prescription_update(
                    plan=plan, prescription=prescription, changes=edit.form.changes(), signed=edit.signed()
                )
            )
    return edit.answer()


@login_required
@require_POST
def prescription_add(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    in_flare_up = selectors.open_flare_up(plan) is not None
    form = PrescriptionAddForm(request.POST, reason_required=plan.is_active, in_flare_up=in_flare_up)
    edit = PlanEdit(request, plan, form, failed_key="add")
    if edit.form.is_valid():
        with edit:
            edit.saved(
                plans.prescription_add(
                    plan=plan, exercise=edit.form.cleaned_data["exercise"], signed=edit.signed()
                )
            )
    return edit.answer()


@login_required
@require_POST
def prescription_remove(request: HttpRequest, plan_id: UUID, prescription_id: UUID) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    prescription = access.prescription_in_plan(plan, prescription_id)
    form = PlanChangeForm(request.POST, reason_required=plan.is_active, removing=True)
    edit = PlanEdit(request, plan, form, failed_key=f"{prescription_id}-remove")
    if edit.form.is_valid():
        with edit:
            edit.saved(plans.prescription_remove(plan=plan, prescription=prescription, signed=edit.signed()))
    return edit.answer()


@login_required
@require_POST
def prescription_move(
    request: HttpRequest, plan_id: UUID, prescription_id: UUID, direction: str
) -> HttpResponse:
    offset = {"up": -1, "down": 1}.get(direction)
    if offset is None:
        raise Http404
    plan = _editable_plan(request, plan_id)
    prescription = access.prescription_in_plan(plan, prescription_id)
    form = PlanChangeForm(request.POST, reason_required=plan.is_active)
    edit = PlanEdit(request, plan, form, failed_key=f"{prescription_id}-move")
    if edit.form.is_valid():
        with edit:
            edit.saved(
                plans.prescription_move(
                    plan=plan, prescription=prescription, offset=offset, signed=edit.signed()
                )
            )
    return edit.answer()


@login_required
@require_POST
def plan_settings(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    edit = PlanEdit(request, plan, PlanSettingsForm.for_plan(plan, data=request.POST), failed_key="settings")
    if edit.form.is_valid():
        with edit:
            edit.saved(plans.plan_update(plan=plan, **edit.form.changes(), signed=edit.signed()))
    return edit.answer()


@login_required
@require_POST
def plan_pain_limits(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    form = PainLimitsForm(request.POST, reason_required=plan.is_active)
    edit = PlanEdit(request, plan, form, failed_key="limits")
    if edit.form.is_valid():
        with edit:
            edit.saved(plans.plan_pain_limits_update(plan=plan, **edit.form.changes(), signed=edit.signed()))
    return edit.answer()


@login_required
@require_POST
def plan_stage_advance(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    edit = PlanEdit(request, plan, StageAdvanceForm(request.POST, stage=plan.stage), failed_key="advance")
    if edit.form.is_valid():
        with edit:
            revision = progress.plan_stage_advance(
                plan=plan,
                clinician_checks=set(edit.form.cleaned_data.get("clinician_checks", [])),
                today=plan.patient.local_today(),
                signed=edit.signed(),
            )
            edit.saved(revision, f"Moved to {plan.get_stage_display()} (revision {revision.number}).")
    return edit.answer()


@login_required
@require_POST
def flare_up_end(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    audit = AuditContext.of(request)
    flare_up = access.open_flare_up_for_editor(user, plan_id, audit=audit)
    edit = PlanEdit(request, flare_up.plan, FlareUpEndForm(request.POST), failed_key="flare_up")
    if edit.form.is_valid():
        with edit:
            daily.flare_up_end(flare_up=flare_up, note=edit.form.cleaned_data["note"], by=user, audit=audit)
            edit.saved(None, "Flare-up mode ended. The patient sees the whole plan again.")
    return edit.answer()


@login_required
@require_POST
def plan_hold_release(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    edit = PlanEdit(request, plan, HoldReleaseForm(request.POST), failed_key="hold")
    if edit.form.is_valid():
        with edit:
            edit.saved(
                screening.plan_hold_release(
                    plan=plan, signed=edit.signed(), seen=edit.form.cleaned_data["screens"]
                ),
                "Plan released. The patient sees their exercises again, with your note.",
            )
    return edit.answer()


@login_required
@require_GET
def plan_history(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    plan = access.plan_for_staff(user, plan_id, audit=AuditContext.of(request), action="rehab.plan.history")
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


PRINT_WHOLE_PLAN = "all"


@login_required
@require_GET
def plan_print(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """The printable programme. During a flare-up it shows the flare-up set, or with `?show=all` the whole
    plan with the flare-up set marked."""
    user = signed_in_user(request)
    plan = access.plan_for_reader(user, plan_id, audit=AuditContext.of(request), action="rehab.plan.print")
    held = (
        screening_views.on_hold_page(request, user, title="Printable programme") if user.is_patient else None
    )
    if held is not None:
        return held
    show = request.GET.get("show", "")
    if show not in ("", PRINT_WHOLE_PLAN):
        return HttpResponse(
            "Choose what to print: leave out “show” for what to do now, or show=all for the whole plan.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    prescriptions = list(selectors.prescriptions_of(plan))
    return render(
        request, "rehab/plan_print.html", _programme(plan, prescriptions, whole=show == PRINT_WHOLE_PLAN)
    )


def _programme(plan: RehabPlan, prescriptions: list, *, whole: bool = False) -> dict:
    """What My plan and the printed programme show: during a flare-up, only the flare-up set; or with
    `whole`, every exercise, with the public ids of the flare-up set's in `flare_up_set` (the fallback
    exercise, which is not one of the plan's rows, comes first)."""
    flare_up = selectors.open_flare_up(plan)
    flare_up_set: set = set()
    if flare_up is not None:
        chosen = selectors.flare_up_set_of(prescriptions, plan=plan)
        if whole:
            flare_up_set = {item.public_id for item in chosen}
            prescriptions = [item for item in chosen if item.pk is None] + prescriptions
        else:
            prescriptions = chosen
    return {
        "plan": plan,
        "flare_up": flare_up,
        "whole_plan": whole and flare_up is not None,
        "flare_up_set": flare_up_set,
        "prescriptions": prescriptions,
        "slots": schedule.slot_groups(prescriptions),
        "latest_revision": selectors.latest_revision(plan),
        "print_whole_plan": PRINT_WHOLE_PLAN,
    }


@login_required
@require_GET
@patient_required
def my_plan(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    held = screening_views.on_hold_page(request, user, title="My plan")
    if held is not None:
        return held
    plan = selectors.active_plan_of(user)
    context = _programme(plan, list(plan.prescriptions.all())) if plan is not None else {"plan": None}
    return render(request, "rehab/my_plan.html", context)


@login_required
@require_GET
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The library page of one exercise. A patient reads its pain limits from their own plan; anyone else
    (a clinician browsing the library) reads them in words."""
    exercise = get_object_or_404(Exercise, slug=slug)
    user = signed_in_user(request)
    held = screening_views.on_hold_page(request, user, title="Exercise") if user.is_patient else None
    if held is not None:
        return held
    plan = selectors.active_plan_of(user) if user.is_patient else None
    back = {"plan": ("rehab:my_plan", "my plan"), "today": ("rehab:today", "today")}.get(
        request.GET.get("from", "")
    )
    return render(
        request,
        "rehab/exercise_detail.html",
        {
            "exercise": exercise,
            "plan": plan,
            "back": back and reverse(back[0]),
            "back_label": back[1] if back else "",
        },
    )
