"""The exercise player: one of today's sessions, one exercise at a time, with a timer for each hold and a
counter for each set (static/rehab/player.js), then how it went. It saves what Today's log and rating save,
through the same services (`daily.session_log_rated`). Without JavaScript the page is the session's list of
exercises with the same form.

Every slot of the day can be played: one already logged, or not due yet, is saved as an extra session, and
the page says so before anything is saved.
"""

import dataclasses
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.access import patient_required
from accounts.audit import AuditContext
from accounts.models import User
from accounts.views import signed_in_user
from rehab import schedule, selectors
from rehab.forms import SessionPlayedForm
from rehab.models import Prescription, RehabPlan, SessionLog
from rehab.services import daily
from rehab.views import screening


@dataclasses.dataclass(frozen=True)
class PlayerStep:
    """One exercise of the player: a hold timer for holds without repetitions, else a set and rep counter."""

    item: Prescription
    number: int
    sets_value: str  # the sets box of the form: the prescribed sets, or what was sent

    @property
    def kind(self) -> str:
        return "hold" if self.item.hold_seconds and not self.item.reps else "reps"

    @property
    def key(self) -> str:
        return str(self.item.public_id)

    @property
    def rest_label(self) -> str:
        return duration_label(self.item.rest_seconds)


def duration_label(seconds: int) -> str:
    """'45 s', '2 min' or '1 min 30 s'."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


@dataclasses.dataclass(frozen=True)
class PlayedSlot:
    """A slot of today as the player offers it: saved as the slot's session, or as an extra one."""

    day: datetime.date
    session: schedule.Session
    logged: SessionLog | None  # the slot's planned session, when it is logged
    not_due_yet: bool
    in_flare_up: bool

    @property
    def extra(self) -> bool:
        return self.logged is not None or self.not_due_yet

    @property
    def title(self) -> str:
        return "Today's session" if self.session.name == "Today" else f"{self.session.name} session"


def _slot_to_play(plan: RehabPlan, user: User, slot: int) -> PlayedSlot:
    """The session of `slot` today, as Today lists it (the flare-up set during a flare-up); 404 when today
    has no such session."""
    now = timezone.now()
    today = now.astimezone(user.zone).date()
    in_flare_up = selectors.open_flare_up(plan) is not None
    prescriptions = list(plan.prescriptions.all())
    items = selectors.flare_up_set_of(prescriptions, plan=plan) if in_flare_up else prescriptions
    logged = selectors.sessions_logged_on(plan, today)
    day = schedule.day_plan(items, now=now, zone=user.zone, logged=set(logged))
    session = next((session for session in day.sessions if session.index == slot), None)
    if session is None:
        raise Http404
    return PlayedSlot(
        day=today,
        session=session,
        logged=logged.get(slot),
        not_due_yet=session in day.later,
        in_flare_up=in_flare_up,
    )


def _sets_value(form: SessionPlayedForm, item: Prescription) -> str:
    if not form.is_bound:
        return str(item.sets)
    return str(form.data.get(f"sets-{item.public_id}", ""))[:20]


def _form_errors(form: SessionPlayedForm) -> list[str]:
    """Every message of the form, for the summary above it (the scales repeat theirs next to them)."""
    return [str(message) for errors in form.errors.values() for message in errors]


def _player_page(
    request: HttpRequest,
    plan: RehabPlan,
    played: PlayedSlot,
    form: SessionPlayedForm,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    steps = [
        PlayerStep(item, number, _sets_value(form, item))
        for number, item in enumerate(played.session.items, start=1)
    ]
    return render(
        request,
        "rehab/player.html",
        {
            "plan": plan,
            "played": played,
            "steps": steps,
            "form": form,
            "ticked": set(form["done"].value() or []) if form.is_bound else set(),
            "errors": errors or [],
            "scale": range(11),
        },
        status=status,
    )


def _saved_what(session: SessionLog) -> str:
    if not session.is_extra and session.slot_name == "Today":
        return "today's session"
    return f"your {session.title.lower()}"


@login_required
@require_http_methods(["GET", "POST"])
@patient_required
def session_player(request: HttpRequest, slot: int) -> HttpResponse:
    user = signed_in_user(request)
    plan = selectors.active_plan_of(user)
    if plan is None:  # Today says there is no plan yet
        return redirect("rehab:today")
    held = screening.on_hold_page(request, user, status=200 if request.method == "GET" else 400)
    if held is not None:
        return held
    played = _slot_to_play(plan, user, slot)
    if request.method == "GET":
        form = SessionPlayedForm(items=played.session.items, initial={"day": played.day})
        return _player_page(request, plan, played, form)
    form = SessionPlayedForm(request.POST, items=played.session.items)
    if not form.is_valid():
        return _player_page(request, plan, played, form, errors=_form_errors(form), status=400)
    done = None
    if request.POST.get("action") != "all":
        done = {item.pk or daily.FLARE_UP_FALLBACK_KEY: sets for item, sets in form.ticked()}
    data = form.cleaned_data
    try:
        session, _ = daily.session_log_rated(
            plan=plan,
            patient=user,
            day=data["day"],
            slot=slot,
            done=done,
            extra=data["extra"],
            pain_during=data["pain_during"],
            pain_after=data["pain_after"],
            effort=data["effort"],
            note=data["note"],
            audit=AuditContext.of(request),
        )
    except ValidationError as error:
        return _player_page(request, plan, played, form, errors=list(error.messages), status=400)
    messages.success(request, f"Saved: {_saved_what(session)} and how it went. Well done.")
    # No #suggestion fragment here: scrolling to it would take the focus from the saved message.
    return redirect(f"{reverse('rehab:today')}?logged={session.public_id}")
