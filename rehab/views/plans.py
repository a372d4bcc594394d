"""The clinician's plan builder (assign, change, advance, end a flare-up, history, print) and the patient's
own programme (My plan, an exercise's page)."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import patient_required
from accounts.audit import AuditContext
from accounts.views import signed_in_user
from careteam.access import may_change_plan, patient_for_plan_editor, patient_record_for_user
from common.forms import add_service_errors
from common.numbers import parse_small_int
from conditions.models import Condition
from rehab import access, holds, schedule, selectors
from rehab.forms import (
    FlareUpEndForm,
    PainLimitsForm,
    PlanAssignForm,
    PlanChangeForm,
    PlanSettingsForm,
    PrescriptionAddForm,
    PrescriptionForm,
    StageAdvanceForm,
)
from rehab.models import Exercise, PlanRevision, RehabPlan
from rehab.revisions import revision_changes
from rehab.screening_forms import HoldReleaseForm
from rehab.services import daily, plans, progress, screening
from rehab.views import screening as screening_views

HOME_CONDITION_SLUG = "hamstring-tendinopathy"


@login_required
@require_GET
def plan_builder(request: HttpRequest, patient_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    patient = patient_record_for_user(
        user, patient_id, audit=AuditContext.of(request), action="rehab.plan.view"
    )
    plan = selectors.active_plan_of(patient)
    context = _builder_context(plan) if plan else {}
    if plan is None:
        context["assign_form"] = PlanAssignForm(initial={"start_date": user.local_today()})
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


def _builder_context(plan: RehabPlan, *, failed_form=None, failed_key: str = "") -> dict:
    """The plan's rows with a dosage form each, and the builder's other forms; `failed_form` stands in for
    the form of `failed_key` (a prescription's id, or add, settings, limits, advance, flare_up) that was sent
    back with errors."""
    rows = []
    for prescription in selectors.prescriptions_of(plan):
        key = str(prescription.public_id)
        form = PrescriptionForm.for_prescription(prescription, plan.version)
        rows.append(
            {
                "item": prescription,
                "form": failed_form if key == failed_key else form,
                "open": key == failed_key,
            }
        )
    version = {"version": plan.version}
    forms = {
        "add": PrescriptionAddForm(initial=version),
        "settings": PlanSettingsForm(
            initial={**version, "stage": plan.stage, "status": plan.status, "goals": plan.goals}
        ),
        "limits": PainLimitsForm(
            initial={**version, **{name: getattr(plan, name) for name in plans.PAIN_LIMIT_FIELDS}}
        ),
        "flare_up": FlareUpEndForm(),
        "advance": StageAdvanceForm(initial=version, stage=plan.stage),
    }
    hold = holds.plan_hold_of(plan.patient)
    if hold is not None:
        forms["hold"] = HoldReleaseForm.for_hold(hold, plan.version)
    if failed_key in forms:
        forms[failed_key] = failed_form
    return {
        "plan": plan,
        "rows": rows,
        **{f"{name}_form": form for name, form in forms.items()},
        "settings_open": failed_key == "settings",
        "limits_open": failed_key == "limits",
        "latest_revision": selectors.latest_revision(plan),
        "flare_up": selectors.open_flare_up(plan),
        "hold": hold,
        "readiness": selectors.readiness_of(plan, plan.patient.local_today()),
    }


def _plan_response(request, plan, *, failed_form=None, failed_key="", status=200) -> HttpResponse:
    """htmx requests get the plan fragment back (so every form on the page carries the new version); others
    are redirected after a save, or shown the whole page again after a refusal."""
    context: dict = {"may_edit": True}
    if request.headers.get("HX-Request") == "true":
        context |= _builder_context(plan, failed_form=failed_form, failed_key=failed_key)
        context["focus"] = request.POST.get("focus", "")  # the control to put the keyboard focus back on
        context["swapped_in"] = True
        return render(request, "rehab/_plan_items.html", context, status=status)
    if status == 200:
        return redirect("rehab:plan_builder", patient_id=plan.patient.patient_profile.public_id)
    context |= _builder_context(plan, failed_form=failed_form, failed_key=failed_key)
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
        PrescriptionForm.for_prescription(prescription, plan.version, data=request.POST),
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
    edit = PlanEdit(request, plan, PrescriptionAddForm(request.POST), failed_key="add")
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
    edit = PlanEdit(request, plan, PlanChangeForm(request.POST), failed_key=str(prescription_id))
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
    edit = PlanEdit(request, plan, PlanChangeForm(request.POST), failed_key=str(prescription_id))
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
    edit = PlanEdit(request, plan, PlanSettingsForm(request.POST), failed_key="settings")
    if edit.form.is_valid():
        with edit:
            edit.saved(plans.plan_update(plan=plan, **edit.form.changes(), signed=edit.signed()))
    return edit.answer()


@login_required
@require_POST
def plan_pain_limits(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    edit = PlanEdit(request, plan, PainLimitsForm(request.POST), failed_key="limits")
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


@login_required
@require_GET
def plan_print(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    plan = access.plan_for_reader(user, plan_id, audit=AuditContext.of(request), action="rehab.plan.print")
    held = (
        screening_views.on_hold_page(request, user, title="Printable programme") if user.is_patient else None
    )
    if held is not None:
        return held
    return render(request, "rehab/plan_print.html", _programme(plan, list(selectors.prescriptions_of(plan))))


def _programme(plan: RehabPlan, prescriptions: list) -> dict:
    """What My plan and the printed programme show: during a flare-up, only the flare-up set."""
    flare_up = selectors.open_flare_up(plan)
    if flare_up is not None:
        prescriptions = selectors.flare_up_set_of(prescriptions, plan=plan)
    return {
        "plan": plan,
        "flare_up": flare_up,
        "prescriptions": prescriptions,
        "slots": schedule.slot_groups(prescriptions),
        "latest_revision": selectors.latest_revision(plan),
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
