"""Care team pages. A view asks a door in careteam.access for what it shows (404 for missing and forbidden
alike; the door audits the staff read), validates a form, and changes the record through one service (which
audits the write). Views never write audit rows themselves."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import patient_required, staff_required
from accounts.audit import AuditContext, kept_and_audited
from accounts.models import User
from accounts.views import signed_in_user
from careteam import access, selectors, services, views_cards
from careteam.forms import (
    AcknowledgeForm,
    AddendumForm,
    BulkAcknowledgeForm,
    DeclineForm,
    MembershipAddForm,
    MembershipEndForm,
    NoteFilterForm,
    NoteForm,
    ReferralForm,
)
from careteam.models import Note, Referral, ReferralStatus
from careteam.panels import record_panels
from careteam.timeline import timeline_page
from common.clinic_time import clinic_today
from common.forms import refusals_on
from common.private_page_cache import KeptPage

NOTES_PER_PAGE = 20
ROWS_PER_PAGE = 25


def _form_page(request: HttpRequest, template: str, form: forms.BaseForm, **context) -> HttpResponse:
    """A page with one form: shown (200), or shown again after a refused POST with the reasons (400)."""
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, **context}, status=status)


def _record_url(patient: User) -> str:
    return reverse("careteam:patient_detail", args=[patient.patient_profile.public_id])


def _note_url(note: Note) -> str:
    return f"{_record_url(note.patient)}#note-{note.public_id}"


def _referral_url(referral: Referral) -> str:
    return reverse("careteam:referral_detail", args=[referral.public_id])


def _alerts_context(request: HttpRequest, alerts, *, with_forms: bool, inbox: bool) -> dict:
    """The alert cards of a page (careteam/_alert.html), each with its acknowledge form when allowed: the
    form is always blank there, so its field's label and length are read once for every card. The inbox's
    cards name the patient and have a tick box for its bulk form; the record's do not."""
    rows = views_cards.alert_rows(
        alerts,
        time_zone=signed_in_user(request).time_zone,
        with_forms=with_forms,
        show_patient=inbox,
        tick_boxes=inbox,
    )
    return {
        "alerts": rows,
        "ack_field": AcknowledgeForm.base_fields["comment"],
        "here": request.get_full_path(),
    }


def _safe_next(request: HttpRequest, default: str) -> str:
    """The page to go back to: a path on this site only (never another host, never a view name)."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and len(target) <= 2000
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return default


RECORD_VIEW = "patient.view"


@require_GET
@staff_required
def patient_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    kept = KeptPage(
        request, among=selectors.record_owner(public_id), query=("page", *NoteFilterForm.base_fields)
    )
    user, audit = signed_in_user(request), AuditContext.of(request)
    kept_page = kept_and_audited(kept, actor=user, action=RECORD_VIEW, audit=audit)
    if kept_page is not None:
        return kept_page
    patient, permissions, team = access.patient_record_with_team_for_user(
        user, public_id, audit=audit, action=RECORD_VIEW
    )
    authors = selectors.note_authors(patient)
    filters = NoteFilterForm(request.GET or None, authors=authors)
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
    page = selectors.notes_page(notes, request.GET.get("page"), NOTES_PER_PAGE)
    viewer = signed_in_user(request)
    context = {
        "patient": patient,
        "profile": patient.patient_profile,
        "team": team,
        **_alerts_context(request, alerts, with_forms=permissions.acknowledge_alert, inbox=False),
        "referrals": list(selectors.referrals_of(patient)),
        "notes": page,
        "note_cards": views_cards.note_cards(
            page, time_zone=viewer.time_zone, may_write=permissions.write_note, show_visibility=True
        ),
        "filters": filters,
        "filter_fields": filters.plain_fields(),
        "filter_query": _query_without_page(request),
        "may_write": permissions.write_note,
        "may_manage_team": permissions.manage_team,
        "panels": record_panels(viewer=viewer, patient=patient),
    }
    response = render(request, "careteam/patient_detail.html", context, status=status)
    return kept.keep(response, memo=[patient.pk])


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@staff_required
def timeline(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    patient = access.patient_record_for_user(
        signed_in_user(request), public_id, audit=AuditContext.of(request), action="timeline.view"
    )
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = timeline_page(patient, max(1, min(number, 10_000)))
    return render(request, "careteam/timeline.html", {"patient": patient, "page": page})


@require_http_methods(["GET", "POST"])
@staff_required
def note_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user, audit = signed_in_user(request), AuditContext.of(request)
    patient = access.patient_for_note_writer(user, public_id, audit=audit)
    form = NoteForm(request.POST or None)
    if form.is_bound and form.is_valid():
        with refusals_on(form):
            note = services.note_create(patient=patient, author=user, audit=audit, **form.cleaned_data)
            messages.success(request, "Your note is saved.")
            return redirect(_note_url(note))
    return _form_page(request, "careteam/note_form.html", form, patient=patient)


@require_http_methods(["GET", "POST"])
@staff_required
def note_addendum(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user, audit = signed_in_user(request), AuditContext.of(request)
    note = access.note_for_writer(user, public_id, audit=audit)
    form = AddendumForm(request.POST or None)
    if form.is_bound and form.is_valid():
        with refusals_on(form):
            services.note_addendum_create(note=note, author=user, audit=audit, **form.cleaned_data)
            messages.success(request, "Your addendum is saved under the note.")
            return redirect(_note_url(note))
    (card,) = views_cards.note_cards([note], time_zone=user.time_zone, may_write=False, show_visibility=True)
    return _form_page(
        request, "careteam/addendum_form.html", form, patient=note.patient, note=note, note_card=card
    )


@require_http_methods(["GET", "POST"])
@staff_required
def referral_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user, audit = signed_in_user(request), AuditContext.of(request)
    patient = access.patient_for_referrer(user, public_id, audit=audit)
    form = ReferralForm(request.POST or None, patient=patient)
    if form.is_bound and form.is_valid():
        with refusals_on(form):
            referral = services.referral_create(
                patient=patient, referred_by=user, audit=audit, **form.cleaned_data
            )
            messages.success(
                request,
                f"The referral is sent to {referral.to_clinician.get_full_name()}."
                if referral.to_clinician
                else "The referral is sent to the discipline; an acceptance will wait for the lead.",
            )
            return redirect(_referral_url(referral))
    return _form_page(request, "careteam/referral_form.html", form, patient=patient)


def _referral_page(
    request: HttpRequest,
    referral: Referral,
    view: str,
    *,
    decline_form: DeclineForm | None = None,
    review_form: DeclineForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The referral, in full or briefly (`access.ReferralView`); after a refused accept, decline, confirm or
    complete, with the reasons (400)."""
    user = signed_in_user(request)
    full = view == access.ReferralView.FULL
    may_complete = referral.status == ReferralStatus.ACCEPTED and (
        referral.responded_by_id == user.pk or access.is_active_lead(user, referral.patient)
    )
    may_accept = referral.is_open and access.is_referral_recipient(user, referral)
    context = {
        "referral": referral,
        "patient": referral.patient if full else None,
        "full": full,
        "on_record": full and access.may_view_clinical_record(user, referral.patient),
        "may_accept": may_accept,
        "accept_needs_lead": may_accept and services.acceptance_needs_lead(referral, user),
        "may_decline": referral.is_open and referral.to_clinician_id == user.pk,
        "may_review": access.may_review_acceptance(user, referral),
        "may_complete": may_complete,
        "decline_form": decline_form or DeclineForm(auto_id="decline-%s"),
        "review_form": review_form or DeclineForm(auto_id="review-%s"),
        "errors": errors or [],
    }
    return render(request, "careteam/referral_detail.html", context, status=status)


@require_GET
@staff_required
def referral_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral, view = access.referral_for_user(
        signed_in_user(request), public_id, audit=AuditContext.of(request)
    )
    return _referral_page(request, referral, view)


@login_required
@require_POST
def referral_accept(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user, audit = signed_in_user(request), AuditContext.of(request)
    referral, view = access.referral_for_user(user, public_id, audit=audit)
    try:
        referral = services.referral_accept(referral=referral, clinician=user, audit=audit)
    except ValidationError as error:
        return _referral_page(request, referral, view, errors=error.messages, status=400)
    if referral.is_awaiting_lead:
        messages.success(
            request, "You accepted the referral. You join the care team when the lead clinician confirms."
        )
        return redirect(_referral_url(referral))
    messages.success(request, f"You accepted the referral and joined {referral.patient}'s care team.")
    return redirect(_record_url(referral.patient))


@login_required
@require_POST
def referral_decline(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user, audit = signed_in_user(request), AuditContext.of(request)
    referral, view = access.referral_for_user(user, public_id, audit=audit)
    form = DeclineForm(request.POST, auto_id="decline-%s")
    if not form.is_valid():
        return _referral_page(request, referral, view, decline_form=form, status=400)
    try:
        services.referral_decline(
            referral=referral, clinician=user, audit=audit, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _referral_page(request, referral, view, decline_form=form, errors=error.messages, status=400)
    messages.success(request, "You declined the referral; the team can see your reason.")
    return redirect("careteam:alert_list")


@login_required
@require_POST
def referral_confirm(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The lead confirms a clinician's acceptance; the clinician joins the care team."""
    user, audit = signed_in_user(request), AuditContext.of(request)
    referral, view = access.referral_for_user(user, public_id, audit=audit)
    try:
        referral = services.referral_confirm(referral=referral, by=user, audit=audit)
    except ValidationError as error:
        return _referral_page(request, referral, view, errors=error.messages, status=400)
    messages.success(request, f"{referral.responded_by} joins the care team.")
    return redirect(_referral_url(referral))


@login_required
@require_POST
def referral_decline_acceptance(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The lead declines a clinician's acceptance, with the reason."""
    user, audit = signed_in_user(request), AuditContext.of(request)
    referral, view = access.referral_for_user(user, public_id, audit=audit)
    form = DeclineForm(request.POST, auto_id="review-%s")
    if not form.is_valid():
        return _referral_page(request, referral, view, review_form=form, status=400)
    try:
        services.referral_decline_acceptance(
            referral=referral, by=user, audit=audit, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _referral_page(request, referral, view, review_form=form, errors=error.messages, status=400)
    messages.success(request, "You declined the acceptance; the referral is closed.")
    return redirect(_referral_url(referral))


@login_required
@require_POST
def referral_complete(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user, audit = signed_in_user(request), AuditContext.of(request)
    referral, view = access.referral_for_user(user, public_id, audit=audit)
    try:
        referral = services.referral_complete(referral=referral, clinician=user, audit=audit)
    except ValidationError as error:
        return _referral_page(request, referral, view, errors=error.messages, status=400)
    messages.success(request, "The referral is marked complete.")
    return redirect(_referral_url(referral))


@require_GET
@staff_required
def alert_list(request: HttpRequest) -> HttpResponse:
    return render_alert_list(request)


def render_alert_list(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    # An admin's inbox is every patient's, not only those they follow, and is drawn every time.
    kept = KeptPage(request, of_followed=True, query=("page",), worth_keeping=not user.is_admin)
    audit = AuditContext.of(request)
    kept_page = kept_and_audited(kept, actor=user, action=access.INBOX_VIEW, audit=audit)
    if kept_page is not None:
        return kept_page
    inbox = access.inbox_for_user(user, page=request.GET.get("page"), per_page=ROWS_PER_PAGE, audit=audit)
    context = {
        "page": inbox.alerts,
        **_alerts_context(request, inbox.alerts.object_list, with_forms=user.is_clinician, inbox=True),
        "referrals": inbox.referrals,
        "discipline_referrals": inbox.discipline_referrals,
        "to_confirm": inbox.to_confirm,
        "bulk_form": BulkAcknowledgeForm(auto_id="bulk-%s") if user.is_clinician else None,
    }
    response = render(request, "careteam/alert_list.html", context, status=status)
    return kept.keep(response, memo=inbox.shown_patient_ids)


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user, audit = signed_in_user(request), AuditContext.of(request)
    alert = access.alert_for_acknowledger(user, public_id, audit=audit)
    form = AcknowledgeForm(request.POST, auto_id=f"ack-{alert.public_id}-%s")
    if form.is_valid():
        with refusals_on(form):
            services.alert_acknowledge(
                alert=alert, by=user, audit=audit, comment=form.cleaned_data["comment"]
            )
            messages.success(request, "The alert is acknowledged.")
            return redirect(_safe_next(request, reverse("careteam:alert_list")))
    alert.refresh_from_db()
    context = {
        "alert": alert,
        "form": form,
        "errors": form.non_field_errors(),
        "next": _safe_next(request, ""),
    }
    return render(request, "careteam/alert_acknowledge.html", context, status=400)


@login_required
@require_POST
def alerts_acknowledge(request: HttpRequest) -> HttpResponse:
    """The ticked alerts of the inbox, acknowledged together with one optional note. Any alert the person
    may not acknowledge makes the whole request a 404, as it would one by one."""
    user, audit = signed_in_user(request), AuditContext.of(request)
    if not user.is_clinician:
        raise Http404
    back = _safe_next(request, reverse("careteam:alert_list"))
    form = BulkAcknowledgeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return render_alert_list(request, status=400)
    alerts = [
        access.alert_for_acknowledger(user, public_id, audit=audit)
        for public_id in form.cleaned_data["alert"]
    ]
    done, taken = services.alerts_acknowledge(
        alerts=alerts, by=user, audit=audit, comment=form.cleaned_data["comment"]
    )
    if done:
        messages.success(request, f"{len(done)} alert{pluralize(len(done))} acknowledged.")
    if taken:
        messages.info(request, f"{len(taken)} had already been acknowledged by someone else.")
    return redirect(back)


@require_GET
@patient_required
def my_team(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    notes = Paginator(selectors.notes_shared_with(user), NOTES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "team": selectors.team_of(user),
        "notes": notes,
        "note_cards": views_cards.note_cards(
            notes, time_zone=user.time_zone, may_write=False, show_visibility=False
        ),
        "referrals": selectors.referrals_of(user),
    }
    return render(request, "careteam/my_team.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def team_manage(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The team of a patient, for everyone on the record; its lead and admins also add members here."""
    user, audit = signed_in_user(request), AuditContext.of(request)
    if request.method == "GET":
        patient, permissions = access.patient_record_with_permissions_for_user(
            user, public_id, audit=audit, action="team.view"
        )
        form = MembershipAddForm(patient=patient)
        return render(
            request, "careteam/team_manage.html", _team_context(patient, permissions.manage_team, form)
        )
    patient = access.patient_for_team_manager(user, public_id, audit=audit)
    form = MembershipAddForm(request.POST, patient=patient)
    if form.is_valid():
        with refusals_on(form):
            membership = services.membership_add(patient=patient, by=user, audit=audit, **form.cleaned_data)
            messages.success(request, f"{membership.clinician} is on the care team.")
            return redirect("careteam:team_manage", public_id=public_id)
    return render(request, "careteam/team_manage.html", _team_context(patient, True, form), status=400)


def _team_context(patient: User, manager: bool, form: MembershipAddForm) -> dict:
    today = clinic_today()
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
    user, audit = signed_in_user(request), AuditContext.of(request)
    membership = access.membership_for_manager(user, public_id, audit=audit)
    patient = membership.patient
    form = MembershipEndForm(request.POST, auto_id=f"end-{membership.public_id}-%s")
    if form.is_valid():
        with refusals_on(form):
            services.membership_end(
                membership=membership, by=user, audit=audit, last_day=form.cleaned_data["last_day"]
            )
            messages.success(request, f"{membership.clinician}'s membership of the care team is ended.")
            return redirect("careteam:team_manage", public_id=patient.patient_profile.public_id)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    context = _team_context(patient, True, MembershipAddForm(patient=patient))
    return render(request, "careteam/team_manage.html", context, status=400)
