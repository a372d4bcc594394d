"""The patient's Reminders page: times of day, what to be reminded about and how, quiet hours, a pause, a
one-tap snooze and the private calendar link. Each form posts to its own address and comes back here."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import patient_required
from accounts.audit import AuditContext
from accounts.models import User
from accounts.views import signed_in_user
from common.forms import refusals_on
from rehab import selectors as rehab_selectors
from reminders.forms import PauseForm, SettingsForm, SnoozeForm, TimeAddForm
from reminders.models import ReminderSettings
from reminders.services import clinicians, pipeline, preferences

PAGE = "reminders:preferences"


def _settings_initial(row: ReminderSettings) -> dict:
    return {name: getattr(row, name) for name in preferences.SETTINGS_FIELDS}


def _page(request: HttpRequest, user: User, *, status: int = 200, **forms) -> HttpResponse:
    now = timezone.now()
    today = now.astimezone(user.zone).date()
    row = preferences.settings_of(user)
    times = preferences.times_of(user)
    context = {
        "settings_row": row,
        "times": times,
        "max_times": preferences.MAX_TIMES,
        "room_for_more": len(times) < preferences.MAX_TIMES,
        "settings_form": forms.get("settings_form") or SettingsForm(initial=_settings_initial(row)),
        "time_form": forms.get("time_form") or TimeAddForm(),
        "pause_form": forms.get("pause_form")
        or PauseForm(initial={"paused_until": row.paused_until}, today=today),
        "snooze_form": forms.get("snooze_form"),
        "snoozed": preferences.is_snoozed(row, now),
        "paused": preferences.is_paused(row, today),
        # Absolute from PORTAL_BASE_URL (https in production): a calendar app needs the full address.
        "feed_url": f"{settings.PORTAL_BASE_URL}{reverse('reminders:feed', args=[row.feed_token])}"
        if row.pk
        else None,
        "has_plan": rehab_selectors.active_plan_of(user) is not None,
        "zone_name": user.time_zone,
        **clinicians.pending_suggestions_for(user),  # times the care team suggested, to accept or decline
    }
    return render(request, "reminders/preferences.html", context, status=status)


@login_required
@require_GET
@patient_required
def reminders_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if (
        not ReminderSettings.objects.filter(user=user).exists()
        and rehab_selectors.active_plan_of(user) is not None
    ):
        # A patient with a plan who has no settings yet sees the defaults: one reminder per daily session.
        pipeline.reminder_defaults_ensure(user=user)
    return _page(request, user)


@login_required
@require_POST
@patient_required
def settings_save(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = SettingsForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            preferences.reminder_settings_update(
                user=user, changes=form.changes(), audit=AuditContext.of(request)
            )
            messages.success(request, "Your reminder choices are saved.")
            return redirect(PAGE)
    return _page(request, user, status=400, settings_form=form)


@login_required
@require_POST
@patient_required
def time_add(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = TimeAddForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            added = preferences.reminder_time_add(
                user=user,
                time=form.cleaned_data["time"],
                weekdays=form.cleaned_data["weekdays"],
                audit=AuditContext.of(request),
            )
            messages.success(request, f"Reminder added: {added.time:%H:%M}, {added.weekdays_label}.")
            return redirect(f"{reverse(PAGE)}#times")
    return _page(request, user, status=400, time_form=form)


@login_required
@require_POST
@patient_required
def time_remove(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    reminder_time = preferences.own_reminder_time(user, public_id)
    preferences.reminder_time_remove(user=user, reminder_time=reminder_time, audit=AuditContext.of(request))
    messages.success(request, f"The {reminder_time.time:%H:%M} reminder is removed.")
    return redirect(f"{reverse(PAGE)}#times")


@login_required
@require_POST
@patient_required
def snooze(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        return _page(request, user, status=400, snooze_form=form)
    row = preferences.reminders_snooze(user=user, choice=form.snooze(), audit=AuditContext.of(request))
    until = timezone.localtime(row.snoozed_until, user.zone)
    messages.success(request, f"Reminders are snoozed until {dateformat.format(until, 'l j F, H:i')}.")
    return redirect(PAGE)


@login_required
@require_POST
@patient_required
def snooze_cancel(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    preferences.reminders_snooze_cancel(user=user, audit=AuditContext.of(request))
    messages.success(request, "Snooze cancelled: reminders come at their usual times again.")
    return redirect(PAGE)


@login_required
@require_POST
@patient_required
def pause(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PauseForm(request.POST, today=user.local_today())
    if form.is_valid():
        with refusals_on(form):
            preferences.reminders_pause(
                user=user, until=form.cleaned_data["paused_until"], audit=AuditContext.of(request)
            )
            last_day = dateformat.format(form.cleaned_data["paused_until"], "l j F")
            messages.success(request, f"Reminders are paused up to and including {last_day}.")
            return redirect(f"{reverse(PAGE)}#pause")
    return _page(request, user, status=400, pause_form=form)


@login_required
@require_POST
@patient_required
def resume(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    preferences.reminders_resume(user=user, audit=AuditContext.of(request))
    messages.success(request, "Reminders are back on.")
    return redirect(f"{reverse(PAGE)}#pause")


@login_required
@require_POST
@patient_required
def feed_renew(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    preferences.feed_token_renew(user=user, audit=AuditContext.of(request))
    messages.success(
        request,
        "Here is your new calendar link. The old one no longer works, so add this one to your calendar app.",
    )
    return redirect(f"{reverse(PAGE)}#calendar")
