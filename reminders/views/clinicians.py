"""The clinicians' reminder pages: suggest reminder times to a patient (the form's own page, also embedded on
the progress page), and the patient's answer to a suggestion (accept or decline, posted from their Reminders
page). Doors: careteam.access for the patient (404 for missing and forbidden alike, staff reads audited);
the services audit the writes."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import patient_required, staff_required
from accounts.audit import AuditContext
from accounts.models import User
from accounts.views import signed_in_user
from careteam import access as careteam_access
from common.forms import add_service_errors
from reminders.services import clinicians as services
from reminders.services.preferences import times_of
from reminders.suggestion_forms import suggestion_forms


def _record_url(patient: User) -> str:
    return reverse("careteam:patient_detail", args=[patient.patient_profile.public_id]) + "#reminders"


@require_http_methods(["GET", "POST"])
@staff_required
def suggestion_create(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user, audit = signed_in_user(request), AuditContext.of(request)
    patient = careteam_access.patient_for_team_clinician(
        user, patient_id, audit=audit, action="reminders.suggestion.view"
    )
    times, note = suggestion_forms(request.POST if request.method == "POST" else None)
    # Both parts are checked, so a refused form shows every problem at once.
    if request.method == "POST" and all([times.is_valid(), note.is_valid()]):
        try:
            services.time_suggestion_create(
                patient=patient,
                by=user,
                times=times.suggested_times(),
                note=note.cleaned_data["note"],
                audit=audit,
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(note, error)
        else:
            messages.success(
                request, f"Your suggestion is sent. {patient.first_name} can accept or decline it."
            )
            return redirect(_record_url(patient))
    context = {
        "patient": patient,
        "times_formset": times,
        "note_form": note,
        "current_times": times_of(patient),
    }
    return render(
        request, "reminders/suggestion_form.html", context, status=400 if request.method == "POST" else 200
    )


def _answer(request: HttpRequest, public_id: uuid.UUID, *, accept: bool) -> HttpResponse:
    user = signed_in_user(request)
    suggestion = services.own_suggestion(user, public_id)
    try:
        services.time_suggestion_answer(
            suggestion=suggestion,
            patient=user,
            accept=accept,
            audit=AuditContext.of(request),
            now=timezone.now(),
        )
    except ValidationError as error:
        return render(
            request,
            "reminders/suggestion_answered.html",
            {"suggestion": suggestion, "errors": error.messages},
            status=400,
        )
    if accept:
        messages.success(request, "Your reminder times are now the ones your clinician suggested.")
    else:
        messages.success(request, "You kept your own reminder times. Your clinician will see your answer.")
    return redirect("reminders:preferences")


@login_required
@require_POST
@patient_required
def suggestion_accept(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _answer(request, public_id, accept=True)


@login_required
@require_POST
@patient_required
def suggestion_decline(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _answer(request, public_id, accept=False)
