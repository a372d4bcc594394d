"""The patient's daily loop: Today (what to do now), logging and rating a session, the morning check-in and
starting a flare-up; and the pain rules as clinicians read them."""

import datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import patient_required, staff_required
from accounts.audit import AuditContext
from accounts.models import User
from accounts.views import signed_in_user
from common.numbers import parse_small_int
from rehab import access, pain_rules, schedule, selectors
from rehab.forms import CheckInForm, SessionRateForm
from rehab.models import RehabPlan
from rehab.services import daily


def _own_plan(request: HttpRequest) -> tuple[User, RehabPlan]:
    user = signed_in_user(request)
    return user, access.own_active_plan_for_user(user)


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
            just_rated = (found, daily.session_advice(found))
    just_checked = None
    checked_id = _uuid_or_none(request.GET.get("checked", ""))
    if checked_id is not None:
        check_in = plan.check_ins.filter(public_id=checked_id).first()
        if check_in is not None:
            check_in.plan = plan
            just_checked = (check_in, daily.check_in_advice(check_in))
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
@patient_required
def today(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    plan = selectors.active_plan_of(user)
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
@patient_required
def today_session_log(request: HttpRequest) -> HttpResponse:
    user, plan = _own_plan(request)
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
        daily.session_log(
            plan=plan, patient=user, day=day, slot=slot, done=done, audit=AuditContext.of(request)
        )
    except ValidationError as error:
        return _today_400(request, user, plan, _messages_of(error))
    messages.success(request, "Saved. Now say how it went: it takes ten seconds.")
    return redirect(f"{reverse('rehab:today')}#rate")


@login_required
@require_POST
@patient_required
def today_session_rate(request: HttpRequest, session_id: UUID) -> HttpResponse:
    user, plan = _own_plan(request)
    session = access.session_in_plan(plan, session_id)
    form = SessionRateForm(request.POST)
    if not form.is_valid():
        return _today_400(request, user, plan, [], rate_form=form)
    try:
        daily.session_rate(session=session, patient=user, audit=AuditContext.of(request), **form.cleaned_data)
    except ValidationError as error:
        return _today_400(request, user, plan, _messages_of(error), rate_form=form)
    return redirect(f"{reverse('rehab:today')}?logged={session.public_id}#suggestion")


@login_required
@require_POST
@patient_required
def today_check_in(request: HttpRequest) -> HttpResponse:
    user, plan = _own_plan(request)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _today_400(request, user, plan, [], check_in_form=form)
    try:
        check_in, _ = daily.check_in_record(
            plan=plan, patient=user, audit=AuditContext.of(request), **form.cleaned_data
        )
    except ValidationError as error:
        return _today_400(request, user, plan, _messages_of(error), check_in_form=form)
    return redirect(f"{reverse('rehab:today')}?checked={check_in.public_id}#check-in-result")


@login_required
@require_POST
@patient_required
def today_flare_up(request: HttpRequest) -> HttpResponse:
    user, plan = _own_plan(request)
    try:
        daily.flare_up_start(plan=plan, by=user, audit=AuditContext.of(request))
    except ValidationError as error:
        return _today_400(request, user, plan, _messages_of(error))
    messages.info(request, "Flare-up mode is on. Your care team has been told.")
    return redirect("rehab:today")


@login_required
@require_GET
@staff_required
def pain_rules_page(request: HttpRequest) -> HttpResponse:
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
