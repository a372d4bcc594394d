"""The red-flag screen on the patient's side of the daily loop: the page Today becomes while the plan is on
hold, what Today adds for the weekly "anything new?" check, and the screen a patient answers before a
flare-up starts. The weekly check's own post is a Today view (`rehab.views.daily.today_weekly_check`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.access import patient_required
from accounts.audit import AuditContext
from accounts.models import User
from accounts.views import signed_in_user
from conditions.forms import RedFlagChecklistForm
from rehab import holds, selectors
from rehab.services import screening

SENT_TO_TEAM = (
    "Your care team has been told, and your exercises are on hold until a clinician has reviewed this."
)


def on_hold_page(
    request: HttpRequest, user: User, *, status: int = 200, title: str = "Today"
) -> HttpResponse | None:
    """What every page with exercises on it (Today, My plan, the printout, an exercise) shows the patient
    while their plan is on hold, or None when it is not."""
    hold = holds.plan_hold_of(user)
    if hold is None:
        return None
    return hold_page(request, hold, status=status, title=title)


def hold_page(
    request: HttpRequest, hold: holds.PlanHold, *, status: int = 200, title: str = "Today"
) -> HttpResponse:
    return render(request, "rehab/on_hold.html", {"hold": hold, "title": title}, status=status)


def weekly_check_context(screens: holds.TodayScreens, *, form: RedFlagChecklistForm | None = None) -> dict:
    """What Today adds for the weekly check: the form while it is due (or sent back with errors), and the
    clinician's note from a release in the past week."""
    due = form is not None or screens.weekly_check_due
    return {
        "weekly_form": (form or RedFlagChecklistForm(prefix="weekly")) if due else None,
        "hold_released": screens.recent_release,
    }


@login_required
@require_http_methods(["GET", "POST"])
@patient_required
def today_flare_up(request: HttpRequest) -> HttpResponse:
    """A flare-up starts only after the screen: a sudden worsening can be a red flag."""
    user = signed_in_user(request)
    plan = selectors.active_plan_of(user)
    if plan is None:  # Today says there is no plan yet
        return redirect("rehab:today")
    held = on_hold_page(request, user, status=200 if request.method == "GET" else 400)
    if held is not None:
        return held
    if request.method == "GET" and selectors.open_flare_up(plan) is not None:
        messages.info(request, "Flare-up mode is already on; your care team knows.")
        return redirect("rehab:today")
    form = RedFlagChecklistForm(request.POST or None, prefix="flare")
    if request.method == "POST" and form.is_valid():
        try:
            screen, _ = screening.flare_up_start_screened(
                plan=plan, by=user, answers=form.answers(), audit=AuditContext.of(request)
            )
        except ValidationError as error:
            return render(
                request, "rehab/flare_up_start.html", {"form": form, "errors": error.messages}, status=400
            )
        if screen.flags:
            messages.error(request, SENT_TO_TEAM)
        else:
            messages.info(request, "Flare-up mode is on. Your care team has been told.")
        return redirect("rehab:today")
    status = 400 if request.method == "POST" else 200
    return render(request, "rehab/flare_up_start.html", {"form": form}, status=status)
