"""Rehab's entries on careteam's patient timeline: plan revisions and the patient's daily loop.

The one registered source, `rehab_record_source`, reads revisions, sessions, check-ins, flare-ups and outcome
scores together in one query, so the timeline's query count does not grow with rehab's share of it.
"""

import json
import uuid

from django.db import models
from django.db.models import Case, Expression, F, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, Lower
from django.urls import reverse

from accounts.models import User
from careteam.timeline import TimelineEntry, register
from conditions import red_flags
from conditions.models import RedFlagScreen, ScreenSource
from rehab.models import FlareUp, MorningCheckIn, OutcomeMeasure, PlanRevision, SessionLog
from rehab.outcomes import MAXIMUM, OutcomeKind
from rehab.pain_rules import Suggestion


def _progress_url(patient: User) -> str:
    return reverse("rehab:patient_progress", args=[patient.patient_profile.public_id])


# Every row of the combined query has these columns, in this order, whatever it comes from.
_COLUMNS: dict[str, models.Field] = {
    "tl_at": models.DateTimeField(),
    "tl_kind": models.CharField(),
    "tl_n1": models.IntegerField(),
    "tl_n2": models.IntegerField(),
    "tl_n3": models.IntegerField(),
    "tl_flag": models.BooleanField(),
    "tl_day": models.DateField(),
    "tl_t1": models.TextField(),
    "tl_t2": models.TextField(),
    "tl_t3": models.TextField(),
    "tl_first": models.CharField(),
    "tl_last": models.CharField(),
    "tl_ref": models.CharField(),
    "tl_score": models.DecimalField(max_digits=4, decimal_places=1),
}


def _rows(queryset: QuerySet, **columns) -> QuerySet:
    """The queryset as timeline rows, all in `_COLUMNS` order: a column is a field path or a constant
    `Value`; the columns not given are NULL."""
    annotations: dict[str, Expression] = {}
    for name, field in _COLUMNS.items():
        value = columns.get(name.removeprefix("tl_"))
        # Typed NULLs and constants: PostgreSQL matches a UNION's column types branch by branch.
        if value is None:
            annotations[name] = Cast(Value(None), output_field=field)
        elif isinstance(value, str):
            annotations[name] = Cast(F(value), output_field=field)
        else:
            annotations[name] = Cast(value, output_field=field)
    return queryset.order_by().annotate(**annotations).values(*_COLUMNS)


def rehab_record_source(patient: User, limit: int) -> list[TimelineEntry]:
    """Plan revisions, sessions, check-ins, flare-ups (both moments), outcome scores and red-flag holds (both
    moments) in ONE query: the
    newest `limit` of them all, read with a UNION so that the timeline's query count stays flat."""
    revisions = _rows(
        PlanRevision.objects.filter(plan__patient=patient),
        at="created_at", kind=Value("revision"), n1="number", t1="summary", t2="reason",
        first="author__first_name", last="author__last_name", ref="plan__public_id",
    )  # fmt: skip
    sessions = _rows(
        SessionLog.objects.filter(patient=patient),
        at="logged_at", kind=Value("session"), n1="pain_during", n2="pain_after", n3="effort",
        flag="in_flare_up", day="date", t1=_session_name(), t2="note", t3="suggestion",
    )  # fmt: skip
    check_ins = _rows(
        MorningCheckIn.objects.filter(patient=patient),
        at="created_at", kind=Value("check_in"), n1="pain_on_waking", n2="load_test_pain", day="date",
        t3="suggestion",
    )  # fmt: skip
    flare_starts = _rows(
        FlareUp.objects.filter(plan__patient=patient),
        at="started_at", kind=Value("flare_on"), first="started_by__first_name", last="started_by__last_name",
    )  # fmt: skip
    # Only the patient's own cancellation (`flare_up_cancel`) ends a flare-up with the patient as `ended_by`.
    flare_ends = _rows(
        FlareUp.objects.filter(plan__patient=patient, ended_at__isnull=False),
        at="ended_at", kind=Value("flare_off"), t2="note",
        first="ended_by__first_name", last="ended_by__last_name",
        flag=Case(When(ended_by=F("plan__patient"), then=Value(True)), default=Value(False)),
    )  # fmt: skip
    scores = _rows(
        OutcomeMeasure.objects.filter(patient=patient),
        at="created_at", kind=Value("outcome"), t1="kind", score="score",
    )  # fmt: skip
    flagged = RedFlagScreen.objects.flagged().filter(patient=patient)
    red_flag_screens = _rows(
        flagged, at="created_at", kind=Value("red_flags"), t1="source", t2="urgency", t3="flags",
    )  # fmt: skip
    hold_releases = _rows(
        flagged.filter(released_at__isnull=False),
        at="released_at", kind=Value("hold_release"), t2="release_note",
        first="released_by__first_name", last="released_by__last_name",
    )  # fmt: skip
    rows = revisions.union(
        sessions, check_ins, flare_starts, flare_ends, scores, red_flag_screens, hold_releases, all=True
    ).order_by("-tl_at")[:limit]
    progress_url = _progress_url(patient)
    plan_url = reverse("rehab:plan_builder", args=[patient.patient_profile.public_id])
    return [_entry(row, progress_url, plan_url) for row in rows]


def _session_name() -> Case:
    """The slot's name, or for a session done again "Extra morning" ("Extra" on a day of one session)."""
    return Case(
        When(extra=0, then=F("slot_name")),
        When(slot_name="Today", then=Value("Extra")),
        default=Concat(Value("Extra "), Lower("slot_name")),
        output_field=models.TextField(),
    )


def _actor(row: dict) -> str:
    return f"{row['tl_first'] or ''} {row['tl_last'] or ''}".strip()


def _entry(row: dict, progress_url: str, plan_url: str) -> TimelineEntry:
    kind, at = row["tl_kind"], row["tl_at"]
    if kind == "revision":
        return TimelineEntry(
            at=at,
            category="Plan",
            title=f"Plan revision {row['tl_n1']}: {row['tl_t1']}",
            detail=f"Reason: {row['tl_t2']}",
            actor=_actor(row),
            # A UUID cast to text has dashes on PostgreSQL and none on SQLite; the URL wants dashes.
            url=reverse("rehab:plan_history", args=[uuid.UUID(row["tl_ref"])]),
        )
    if kind == "session":
        scores = (
            f"pain {row['tl_n1']}/10 during, {row['tl_n2']}/10 after, effort {row['tl_n3']}/10"
            if row["tl_n1"] is not None
            else "not rated"
        )
        suggestion = f"; suggested: {Suggestion(row['tl_t3']).label.lower()}" if row["tl_t3"] else ""
        flare = " (flare-up set)" if row["tl_flag"] else ""
        return TimelineEntry(
            at=at,
            category="Session",
            title=f"{row['tl_t1']} session of {row['tl_day']:%d %b} logged{flare}: {scores}{suggestion}",
            detail=row["tl_t2"] or "",
            url=progress_url,
        )
    if kind == "check_in":
        return TimelineEntry(
            at=at,
            category="Check-in",
            title=f"Morning check-in: pain on waking {row['tl_n1']}/10, load test {row['tl_n2']}/10; "
            f"suggested: {Suggestion(row['tl_t3']).label.lower()}",
            url=progress_url,
        )
    if kind == "red_flags":
        flags = red_flags.flags_from_codes(json.loads(row["tl_t3"]))
        return TimelineEntry(
            at=at,
            category="Red flag",
            title=f"Red flags reported ({ScreenSource(row['tl_t1']).label}); urgency: "
            f"{red_flags.Urgency(row['tl_t2']).label.lower()}. Plan on hold.",
            detail="; ".join(flag.label for flag in flags),
            url=plan_url,
        )
    if kind == "hold_release":
        return TimelineEntry(
            at=at,
            category="Red flag",
            title="Plan released from the red-flag hold",
            detail=row["tl_t2"] or "",
            actor=_actor(row),
            url=plan_url,
        )
    if kind in ("flare_on", "flare_off"):
        if kind == "flare_on":
            title, detail = "Flare-up mode switched on", ""
        elif row["tl_flag"]:
            title = "Flare-up mode cancelled by the patient"
            detail = "Switched off by the patient within the hour allowed for undoing a mistaken start."
        else:
            title, detail = "Flare-up mode ended", row["tl_t2"] or ""
        return TimelineEntry(
            at=at,
            category="Flare-up",
            title=title,
            detail=detail,
            actor=_actor(row),
            url=plan_url,
        )
    measure = OutcomeKind(row["tl_t1"])
    return TimelineEntry(
        at=at,
        category="Outcome",
        title=f"{measure.label}: {row['tl_score'].normalize():f} of {MAXIMUM[measure]}",
        url=progress_url,
    )


def register_rehab_sources() -> None:
    register("rehab.record", rehab_record_source)
