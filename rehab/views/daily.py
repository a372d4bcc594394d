"""The patient's daily loop: Today (what to do now), logging and rating a session, the morning check-in and
starting a flare-up; and the pain rules as clinicians read them."""

import datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
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
from common.private_page_cache import KeptPage
from conditions.forms import RedFlagChecklistForm
from rehab import access, holds, outcomes, pain_rules, schedule, selectors, trends
from rehab.forms import CheckInForm, SessionRateForm
from rehab.models import (
    PAIN_ALERT_ABOVE_MAX,
    Exercise,
    FlareUp,
    OutcomeMeasure,
    PlanStatus,
    Prescription,
    RehabPlan,
    dosage_label,
)
from rehab.progress import FLARE_UP_FALLBACK
from rehab.services import daily
from rehab.services import screening as screening_services
from rehab.views import screening


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
    flare_up = _open_flare_up(plan)
    prescriptions = list(plan.prescriptions.all())
    items = selectors.flare_up_set_of(prescriptions, plan=plan) if flare_up else prescriptions
    recent = selectors.recent_sessions(plan, today)
    logged = recent.logged_today
    day = schedule.day_plan(items, now=now, zone=user.zone, logged=set(logged))
    chosen = parse_small_int(request.GET.get("slot", ""))
    shown = day.due_now
    if chosen is not None and chosen in day.open_indexes():
        shown = next(session for session in day.sessions if session.index == chosen)
    unrated = [session for session in logged.values() if not session.is_rated]
    # A session done but not rated yesterday is still asked about, so its pain reaches the rules.
    to_rate = max(unrated, key=lambda session: session.logged_at) if unrated else recent.unrated_yesterday
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
        "check_in_wanted": check_in_form is not None or recent.check_in_wanted,
        "check_in_form": check_in_form or CheckInForm(initial={"day": today}),
        "due_outcomes": _due_outcomes(plan, today),
        "errors": errors or [],
        "scale": range(11),
        "flare_up_has_items": bool(items) if flare_up else True,
        "flare_up_cancellable": flare_up is not None and daily.flare_up_cancellable(flare_up, user, now),
        "check_in_overdue": recent.check_in_overdue(plan, now, user.zone),
        "greeting": greeting_for(now.astimezone(user.zone).hour),
    }


def greeting_for(hour: int) -> str:
    """The greeting for the hour where the patient is (their own zone, not the clinic's or the server's)."""
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


def _todays_plan(user: User) -> RehabPlan | None:
    """`selectors.active_plan_of` for Today, in fewer round trips: without the joins Today never reads (the
    care team, the condition; the patient is the person signed in), and with the id of the open flare-up and
    the day each questionnaire was last taken read alongside (`_open_flare_up`, `_due_outcomes`)."""
    last_taken = {
        f"last_taken_{kind}": Subquery(
            OutcomeMeasure.objects.filter(patient_id=OuterRef("patient_id"), kind=kind)
            .order_by("-taken_on")
            .values("taken_on")[:1]
        )
        for kind in outcomes.OutcomeKind.values
    }
    open_flare_up = FlareUp.objects.filter(plan_id=OuterRef("pk"), ended_at__isnull=True).order_by("pk")
    plan = (
        RehabPlan.objects.filter(patient=user, status=PlanStatus.ACTIVE)
        .annotate(open_flare_up_id=Subquery(open_flare_up.values("pk")[:1]), **last_taken)
        .prefetch_related(
            Prefetch(
                "prescriptions",
                queryset=Prescription.objects.select_related("exercise").order_by("order", "pk"),
            )
        )
        .first()
    )
    if plan is not None:
        plan.patient = user
    return plan


def _open_flare_up(plan: RehabPlan) -> FlareUp | None:
    """`selectors.open_flare_up`, read only when there is one if the plan came from `_todays_plan`."""
    if getattr(plan, "open_flare_up_id", True) is None:
        return None
    return selectors.open_flare_up(plan)


def _due_outcomes(plan: RehabPlan, today: datetime.date) -> list[outcomes.Due]:
    """`selectors.due_outcomes`, from the dates read with the plan if it came from `_todays_plan`."""
    kinds = outcomes.OutcomeKind.values
    if not all(hasattr(plan, f"last_taken_{kind}") for kind in kinds):
        return selectors.due_outcomes(plan, today)
    last_taken = {kind: getattr(plan, f"last_taken_{kind}") for kind in kinds}
    return outcomes.due_measures(
        start=plan.start_date,
        today=today,
        last_taken={kind: day for kind, day in last_taken.items() if day is not None},
    )


@login_required
@require_GET
@patient_required
def today(request: HttpRequest) -> HttpResponse:
    kept = KeptPage(request, query=("slot", "logged", "checked"))
    if (served := kept.served()) is not None:
        return served.response
    user = signed_in_user(request)
    plan = _todays_plan(user)
    if plan is None:
        return kept.keep(render(request, "rehab/today.html", {"plan": None}))
    return kept.keep(today_page(request, user, plan))


def today_page(
    request: HttpRequest,
    user: User,
    plan: RehabPlan,
    *,
    status: int = 200,
    weekly_form: RedFlagChecklistForm | None = None,
    **extra,
) -> HttpResponse:
    """Today, or while red flags hold the plan the page that says why and what to do instead."""
    screens = holds.today_screens_of(user, timezone.now())
    if screens.hold is not None:
        return screening.hold_page(request, screens.hold, status=status)
    context = _today_context(request, user, plan, **extra) | screening.weekly_check_context(
        screens, form=weekly_form
    )
    return render(request, "rehab/today.html", context, status=status)


def _today_400(request: HttpRequest, user: User, plan: RehabPlan, errors: list[str], **forms) -> HttpResponse:
    return today_page(request, user, plan, status=400, errors=errors, **forms)


@login_required
@require_POST
@patient_required
def today_weekly_check(request: HttpRequest) -> HttpResponse:
    user, plan = _own_plan(request)
    form = RedFlagChecklistForm(request.POST, prefix="weekly")
    if not form.is_valid():
        return today_page(request, user, plan, status=400, weekly_form=form)
    try:
        screen = screening_services.weekly_check_record(
            plan=plan, patient=user, answers=form.answers(), audit=AuditContext.of(request)
        )
    except ValidationError as error:
        return _today_400(request, user, plan, _messages_of(error))
    if screen.flags:
        messages.error(request, screening.SENT_TO_TEAM)
    else:
        messages.success(request, "Thank you. Nothing new this week, so carry on with your plan.")
    return redirect("rehab:today")


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _ticked(plan: RehabPlan, public_id: UUID) -> tuple[int, Prescription]:
    """The `session_log` key and the prescription that a ticked box names; the flare-up fallback, which has
    no row, is named by its stable public id (`selectors.flare_up_fallback`)."""
    fallback = selectors.flare_up_fallback(plan)
    if fallback is not None and public_id == fallback.public_id:
        return daily.FLARE_UP_FALLBACK_KEY, fallback
    prescription = access.prescription_in_plan(plan, public_id)
    return prescription.pk, prescription


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
            key, prescription = _ticked(plan, public_id)
            sets = parse_small_int(
                request.POST.get(f"sets-{public_id}", "").strip() or str(prescription.sets)
            )
            if sets is None:
                errors.append(f"{prescription.exercise.name}: sets done must be a whole number.")
                continue
            done[key] = sets
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
def today_flare_up_cancel(request: HttpRequest) -> HttpResponse:
    user, plan = _own_plan(request)
    flare_up = selectors.open_flare_up(plan)
    if flare_up is None:
        return _today_400(request, user, plan, ["Flare-up mode is not on, so there is nothing to cancel."])
    try:
        daily.flare_up_cancel(flare_up=flare_up, by=user, audit=AuditContext.of(request))
    except ValidationError as error:
        return _today_400(request, user, plan, _messages_of(error))
    messages.info(
        request, "Flare-up mode is cancelled and your full plan is back. Your care team can see this."
    )
    return redirect("rehab:today")


def _fallback_words() -> dict[str, str]:
    entry = FLARE_UP_FALLBACK
    exercise = Exercise.objects.filter(slug=entry["exercise"]).first()
    return {
        "name": exercise.name if exercise else entry["exercise"].replace("-", " "),
        "dosage": f"{dosage_label(entry['sets'], entry['reps'], entry['hold_seconds'])}, "
        f"{entry['times_per_day']} times a day, every day, at a comfortable effort",
    }


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
            "alert_above_max": PAIN_ALERT_ABOVE_MAX,
            "trend": {
                "days": trends.WINDOW_DAYS,
                "slope": trends.SLOPE_PER_DAY,
                "slope_points": trends.SLOPE_MIN_POINTS,
                "mean_rise": trends.MEAN_RISE,
                "mean_points": trends.MEAN_MIN_POINTS,
            },
            "fallback": _fallback_words(),
        },
    )
