"""The clinicians' side of reminders.

- Suggested times: a clinician on the patient's active care team suggests reminder times; nothing changes
  until the patient accepts (their times are then replaced by the suggested ones) or declines (nothing
  changes). A suggestion is answered once.
- Alerts reach the team: every new careteam Alert gives each clinician active on the patient's team an
  in-app notification at once, and an email digest at most once an hour that says how many alerts are new
  and links to the alert list (never a patient's name or health details). `alert_deliveries_due` makes the
  outbox rows; the pipeline's `dispatch_due` inserts and sends them like every other Delivery.
- `reminder_effect`: of the exercise reminders sent in the last four weeks, how many were followed by a
  logged session within three hours, so the team can see whether reminders help this patient.
"""

import bisect
import dataclasses
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.audit import AuditContext, audit_record
from accounts.models import User
from accounts.services import patient_lock
from careteam import access as careteam_access
from careteam.models import Alert, CareTeamMembership
from common.clinic_time import clinic_date
from rehab.models import SessionLog
from reminders.models import (
    WEEKDAYS,
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    ReminderKind,
    ReminderSettings,
    ReminderTime,
    TimeSuggestion,
)

MAX_SUGGESTED_TIMES = 6
NOTE_MAX_LENGTH = 500
_HH_MM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")

# How far back dispatch looks for alerts that have no outbox rows yet: long enough to cover a dispatcher
# that was down for a while, short enough that a clinician who joins a team later is not told of old alerts.
ALERT_LOOKBACK = datetime.timedelta(hours=24)
DIGEST_EVERY = datetime.timedelta(hours=1)

# The pipeline's words for the same skip, so the delivery log reads alike whatever made the row.
SKIP_CHANNEL_OFF = "channel switched off"

EFFECT_WINDOW = datetime.timedelta(weeks=4)
EFFECT_FOLLOW_UP = datetime.timedelta(hours=3)


# --- suggested times ------------------------------------------------------------------------------------


def _parse_time(value: Any) -> datetime.time:
    if isinstance(value, datetime.time):
        if value.second or value.microsecond or value.tzinfo is not None:
            raise ValidationError("Reminder times are set to the minute, such as 08:00.")
        return value
    match = _HH_MM.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValidationError(
            f"Give each time as hours and minutes, such as 08:00 (not {str(value)[:20]!r})."
        )
    return datetime.time(int(match[1]), int(match[2]))


def _parse_weekdays(value: Any, at: datetime.time) -> list[int]:
    if not isinstance(value, list | tuple) or not value:
        raise ValidationError(f"Choose at least one day of the week for {at:%H:%M}.")
    # bool is an int in Python: refuse True/False rather than read them as Tuesday and Monday.
    if any(isinstance(day, bool) or not isinstance(day, int) or day not in WEEKDAYS for day in value):
        raise ValidationError(f"Choose the days for {at:%H:%M} from Monday (0) to Sunday (6).")
    if len(set(value)) != len(value):
        raise ValidationError(f"Choose each day for {at:%H:%M} once.")
    return sorted(value)


def suggested_times_clean(times: Any) -> list[dict[str, Any]]:
    """The suggested times in their stored form, `[{"time": "HH:MM", "weekdays": [0, ...]}, ...]` in order
    of the time of day; a ValidationError says what is wrong with the input.

    Each item is a mapping with "time" ("HH:MM" or a `datetime.time` to the minute) and "weekdays" (Monday
    0 to Sunday 6); 1 to MAX_SUGGESTED_TIMES items, each time of day once (a patient has one reminder per
    time of day).
    """
    if not isinstance(times, list | tuple) or not times:
        raise ValidationError("Suggest at least one reminder time.")
    if len(times) > MAX_SUGGESTED_TIMES:
        raise ValidationError(f"Suggest at most {MAX_SUGGESTED_TIMES} reminder times.")
    cleaned: dict[datetime.time, list[int]] = {}
    for item in times:
        if not isinstance(item, Mapping) or set(item) != {"time", "weekdays"}:
            raise ValidationError("Give each suggested reminder as a time and its days of the week.")
        at = _parse_time(item["time"])
        if at in cleaned:
            raise ValidationError(f"{at:%H:%M} is suggested twice; suggest each time of day once.")
        cleaned[at] = _parse_weekdays(item["weekdays"], at)
    return [{"time": f"{at:%H:%M}", "weekdays": days} for at, days in sorted(cleaned.items())]


def suggested_reminder_times(suggestion: TimeSuggestion) -> list[ReminderTime]:
    """The suggestion's times as unsaved ReminderTime rows (for showing them, or saving them on accept)."""
    return [
        ReminderTime(user_id=suggestion.patient_id, time=_parse_time(item["time"]), weekdays=item["weekdays"])
        for item in suggestion.times
    ]


def _patient_name(patient: User) -> str:
    return patient.get_full_name() or "The patient"


@transaction.atomic
def time_suggestion_create(
    *,
    patient: User,
    by: User,
    times: Any,
    note: str = "",
    audit: AuditContext,
    now: datetime.datetime | None = None,
) -> TimeSuggestion:
    """A clinician on the patient's active care team suggests exercise reminder times (see
    `suggested_times_clean` for the form of `times`). The patient is told in the bell and answers on their
    Reminders page; until then nothing changes."""
    now = now or timezone.now()
    if not patient.is_patient:
        raise ValidationError("Reminder times can be suggested to patients only.")
    if not careteam_access.is_active_team_member(by, patient):
        raise ValidationError(
            "Only a clinician on this patient's care team today can suggest reminder times."
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"Keep the note to {NOTE_MAX_LENGTH} characters."})
    suggestion = TimeSuggestion(
        patient=patient, suggested_by=by, times=suggested_times_clean(times), note=note, created_at=now
    )
    suggestion.full_clean(exclude=["patient", "suggested_by"])
    suggestion.save()
    Notification.objects.create(
        user=patient,
        title=f"{by.get_full_name()} suggests new reminder times",
        body="Open your Reminders page to accept or decline them.",
        url=patient_reminders_path(),
        created_at=now,
    )
    audit_record(actor=by, action="reminders.suggestion.create", patient=patient, audit=audit, obj=suggestion)
    return suggestion


@transaction.atomic
def time_suggestion_answer(
    *,
    suggestion: TimeSuggestion,
    patient: User,
    accept: bool,
    audit: AuditContext,
    now: datetime.datetime | None = None,
) -> TimeSuggestion:
    """The patient accepts or declines a suggestion, once. Accepting replaces all their exercise reminder
    times with the suggested ones; declining keeps them. The clinician who suggested is told in the bell."""
    now = now or timezone.now()
    patient_lock(patient=patient)  # an accept and a decline sent at once take turns
    suggestion = TimeSuggestion.objects.select_related("suggested_by").get(pk=suggestion.pk)
    if suggestion.patient_id != patient.pk:
        raise ValidationError("This suggestion was made to someone else.")
    if suggestion.answered_at is not None:
        raise ValidationError("You have already answered this suggestion.")
    if accept:
        new_times = suggested_reminder_times(suggestion)
        for reminder in new_times:
            reminder.created_at = now
            reminder.full_clean(exclude=["user"], validate_constraints=False)
        ReminderTime.objects.filter(user=patient).delete()
        ReminderTime.objects.bulk_create(new_times)
    suggestion.answered_at = now
    suggestion.accepted = accept
    suggestion.save(update_fields=["answered_at", "accepted"])
    answer = "accepted" if accept else "declined"
    Notification.objects.create(
        user=suggestion.suggested_by,
        title=f"{_patient_name(patient)} {answer} the reminder times you suggested",
        url=patient_record_path(patient) + "#reminders",
        created_at=now,
    )
    audit_record(
        actor=patient,
        action="reminders.suggestion.accept" if accept else "reminders.suggestion.decline",
        patient=patient,
        audit=audit,
        obj=suggestion,
    )
    return suggestion


def own_suggestion(user: User, public_id: Any) -> TimeSuggestion:
    """One of the patient's own suggestions; someone else's or a missing one is 404 alike."""
    found = TimeSuggestion.objects.filter(patient=user, public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def pending_suggestions_of(patient: User) -> QuerySet[TimeSuggestion]:
    return (
        TimeSuggestion.objects.filter(patient=patient, answered_at__isnull=True)
        .select_related("suggested_by", "suggested_by__clinician_profile")
        .order_by("-created_at", "-id")
    )


@dataclasses.dataclass(frozen=True)
class PendingSuggestion:
    suggestion: TimeSuggestion
    times: list[ReminderTime]  # unsaved: for `time` and `weekdays_label`


def pending_suggestions_for(user: User) -> dict[str, Any]:
    """The template context of `reminders/_suggestions.html` for the patient's Reminders page: their
    unanswered suggestions, newest first, in one query. Empty for anyone who is not a patient."""
    if not user.is_authenticated or not user.is_patient:
        return {"pending_suggestions": []}
    pending = [
        PendingSuggestion(suggestion=suggestion, times=suggested_reminder_times(suggestion))
        for suggestion in pending_suggestions_of(user)
    ]
    return {"pending_suggestions": pending}


def patient_reminders_path() -> str:
    """The patient's Reminders page, where suggestions are answered."""
    return reverse("reminders:preferences") + "#suggestions"


def patient_record_path(patient: User) -> str:
    return reverse("careteam:patient_detail", args=[patient.patient_profile.public_id])


# --- alerts reach the team ------------------------------------------------------------------------------


def alert_source(alert_public_id: Any, clinician_id: int) -> str:
    """The source of a clinician's in-app row for an alert: "alert:<alert public id>:<clinician's user id>".

    The recipient is part of it because the outbox is unique on (source, occurrence, channel): each
    clinician of the team gets their own row for the same alert at the same moment.
    """
    return f"alert:{alert_public_id}:{clinician_id}"


def alert_of(delivery: Delivery) -> Alert | None:
    """The alert an "alert" delivery is about (None when it is gone or the delivery is of another kind)."""
    prefix, _, rest = delivery.source.partition(":")
    public_id = rest.split(":", 1)[0]
    if delivery.kind != ReminderKind.ALERT or prefix != "alert" or not public_id:
        return None
    try:
        return (
            Alert.objects.select_related("patient", "patient__patient_profile")
            .filter(public_id=public_id)
            .first()
        )
    except ValidationError:  # not a UUID
        return None


def digest_source(clinician_id: int) -> str:
    return f"alert_digest:{clinician_id}"


def _hour_start(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)


def _settings_by_user(user_ids: Iterable[int]) -> dict[int, ReminderSettings]:
    """Each person's saved settings; a person without a row has the defaults (in-app and email on)."""
    found = {row.user_id: row for row in ReminderSettings.objects.filter(user_id__in=set(user_ids))}
    return defaultdict(ReminderSettings, found)


def _row(
    *, recipient_id: int, kind: str, source: str, occurrence: datetime.datetime, channel: str, on: bool, now
) -> Delivery:
    """An unsaved outbox row: pending, or skipped with the reason when the person turned the channel off."""
    reason = "" if on else SKIP_CHANNEL_OFF
    return Delivery(
        recipient_id=recipient_id,
        kind=kind,
        source=source,
        occurrence=occurrence,
        channel=channel,
        status=DeliveryStatus.PENDING if on else DeliveryStatus.SKIPPED,
        skip_reason=reason,
        created_at=now,
    )


def alert_deliveries_due(*, now: datetime.datetime) -> list[Delivery]:
    """The outbox rows that alerts call for at `now`, unsaved, for the pipeline to insert with conflicts
    ignored (so a row already made, or made by a dispatcher running at the same time, is not made twice).

    - For each alert raised in the last ALERT_LOOKBACK, one in-app row (kind "alert", source
      "alert:<alert public id>:<clinician's user id>" (see `alert_source`), occurrence the moment it was
      raised) per clinician active on the patient's team today, unless that clinician already has one.
    - Per clinician, at most one email digest an hour (kind "alert_digest", source "alert_digest:<user id>",
      occurrence the start of the current hour in UTC), when alerts were raised for their patients between
      their previous digest (at most ALERT_LOOKBACK ago) and the start of this hour. `alert_digest_alerts`
      says which alerts a digest covers.

    A recipient who turned the channel off gets the row as skipped, so the delivery log says why. Five
    queries at most, one when no alert was raised in the lookback.
    """
    hour = _hour_start(now)
    alerts = list(
        Alert.objects.filter(raised_at__gte=hour - ALERT_LOOKBACK, raised_at__lte=now).values_list(
            "public_id", "patient_id", "raised_at"
        )
    )
    if not alerts:
        return []
    today = clinic_date(now)
    team: dict[int, set[int]] = defaultdict(set)  # patient id -> clinician ids active today
    for patient_id, clinician_id in (
        CareTeamMembership.objects.active_on(today)
        .filter(patient_id__in={patient_id for _, patient_id, _ in alerts}, clinician__is_active=True)
        .values_list("patient_id", "clinician_id")
    ):
        team[patient_id].add(clinician_id)
    clinicians = set().union(*team.values()) if team else set()
    if not clinicians:
        return []
    settings = _settings_by_user(clinicians)
    wanted = [
        (public_id, clinician_id, raised_at)
        for public_id, patient_id, raised_at in alerts
        for clinician_id in sorted(team.get(patient_id, ()))
    ]
    done = set(
        Delivery.objects.filter(
            kind=ReminderKind.ALERT,
            source__in=[alert_source(public_id, clinician_id) for public_id, clinician_id, _ in wanted],
        ).values_list("source", flat=True)
    )
    rows = [
        _row(
            recipient_id=clinician_id,
            kind=ReminderKind.ALERT,
            source=alert_source(public_id, clinician_id),
            occurrence=raised_at,
            channel=Channel.IN_APP,
            on=settings[clinician_id].in_app,
            now=now,
        )
        for public_id, clinician_id, raised_at in wanted
        if alert_source(public_id, clinician_id) not in done
    ]
    last_digest = dict(
        Delivery.objects.filter(kind=ReminderKind.ALERT_DIGEST, recipient_id__in=clinicians)
        .values_list("recipient_id")
        .annotate(last=Max("occurrence"))
        .values_list("recipient_id", "last")
    )
    for clinician_id in sorted(clinicians):
        since = max(last_digest.get(clinician_id) or hour - ALERT_LOOKBACK, hour - ALERT_LOOKBACK)
        if since >= hour:
            continue  # this hour's digest is made already
        if any(
            since <= raised_at < hour and clinician_id in team.get(patient_id, ())
            for _, patient_id, raised_at in alerts
        ):
            rows.append(
                _row(
                    recipient_id=clinician_id,
                    kind=ReminderKind.ALERT_DIGEST,
                    source=digest_source(clinician_id),
                    occurrence=hour,
                    channel=Channel.EMAIL,
                    on=settings[clinician_id].email,
                    now=now,
                )
            )
    return rows


def alert_digest_alerts(delivery: Delivery) -> QuerySet[Alert]:
    """The alerts an alert digest covers: raised for the recipient's patients of today's teams since their
    previous digest (at most ALERT_LOOKBACK before) and before the digest's hour began. For the message,
    which gives only their number and a link to the alert list."""
    if delivery.kind != ReminderKind.ALERT_DIGEST:
        raise ValueError(f"{delivery} is not an alert digest")
    earliest = delivery.occurrence - ALERT_LOOKBACK
    previous = (
        Delivery.objects.filter(
            kind=ReminderKind.ALERT_DIGEST,
            recipient_id=delivery.recipient_id,
            occurrence__lt=delivery.occurrence,
            occurrence__gte=earliest,
        ).aggregate(last=Max("occurrence"))["last"]
        or earliest
    )
    patients = (
        CareTeamMembership.objects.active_on(clinic_date(delivery.occurrence))
        .filter(clinician_id=delivery.recipient_id)
        .values("patient_id")
    )
    return Alert.objects.filter(
        patient_id__in=patients, raised_at__gte=previous, raised_at__lt=delivery.occurrence
    )


# --- did reminders help? ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReminderEffect:
    sent: int  # exercise reminders sent in the window (one per occurrence, whatever the channels)
    followed: int  # of those, how many had a session logged within EFFECT_FOLLOW_UP
    since: datetime.datetime
    until: datetime.datetime

    @property
    def percent(self) -> int | None:
        return round(100 * self.followed / self.sent) if self.sent else None


def reminder_effect(*, patient: User, now: datetime.datetime | None = None) -> ReminderEffect:
    """Of the patient's exercise reminders sent in the four weeks before `now`, how many were followed by a
    logged session within three hours of the moment they were due. Two queries.

    A reminder sent on two channels for the same moment counts once. A reminder due less than three hours
    ago is left out: it has not had its chance yet, and counting it would make a good day look bad.
    """
    now = now or timezone.now()
    since, until = now - EFFECT_WINDOW, now - EFFECT_FOLLOW_UP
    occurrences = sorted(
        set(
            Delivery.objects.filter(
                recipient=patient,
                kind=ReminderKind.EXERCISE,
                status=DeliveryStatus.SENT,
                occurrence__gte=since,
                occurrence__lte=until,
            ).values_list("source", "occurrence")
        ),
        key=lambda pair: pair[1],
    )
    logged = sorted(
        SessionLog.objects.filter(patient=patient, logged_at__gte=since, logged_at__lte=now).values_list(
            "logged_at", flat=True
        )
    )
    followed = 0
    for _, due in occurrences:
        first = bisect.bisect_left(logged, due)
        if first < len(logged) and logged[first] <= due + EFFECT_FOLLOW_UP:
            followed += 1
    return ReminderEffect(sent=len(occurrences), followed=followed, since=since, until=now)
