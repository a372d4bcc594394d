"""What reminders add to the pages of the apps below it, through their registries (filled in
`RemindersConfig.ready()`): the patient's reminder settings, read-only, on the patient record
(careteam.panels), and on the clinician's progress page how often reminders were followed by a session, with
the "suggest times" form (rehab.panels). The pages have checked access and audited the read already."""

from django.utils import timezone

from accounts.models import User
from careteam import access as careteam_access
from common.panels import Panel
from reminders.models import ReminderKind, TimeSuggestion
from reminders.services import clinicians, preferences
from reminders.suggestion_forms import suggestion_forms

RECENT_SUGGESTIONS = 3


def settings_panel(*, viewer: User, patient: User) -> Panel | None:
    """The patient's reminder settings and times, read-only, with their latest suggestions and the
    "suggest times" link for the team's clinicians. Four queries."""
    if not patient.is_patient:
        return None
    row = preferences.settings_of(patient)
    suggestions = list(
        TimeSuggestion.objects.filter(patient=patient)
        .select_related("suggested_by")
        .order_by("-created_at", "-id")[:RECENT_SUGGESTIONS]
    )
    now = timezone.now()
    return Panel(
        "reminders/_record_panel.html",
        {
            "patient": patient,
            "settings": row,
            "saved": row.pk is not None,
            "times": preferences.times_of(patient),
            "kinds": [(kind.label, getattr(row, name)) for name, kind in KIND_FIELDS],
            "channels": [label for value, label in CHANNELS if getattr(row, value)],
            "snoozed": preferences.is_snoozed(row, now),
            "paused": preferences.is_paused(row, patient.local_today()),
            "suggestions": suggestions,
            "may_suggest": careteam_access.may_change_plan(viewer, patient),
        },
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
    may_suggest = careteam_access.may_change_plan(viewer, patient)
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
