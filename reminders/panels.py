"""What reminders add to the pages of the apps below it, through their registries (filled in
`RemindersConfig.ready()`): the patient's reminder settings, read-only, on the patient record
(careteam.panels), and on the clinician's progress page how often reminders were followed by a session, with
the "suggest times" form (rehab.panels). The pages have checked access and audited the read already."""

from typing import Any

from django.db import models
from django.db.models import FilteredRelation, Q, Subquery
from django.utils import timezone

from accounts.models import User
from careteam import access as careteam_access
from common.panels import Panel
from reminders.models import ReminderKind, ReminderSettings, ReminderTime, TimeSuggestion
from reminders.services import clinicians, preferences
from reminders.suggestion_forms import suggestion_forms

RECENT_SUGGESTIONS = 3


def settings_panel(*, viewer: User, patient: User) -> Panel | None:
    """The patient's reminder settings and times, read-only, with their latest suggestions and the
    "suggest times" link for the team's clinicians. One query."""
    if not patient.is_patient:
        return None
    row, times, suggestions = _settings_times_and_suggestions(patient)
    now = timezone.now()
    return Panel(
        "reminders/_record_panel.html",
        {
            "patient": patient,
            "settings": row,
            "saved": row.pk is not None,
            "times": times,
            "kinds": [(kind.label, getattr(row, name)) for name, kind in KIND_FIELDS],
            "channels": [label for value, label in CHANNELS if getattr(row, value)],
            "snoozed": preferences.is_snoozed(row, now),
            "paused": preferences.is_paused(row, patient.local_today()),
            "suggestions": suggestions,
            "may_suggest": careteam_access.permissions_at_door(viewer, patient).change_plan,
        },
    )


def _fields(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _settings_times_and_suggestions(
    patient: User,
) -> tuple[ReminderSettings, list[ReminderTime], list[TimeSuggestion]]:
    """`preferences.settings_of`, `preferences.times_of` and the `RECENT_SUGGESTIONS` latest suggestions (with
    who made them), in one query: the patient's row left-joined to their settings, to each of their times and
    to each of those suggestions (a few times by at most three suggestions), taken apart here."""
    latest = (
        TimeSuggestion.objects.filter(patient=patient)
        .order_by("-created_at", "-id")
        .values("id")[:RECENT_SUGGESTIONS]
    )
    parts = {
        "reminder_settings": _fields(ReminderSettings),
        "reminder_times": _fields(ReminderTime),
        "latest_suggestions": _fields(TimeSuggestion),
        "latest_suggestions__suggested_by": ["id", "first_name", "last_name"],
    }
    rows = list(
        User.objects.filter(pk=patient.pk)
        .annotate(
            latest_suggestions=FilteredRelation(
                "time_suggestions", condition=Q(time_suggestions__id__in=Subquery(latest))
            )
        )
        .values(*[f"{part}__{name}" for part, names in parts.items() for name in names])
    )

    def built(model: type[models.Model], part: str, row: dict) -> Any:
        found = model(**{name: row[f"{part}__{name}"] for name in parts[part]})
        found._state.adding = False
        return found

    first = rows[0] if rows else {}
    settings = (
        ReminderSettings(user=patient)
        if first.get("reminder_settings__id") is None
        else built(ReminderSettings, "reminder_settings", first)
    )
    times: dict[int, ReminderTime] = {}
    suggestions: dict[int, TimeSuggestion] = {}
    for row in rows:
        if row["reminder_times__id"] is not None and row["reminder_times__id"] not in times:
            times[row["reminder_times__id"]] = built(ReminderTime, "reminder_times", row)
        if row["latest_suggestions__id"] is not None and row["latest_suggestions__id"] not in suggestions:
            suggestion = built(TimeSuggestion, "latest_suggestions", row)
            suggestion.suggested_by = built(User, "latest_suggestions__suggested_by", row)
            suggestions[suggestion.pk] = suggestion
    return (
        settings,
        sorted(times.values(), key=lambda item: item.time),
        sorted(suggestions.values(), key=lambda item: (item.created_at, item.pk), reverse=True),
    )


KIND_FIELDS = (
    ("exercise_on", ReminderKind.EXERCISE),
    ("check_in_on", ReminderKind.CHECK_IN),
    ("questionnaire_on", ReminderKind.QUESTIONNAIRE),
    ("nudge_on", ReminderKind.NUDGE),
    ("plan_changed_on", ReminderKind.PLAN_CHANGED),
)
CHANNELS = (("in_app", "in the portal"), ("email", "email"), ("sms", "text message"))


def effect_panel(*, viewer: User, patient: User) -> Panel | None:
    """Of the reminders sent in the last four weeks, how many were followed by a session within three hours;
    and, for the team's clinicians, the form to suggest other times. Four queries."""
    if not patient.is_patient:
        return None
    may_suggest = careteam_access.permissions_at_door(viewer, patient).change_plan
    context = {
        "patient": patient,
        "effect": clinicians.reminder_effect(patient=patient, now=timezone.now()),
        "may_suggest": may_suggest,
        "current_times": preferences.times_of(patient),
    }
    if may_suggest:
        context["times_formset"], context["note_form"] = suggestion_forms()
    return Panel("reminders/_progress_panel.html", context)


def register_panels() -> None:
    from careteam.panels import register_record_panel
    from rehab.panels import register_progress_panel

    register_record_panel("reminders.settings", settings_panel)
    register_progress_panel("reminders.effect", effect_panel)
