"""A patient's rights over their data: a copy of all the portal holds about them, and closing the account.

It gathers from every app, so it lives at the top layer. The copy holds what the patient can already see in
the portal (notes only when shared with them), never another person's data beyond the names of the
clinicians who wrote or changed something.
"""

import datetime
import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.audit import AuditContext, audit_record
from accounts.closure import closure_request_open
from accounts.models import AccountClosureRequest, User
from careteam.models import AlertKind, AlertSeverity
from careteam.selectors import memberships_of, notes_shared_with
from careteam.services import alert_raise
from conditions.models import RedFlagScreen, SymptomCheck
from rehab.models import ExerciseDone, MorningCheckIn, OutcomeMeasure, PlanRevision, Prescription, SessionLog
from rehab.selectors import plans_of
from reminders.models import Notification, ReminderSettings, ReminderTime, TimeSuggestion

EXPORT_FORMAT = "hamstring-rehab-portal/patient-export/1"
JSON_NAME = "my-data.json"
HTML_NAME = "my-data.html"


def _person(user: User | None) -> str:
    return user.get_full_name() if user is not None else ""


def _profile(patient: User) -> dict[str, Any]:
    profile = getattr(patient, "patient_profile", None)
    data: dict[str, Any] = {
        "email": patient.email,
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "time_zone": patient.time_zone,
        "date_joined": patient.date_joined,
    }
    if profile is not None:
        data |= {
            "date_of_birth": profile.date_of_birth,
            "affected_side": profile.get_affected_side_display(),
            "symptoms_began": profile.onset_date,
            "sport_or_occupation": profile.sport_or_occupation,
            "goals": profile.goals,
        }
    return data


def _care_team(patient: User) -> list[dict[str, Any]]:
    return [
        {
            "clinician": _person(membership.clinician),
            "discipline": membership.get_discipline_display(),
            "role": membership.get_role_display(),
            "from": membership.active_from,
            "to": membership.active_to,
        }
        for membership in memberships_of(patient)
    ]


def _plans(patient: User) -> list[dict[str, Any]]:
    plans = (
        plans_of(patient)
        .select_related("condition")
        .prefetch_related(
            Prefetch(
                "prescriptions", queryset=Prescription.objects.select_related("exercise").order_by("order")
            ),
            Prefetch("revisions", queryset=PlanRevision.objects.select_related("author").order_by("number")),
            "flare_ups",
        )
    )
    return [
        {
            "id": plan.public_id,
            "condition": plan.condition.name,
            "stage": plan.get_stage_display(),
            "status": plan.get_status_display(),
            "goals": plan.goals,
            "start_date": plan.start_date,
            "lead_clinician": _person(plan.lead_clinician),
            "pain_safe_up_to": plan.pain_safe_max,
            "pain_alert_above": plan.pain_alert_above,
            "exercises": [
                {
                    "exercise": prescription.exercise.name,
                    "dosage": prescription.dosage_label,
                    "rest_seconds": prescription.rest_seconds,
                    "load": prescription.load,
                    "times_per_day": prescription.times_per_day,
                    "days": prescription.days_label,
                    "note": prescription.note_to_patient,
                }
                for prescription in plan.prescriptions.all()
            ],
            "revisions": [
                {
                    "number": revision.number,
                    "at": revision.created_at,
                    "by": _person(revision.author),
                    "reason": revision.reason,
                    "summary": revision.summary,
                    "snapshot": revision.snapshot,
                }
                for revision in plan.revisions.all()
            ],
            "flare_ups": [
                {"started_at": flare_up.started_at, "ended_at": flare_up.ended_at, "note": flare_up.note}
                for flare_up in plan.flare_ups.all()
            ],
        }
        for plan in plans
    ]


def _sessions(patient: User) -> list[dict[str, Any]]:
    sessions = (
        SessionLog.objects.filter(patient=patient)
        .order_by("date", "slot", "extra")
        .prefetch_related(
            Prefetch(
                "exercises_done", queryset=ExerciseDone.objects.select_related("exercise").order_by("pk")
            )
        )
    )
    return [
        {
            "date": session.date,
            "session": session.slot_name,
            "extra_session": session.extra > 0,
            "pain_during": session.pain_during,
            "pain_after": session.pain_after,
            "effort": session.effort,
            "note": session.note,
            "logged_at": session.logged_at,
            "in_flare_up": session.in_flare_up,
            "suggestion": session.get_suggestion_display(),
            "exercises": [
                {
                    "exercise": done.exercise.name,
                    "sets_done": done.sets_done,
                    "sets_prescribed": done.sets_prescribed,
                }
                for done in session.exercises_done.all()
            ],
        }
        for session in sessions
    ]


def _check_ins(patient: User) -> list[dict[str, Any]]:
    return [
        {
            "date": check_in.date,
            "pain_on_waking": check_in.pain_on_waking,
            "pain_during_three_single_leg_bridges": check_in.load_test_pain,
            "suggestion": check_in.get_suggestion_display(),
            "at": check_in.created_at,
        }
        for check_in in MorningCheckIn.objects.filter(patient=patient).order_by("date")
    ]


def _questionnaires(patient: User) -> list[dict[str, Any]]:
    return [
        {
            "questionnaire": outcome.get_kind_display(),
            "taken_on": outcome.taken_on,
            "score": outcome.score,
            "out_of": outcome.maximum,
            "answers": outcome.answers,
        }
        for outcome in OutcomeMeasure.objects.filter(patient=patient).order_by("taken_on", "created_at")
    ]


def _shared_notes(patient: User) -> list[dict[str, Any]]:
    return [
        {
            "written_at": note.created_at,
            "by": _person(note.author),
            "discipline": note.get_author_discipline_display(),
            "subjective": note.subjective,
            "objective": note.objective,
            "assessment": note.assessment,
            "plan": note.plan,
            "text": note.body,
            "addenda": [
                {
                    "written_at": addendum.created_at,
                    "by": _person(addendum.author),
                    "reason": addendum.reason,
                    "text": addendum.body,
                }
                for addendum in note.addenda.all()
            ],
        }
        for note in notes_shared_with(patient).order_by("created_at", "id")
    ]


REMINDER_SETTING_FIELDS = (
    "in_app", "email", "sms", "sms_number", "exercise_on", "check_in_on", "questionnaire_on", "nudge_on",
    "plan_changed_on", "nudge_time", "quiet_start", "quiet_end", "paused_until", "snoozed_until",
)  # fmt: skip


def _reminders(patient: User) -> dict[str, Any]:
    """The patient's reminder choices; the calendar feed's secret token is left out, as it is a key."""
    settings_row = ReminderSettings.objects.filter(user=patient).first()
    return {
        "settings": (
            {name: getattr(settings_row, name) for name in REMINDER_SETTING_FIELDS} if settings_row else None
        ),
        "times": [
            {"time": reminder.time, "days": reminder.weekdays_label}
            for reminder in ReminderTime.objects.filter(user=patient).order_by("time")
        ],
        "suggested_times": [
            {
                "suggested_at": suggestion.created_at,
                "by": _person(suggestion.suggested_by),
                "times": suggestion.times,
                "note": suggestion.note,
                "accepted": suggestion.accepted,
            }
            for suggestion in TimeSuggestion.objects.filter(patient=patient)
            .select_related("suggested_by")
            .order_by("created_at")
        ],
        "notifications": [
            {
                "at": notification.created_at,
                "title": notification.title,
                "text": notification.body,
                "read_at": notification.read_at,
            }
            for notification in Notification.objects.filter(user=patient).order_by("created_at")
        ],  # fmt: skip
    }


def _self_checks(patient: User) -> list[dict[str, Any]]:
    return [
        {
            "at": check.created_at,
            "result": check.get_result_kind_display(),
            "severity": check.get_severity_display(),
            "score": check.score,
            "red_flags": check.red_flags,
            "answers": check.answers,
        }
        for check in SymptomCheck.objects.filter(patient=patient).order_by("created_at")
    ]


def _red_flag_screens(patient: User) -> list[dict[str, Any]]:
    return [
        {
            "at": screen.created_at,
            "asked_when": screen.get_source_display(),
            "urgency": screen.get_urgency_display(),
            "flags": screen.flags,
            "answers": screen.answers,
            "released_at": screen.released_at,
            "released_by": _person(screen.released_by),
            "release_note": screen.release_note,
        }
        for screen in RedFlagScreen.objects.filter(patient=patient)
        .select_related("released_by")
        .order_by("created_at")
    ]


def patient_data_collect(*, patient: User, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Everything the portal holds about the patient that is theirs to take away, as plain values."""
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now or timezone.now(),
        "profile": _profile(patient),
        "care_team": _care_team(patient),
        "plans": _plans(patient),
        "sessions": _sessions(patient),
        "check_ins": _check_ins(patient),
        "questionnaires": _questionnaires(patient),
        "shared_notes": _shared_notes(patient),
        "reminders": _reminders(patient),
        "self_checks": _self_checks(patient),
        "red_flag_screens": _red_flag_screens(patient),
    }


def patient_data_export(*, patient: User, audit: AuditContext, now: datetime.datetime | None = None) -> bytes:
    """A ZIP of the patient's data: `my-data.json` for other software and `my-data.html` to read, with no
    external files, every value escaped. Audited as "patient.data_export"."""
    if not patient.is_patient:
        raise ValueError("Only a patient's data is exported.")
    data = patient_data_collect(patient=patient, now=now)
    with timezone.override(patient.zone):
        summary = render_to_string("portal/data_export_summary.html", {"data": data, "patient": patient})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
        archive.writestr(HTML_NAME, summary)
    audit_record(actor=patient, action="patient.data_export", patient=patient, audit=audit)
    return buffer.getvalue()


def export_file_name(*, patient: User, now: datetime.datetime | None = None) -> str:
    day = timezone.localtime(now or timezone.now(), patient.zone).date()
    return f"my-rehab-data-{day:%Y-%m-%d}.zip"


@transaction.atomic
def account_close(
    *, patient: User, reason: str, audit: AuditContext, now: datetime.datetime | None = None
) -> AccountClosureRequest:
    """The patient asks to close their account: sign-in stops now, and their care team is told.

    An admin completes the request later (`accounts.closure.closure_complete`); the records are kept.
    """
    closure = closure_request_open(patient=patient, reason=reason, audit=audit, now=now)
    alert_raise(
        patient=patient,
        kind=AlertKind.ACCOUNT_CLOSURE,
        severity=AlertSeverity.LOW,
        trigger="The patient asked to close their portal account and can no longer sign in. "
        "An admin completes the request; their records are kept.",
        dedupe_key=f"closure:{closure.public_id}",
        now=closure.requested_at,
    )
    return closure
