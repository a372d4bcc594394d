"""Care team pages. Every view that shows patient data gets it through careteam.access (404 for missing and
forbidden alike) and records staff reads and writes in the audit log."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.services import audit_record_many
from accounts.views import signed_in_user
from careteam import access, selectors, services
from careteam.forms import (
    AcknowledgeForm,
    AddendumForm,
    DeclineForm,
    MembershipAddForm,
    MembershipEndForm,
    NoteFilterForm,
    NoteForm,
    ReferralForm,
)
from careteam.models import Alert, Referral, ReferralStatus
from careteam.timeline import timeline_page

NOTES_PER_PAGE = 20
ROWS_PER_PAGE = 25


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _staff(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not access.is_staff_user(user):
        raise Http404
    return user


def _record_url(patient: User) -> str:
    return reverse("careteam:patient_detail", args=[patient.patient_profile.public_id])


def _ack_forms(alerts, *, with_forms: bool) -> list[tuple[Alert, AcknowledgeForm | None]]:
    """Each alert with its own acknowledge form (ids prefixed, so several fit on one page) when allowed."""
    return [
        (alert, AcknowledgeForm(auto_id=f"ack-{alert.public_id}-%s") if with_forms else None)
        for alert in alerts
    ]


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@require_GET
@login_required
def patient_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    patient, permissions = access.patient_record_with_permissions(user, public_id)
    access.audit_staff_access(request, action="patient.view", patient=patient)
    filters = NoteFilterForm(request.GET or None, authors=selectors.note_authors(patient))
    status = 200
    notes = selectors.notes_for_team(patient)
    if filters.is_bound:
        if filters.is_valid():
            notes = selectors.notes_for_team(
                patient, discipline=filters.cleaned_data["discipline"], author=filters.cleaned_data["author"]
            )
        else:
            status = 400
    alerts = list(selectors.open_alerts(patient=patient))
    context = {
        "patient": patient,
        "profile": patient.patient_profile,
        "team": selectors.team_of(patient),
        "alerts": _ack_forms(alerts, with_forms=permissions.acknowledge_alert),
        "referrals": selectors.referrals_of(patient),
        "notes": Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page")),
        "filters": filters,
        "filter_query": _query_without_page(request),
        "may_write": permissions.write_note,
        "may_manage_team": permissions.manage_team,
    }
    return render(request, "careteam/patient_detail.html", context, status=status)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@login_required
def timeline(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    patient = access.patient_record_for_user(user, public_id)
    access.audit_staff_access(request, action="timeline.view", patient=patient)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = timeline_page(patient, max(1, min(number, 10_000)))
    return render(request, "careteam/timeline.html", {"patient": patient, "page": page})


@require_http_methods(["GET", "POST"])
@login_required
def note_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    patient = access.patient_for_note_writer(user, public_id)
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                note = services.note_create(patient=patient, author=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                access.audit_staff_access(request, action="note.create", patient=patient, obj=note)
                messages.success(request, "Your note is saved.")
                return redirect(f"{_record_url(patient)}#note-{note.public_id}")
        return render(request, "careteam/note_form.html", {"patient": patient, "form": form}, status=400)
    access.audit_staff_access(request, action="note_form.view", patient=patient)
    return render(request, "careteam/note_form.html", {"patient": patient, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def note_addendum(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    note = access.note_for_writer(user, public_id)
    patient = note.patient
    form = AddendumForm(request.POST or None)
    context = {"patient": patient, "note": note, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                addendum = services.note_addendum_create(note=note, author=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                access.audit_staff_access(request, action="addendum.create", patient=patient, obj=addendum)
                messages.success(request, "Your addendum is saved under the note.")
                return redirect(f"{_record_url(patient)}#note-{note.public_id}")
        return render(request, "careteam/addendum_form.html", context, status=400)
    access.audit_staff_access(request, action="note.view", patient=patient, obj=note)
    return render(request, "careteam/addendum_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def referral_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    patient = access.patient_for_referrer(user, public_id)
    form = ReferralForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.referral_create(patient=patient, referred_by=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                access.audit_staff_access(request, action="referral.create", patient=patient, obj=referral)
                messages.success(request, "The referral is sent.")
                return redirect("careteam:referral_detail", public_id=referral.public_id)
        return render(request, "careteam/referral_form.html", {"patient": patient, "form": form}, status=400)
    access.audit_staff_access(request, action="referral_form.view", patient=patient)
    return render(request, "careteam/referral_form.html", {"patient": patient, "form": form})


def _referral_page(
    request: HttpRequest,
    referral: Referral,
    *,
    decline_form: DeclineForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    recipient = referral.is_open and access.is_referral_recipient(user, referral)
    may_complete = referral.status == ReferralStatus.ACCEPTED and (
        referral.responded_by_id == user.pk or access.is_active_lead(user, referral.patient)
    )
    context = {
        "referral": referral,
        "patient": referral.patient,
        "on_record": access.may_view_clinical_record(user, referral.patient),
        "may_respond": recipient,
        "may_complete": may_complete,
        "decline_form": decline_form or DeclineForm(),
        "errors": errors or [],
    }
    if status != 200:  # the page shown again after a refused write still shows the record
        access.audit_staff_access(request, action="referral.view", patient=referral.patient, obj=referral)
    return render(request, "careteam/referral_detail.html", context, status=status)


@require_GET
@login_required
def referral_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = access.referral_for_user(signed_in_user(request), public_id)
    access.audit_staff_access(request, action="referral.view", patient=referral.patient, obj=referral)
    return _referral_page(request, referral)


@login_required
@require_POST
def referral_accept(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    referral = access.referral_for_user(user, public_id)
    try:
        referral = services.referral_accept(referral=referral, clinician=user)
    except ValidationError as error:
        return _referral_page(request, referral, errors=_messages_of(error), status=400)
    access.audit_staff_access(request, action="referral.accept", patient=referral.patient, obj=referral)
    messages.success(request, f"You accepted the referral and joined {referral.patient}'s care team.")
    return redirect(_record_url(referral.patient))


@login_required
@require_POST
def referral_decline(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    referral = access.referral_for_user(user, public_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _referral_page(request, referral, decline_form=form, status=400)
    try:
        referral = services.referral_decline(
            referral=referral, clinician=user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _referral_page(request, referral, decline_form=form, errors=_messages_of(error), status=400)
    access.audit_staff_access(request, action="referral.decline", patient=referral.patient, obj=referral)
    messages.success(request, "You declined the referral; the team can see your reason.")
    return redirect("careteam:alert_list")


@login_required
@require_POST
def referral_complete(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    referral = access.referral_for_user(user, public_id)
    try:
        referral = services.referral_complete(referral=referral, clinician=user)
    except ValidationError as error:
        return _referral_page(request, referral, errors=_messages_of(error), status=400)
    access.audit_staff_access(request, action="referral.complete", patient=referral.patient, obj=referral)
    messages.success(request, "The referral is marked complete.")
    return redirect("careteam:referral_detail", public_id=referral.public_id)


@require_GET
@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    page = Paginator(selectors.alert_inbox(user), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    referrals = list(selectors.referrals_waiting_for(user)[:ROWS_PER_PAGE])
    shown = {alert.patient for alert in page.object_list} | {referral.patient for referral in referrals}
    audit_record_many(actor=user, action="alert_inbox.view", patients=shown, request=request)
    alerts = _ack_forms(page.object_list, with_forms=user.is_clinician)
    context = {"page": page, "alerts": alerts, "referrals": referrals}
    return render(request, "careteam/alert_list.html", context)


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    alert = access.alert_for_acknowledger(user, public_id)
    form = AcknowledgeForm(request.POST, auto_id=f"ack-{alert.public_id}-%s")
    errors: list[str] = []
    if form.is_valid():
        try:
            services.alert_acknowledge(alert=alert, by=user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            errors = _messages_of(error)
        else:
            access.audit_staff_access(request, action="alert.acknowledge", patient=alert.patient, obj=alert)
            messages.success(request, "The alert is acknowledged.")
            return redirect(_safe_next(request, reverse("careteam:alert_list")))
    alert.refresh_from_db()
    access.audit_staff_access(request, action="alert.view", patient=alert.patient, obj=alert)
    context = {"alert": alert, "form": form, "errors": errors, "next": _safe_next(request, "")}
    return render(request, "careteam/alert_acknowledge.html", context, status=400)


@require_GET
@login_required
def my_team(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not user.is_patient:
        raise Http404
    context = {
        "team": selectors.team_of(user),
        "notes": Paginator(selectors.notes_shared_with(user), NOTES_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "referrals": selectors.referrals_of(user),
    }
    return render(request, "careteam/my_team.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def team_manage(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    patient, permissions = access.patient_record_with_permissions(user, public_id)
    manager = permissions.manage_team
    form = MembershipAddForm(request.POST or None, patient=patient)
    status = 200
    if request.method == "POST":
        if not manager:
            raise Http404
        if form.is_valid():
            try:
                membership = services.membership_add(patient=patient, by=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                access.audit_staff_access(request, action="membership.add", patient=patient, obj=membership)
                messages.success(request, f"{membership.clinician} is on the care team.")
                return redirect("careteam:team_manage", public_id=public_id)
        status = 400
    access.audit_staff_access(request, action="team.view", patient=patient)
    return render(request, "careteam/team_manage.html", _team_context(patient, manager, form), status=status)


def _team_context(patient: User, manager: bool, form: MembershipAddForm) -> dict:
    today = timezone.localdate()
    memberships = [
        (
            membership,
            MembershipEndForm(auto_id=f"end-{membership.public_id}-%s")
            if manager and (membership.active_to is None or membership.active_to >= today)
            else None,
        )
        for membership in selectors.memberships_of(patient)
    ]
    return {"patient": patient, "memberships": memberships, "form": form if manager else None, "today": today}


@login_required
@require_POST
def membership_end(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    membership = access.membership_for_manager(user, public_id)
    patient = membership.patient
    form = MembershipEndForm(request.POST, auto_id=f"end-{membership.public_id}-%s")
    if form.is_valid():
        try:
            services.membership_end(membership=membership, by=user, last_day=form.cleaned_data["last_day"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            access.audit_staff_access(request, action="membership.end", patient=patient, obj=membership)
            messages.success(request, f"{membership.clinician}'s membership of the care team is ended.")
            return redirect("careteam:team_manage", public_id=patient.patient_profile.public_id)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    context = _team_context(patient, True, MembershipAddForm(patient=patient))
    return render(request, "careteam/team_manage.html", context, status=400)
