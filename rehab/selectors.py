"""Reads that rehab's pages share, with the joins they need so that query counts stay flat."""

import dataclasses
import datetime
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import User
from careteam.selectors import patients_of
from rehab import charts, outcomes, progress
from rehab.models import (
    EVERY_DAY,
    Exercise,
    FlareUp,
    MorningCheckIn,
    OutcomeMeasure,
    PlanRevision,
    PlanStatus,
    PlanTemplate,
    Prescription,
    RehabPlan,
    SessionLog,
)


def prescriptions_of(plan: RehabPlan) -> QuerySet[Prescription]:
    return plan.prescriptions.select_related("exercise").order_by("order", "pk")


def active_plan_of(patient: User) -> RehabPlan | None:
    return (
        RehabPlan.objects.filter(patient=patient, status=PlanStatus.ACTIVE)
        .select_related("patient__patient_profile", "lead_clinician", "condition")
        .prefetch_related(
            Prefetch(
                "prescriptions",
                queryset=Prescription.objects.select_related("exercise").order_by("order", "pk"),
            )
        )
        .first()
    )


def active_plans_of(patient_ids: Iterable[int]) -> dict[int, RehabPlan]:
    """The bulk form of `active_plan_of`, by patient id (a patient without an active plan is left out), with
    the prescriptions in the order `prescriptions_of` gives them."""
    plans = (
        RehabPlan.objects.filter(patient_id__in=list(patient_ids), status=PlanStatus.ACTIVE)
        .select_related("lead_clinician", "condition")
        .prefetch_related(
            Prefetch(
                "prescriptions",
                queryset=Prescription.objects.select_related("exercise").order_by("order", "pk"),
            )
        )
        .order_by("pk")
    )
    found: dict[int, RehabPlan] = {}
    for plan in plans:
        found.setdefault(plan.patient_id, plan)  # the first by pk, as `.first()` picks
    return found


def current_plan_of(patient: User) -> RehabPlan | None:
    """The active plan, or else the latest one, without its prescriptions, in one query (progress pages)."""
    plan = (
        RehabPlan.objects.filter(patient=patient)
        .order_by(Case(When(status=PlanStatus.ACTIVE, then=Value(0)), default=Value(1)), "-created_at", "pk")
        .first()
    )
    if plan is not None:
        plan.patient = patient
    return plan


def plans_of(patient: User) -> QuerySet[RehabPlan]:
    return (
        RehabPlan.objects.filter(patient=patient)
        .select_related("patient", "lead_clinician")
        .order_by("-created_at")
    )


def past_plans_of(patient: User) -> QuerySet[RehabPlan]:
    return plans_of(patient).exclude(status=PlanStatus.ACTIVE)


def latest_revision(plan: RehabPlan) -> PlanRevision | None:
    return plan.revisions.select_related("author").order_by("-number").first()


def revisions_of(plan: RehabPlan) -> QuerySet[PlanRevision]:
    return plan.revisions.select_related("author").order_by("-number")


def templates_with_items() -> QuerySet[PlanTemplate]:
    return PlanTemplate.objects.prefetch_related("items__exercise").order_by("stage")


def exercises_matching(
    *, text: str = "", stage: int | None = None, hip_flexion: str = "", target: str = "", position: str = ""
) -> list[Exercise]:
    """The plan builder's search of the library, by name: one query however many match. Each word of `text`
    must be in the name, the summary or the equipment. The stages are a JSON list, filtered here so that
    SQLite and PostgreSQL answer alike."""
    exercises = Exercise.objects.defer("steps", "cautions").order_by("name")
    for word in text.split():
        exercises = exercises.filter(
            Q(name__icontains=word) | Q(summary__icontains=word) | Q(equipment__icontains=word)
        )
    if hip_flexion:
        exercises = exercises.filter(hip_flexion=hip_flexion)
    if target:
        exercises = exercises.filter(target=target)
    if position:
        exercises = exercises.filter(position=position)
    return [exercise for exercise in exercises if stage is None or stage in exercise.stages]


def flare_up_lately(plan: RehabPlan, *, days: int = 14) -> bool:
    """Whether the plan is in a flare-up or came out of one in the last `days` days."""
    since = timezone.now() - datetime.timedelta(days=days)
    return plan.flare_ups.filter(Q(ended_at__isnull=True) | Q(ended_at__gte=since)).exists()


# How "My patients" can be sorted: by name, by the stage of the active plan, or those with open alerts first;
# the name breaks ties, and patients without an active plan come last when sorted by stage.
PATIENT_SORTS = {
    "name": ("last_name", "first_name", "id"),
    "stage": (F("plan_stage").asc(nulls_last=True), "last_name", "first_name", "id"),
    "attention": ("-has_open_alerts", "last_name", "first_name", "id"),
}


def my_patients(
    clinician: User,
    *,
    search: str = "",
    stage: int | None = None,
    needs_attention: bool = False,
    sort: str = "name",
):
    """The clinician's patients with the stage of their active plan and whether an alert is open, sorted by
    one of `PATIENT_SORTS`. Only what "My patients" shows is read: the name, email, time zone (for adherence)
    and record's public id; reading another field of these patients costs a query of its own."""
    active_plan = RehabPlan.objects.filter(patient=OuterRef("pk"), status=PlanStatus.ACTIVE)
    patients = (
        patients_of(clinician)
        .only("first_name", "last_name", "email", "time_zone", "patient_profile__public_id")
        .annotate(plan_stage=Subquery(active_plan.values("stage")[:1]))
    )
    if search:
        for word in search.split():
            patients = patients.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
    if stage is not None:
        patients = patients.filter(plan_stage=stage)
    if needs_attention:
        patients = patients.filter(has_open_alerts=True)  # type: ignore[misc]  # annotated in patients_of
    return patients.order_by(*PATIENT_SORTS.get(sort, PATIENT_SORTS["name"]))


# --- the daily loop: Today, progress and readiness -------------------------------------------------------


# The flare-up fallback has no row of its own; this namespace gives it a stable public id per plan, so that
# Today's form can name it like any other exercise.
_FALLBACK_NAMESPACE = uuid.UUID("6f1c3d0e-2b7a-4c55-9a7e-3f0d8e2b9c41")


def flare_up_fallback(plan: RehabPlan) -> Prescription | None:
    """The flare-up set of a plan with no ticked and no isometric exercise: `progress.FLARE_UP_FALLBACK`, as
    an unsaved Prescription of the plan (pk None), so Today, My plan, the printout and `schedule` treat it
    like any other. None only when the library lacks the exercise (it is loaded with the portal's data).

    Why not a real row: a Prescription row would show in the clinician's plan builder and in every revision
    snapshot, and would have to be kept in step with each change to the plan. Instead the fallback is worked
    out from the plan whenever it is needed; a session logged with it records the exercise done without a
    prescription (`ExerciseDone.prescription` is empty, as for an exercise later removed from a plan).
    """
    entry = progress.FLARE_UP_FALLBACK
    exercise = Exercise.objects.filter(slug=entry["exercise"]).first()
    if exercise is None:
        return None
    return Prescription(
        plan=plan,
        exercise=exercise,
        public_id=uuid.uuid5(_FALLBACK_NAMESPACE, str(plan.public_id)),
        sets=entry["sets"],
        reps=entry["reps"],
        hold_seconds=entry["hold_seconds"],
        rest_seconds=entry["rest_seconds"],
        times_per_day=entry["times_per_day"],
        days_of_week=list(EVERY_DAY),
        load=entry["load"],
        note_to_patient=entry["note_to_patient"],
        in_flare_up_set=True,
    )


def flare_up_set_of(
    prescriptions: list[Prescription], *, plan: RehabPlan | None = None
) -> list[Prescription]:
    """The exercises for a flare-up: those the clinician ticked, or when none is ticked the isometric ones,
    or when there are none of those either the plan's `flare_up_fallback`; never empty while the library has
    the bridge hold. `plan` is needed only for a plan without any exercise."""
    ticked = [item for item in prescriptions if item.in_flare_up_set]
    chosen = ticked or [item for item in prescriptions if item.exercise.is_isometric]
    if chosen:
        return chosen
    plan = plan or (prescriptions[0].plan if prescriptions else None)
    fallback = flare_up_fallback(plan) if plan is not None else None
    return [fallback] if fallback is not None else []


def open_flare_up(plan: RehabPlan) -> FlareUp | None:
    return plan.flare_ups.filter(ended_at__isnull=True).select_related("started_by").first()


def flare_up_state(plan: RehabPlan, *, days: int = 14) -> tuple[FlareUp | None, bool]:
    """`open_flare_up` and `flare_up_lately` in one query: the open flare-up, and whether the plan is in one
    or came out of one in the last `days` days."""
    since = timezone.now() - datetime.timedelta(days=days)
    recent = list(
        plan.flare_ups.filter(Q(ended_at__isnull=True) | Q(ended_at__gte=since)).select_related("started_by")
    )
    return next((flare_up for flare_up in recent if flare_up.ended_at is None), None), bool(recent)


def prescriptions_for_day(plan: RehabPlan, *, in_flare_up: bool) -> list[Prescription]:
    prescriptions = list(prescriptions_of(plan))
    return flare_up_set_of(prescriptions, plan=plan) if in_flare_up else prescriptions


def sessions_logged_on(plan: RehabPlan, day: datetime.date) -> dict[int, SessionLog]:
    """The planned session logged in each slot of the day, by slot; extra sessions are left out."""
    return {session.slot: session for session in plan.sessions.filter(date=day, extra=0)}


def plans_in_flare_up(plan_ids: Iterable[int]) -> set[int]:
    """The bulk form of `open_flare_up(plan) is not None`: which of these plans have a flare-up open."""
    return set(
        FlareUp.objects.filter(plan_id__in=list(plan_ids), ended_at__isnull=True).values_list(
            "plan_id", flat=True
        )
    )


def slots_logged_on(
    plan_ids: Iterable[int], days: Iterable[datetime.date]
) -> dict[tuple[int, datetime.date], set[int]]:
    """The bulk form of `set(sessions_logged_on(plan, day))`: the slots logged, by (plan id, day)."""
    logged: dict[tuple[int, datetime.date], set[int]] = defaultdict(set)
    rows = SessionLog.objects.filter(plan_id__in=list(plan_ids), date__in=list(days), extra=0).values_list(
        "plan_id", "date", "slot"
    )
    for plan_id, day, slot in rows:
        logged[plan_id, day].add(slot)
    return logged


def unrated_session_on(plan: RehabPlan, day: datetime.date) -> SessionLog | None:
    return plan.sessions.filter(date=day, rated_at__isnull=True).order_by("-logged_at").first()


def last_taken_by_kind(patient: User | int) -> dict[str, datetime.date]:
    rows = OutcomeMeasure.objects.filter(patient=patient).values("kind").annotate(last=Max("taken_on"))
    return {row["kind"]: row["last"] for row in rows}


def latest_outcome_before(patient: User, kind: str, day: datetime.date) -> OutcomeMeasure | None:
    """The patient's most recent measure of this kind taken before `day` (the patient's local date)."""
    return (
        OutcomeMeasure.objects.filter(patient=patient, kind=kind, taken_on__lt=day)
        .order_by("-taken_on", "-created_at")
        .first()
    )


def psfs_activities_to_rate_again(patient: User, day: datetime.date) -> list[str]:
    """The activities of the patient's latest PSFS before `day`, in its order: a PSFS on `day` rates each
    of them again. Empty before the first PSFS."""
    previous = latest_outcome_before(patient, outcomes.OutcomeKind.PSFS, day)
    return [row["activity"] for row in previous.answers["activities"]] if previous else []


def due_outcomes(plan: RehabPlan, today: datetime.date) -> list[outcomes.Due]:
    return outcomes.due_measures(
        start=plan.start_date, today=today, last_taken=last_taken_by_kind(plan.patient_id)
    )


def check_in_wanted(plan: RehabPlan, today: datetime.date) -> bool:
    """The next-morning card: a session was logged yesterday and there is no check-in today yet."""
    yesterday = today - datetime.timedelta(days=1)
    return plan.sessions.filter(date=yesterday).filter(~_checked_in(plan, today)).exists()


@dataclasses.dataclass(frozen=True)
class RecentSessions:
    """Today's and yesterday's sessions of a plan (planned and extra), each annotated with whether today's
    morning check-in is in, read in one query for Today. Each property answers as the selector it names."""

    today: datetime.date
    sessions: list[SessionLog]

    @property
    def yesterday(self) -> datetime.date:
        return self.today - datetime.timedelta(days=1)

    @property
    def _of_yesterday(self) -> list[SessionLog]:
        return [session for session in self.sessions if session.date == self.yesterday]

    @property
    def logged_today(self) -> dict[int, SessionLog]:
        """`sessions_logged_on(plan, today)`."""
        return {
            session.slot: session
            for session in self.sessions
            if session.date == self.today and not session.is_extra
        }

    @property
    def unrated_yesterday(self) -> SessionLog | None:
        """`unrated_session_on(plan, yesterday)`."""
        unrated = [session for session in self._of_yesterday if not session.is_rated]
        return max(unrated, key=lambda session: session.logged_at, default=None)

    @property
    def check_in_wanted(self) -> bool:
        """`check_in_wanted(plan, today)`."""
        return any(not session.checked_in_today for session in self._of_yesterday)  # type: ignore[attr-defined]

    def check_in_overdue(self, plan: RehabPlan, now: datetime.datetime, zone) -> SessionLog | None:
        """`check_in_overdue(plan, now, zone)`, for a `now` whose local date is `today`."""
        if now.astimezone(zone).time() < CHECK_IN_PROMPT_AFTER:
            return None
        above = [
            session
            for session in self._of_yesterday
            if session.is_rated
            and not session.checked_in_today  # type: ignore[attr-defined]
            and max(session.pain_during or 0, session.pain_after or 0) > plan.pain_safe_max
        ]
        return max(above, key=lambda item: (item.pain_during or 0, item.pain_after or 0), default=None)


def recent_sessions(plan: RehabPlan, today: datetime.date) -> RecentSessions:
    yesterday = today - datetime.timedelta(days=1)
    sessions = plan.sessions.filter(date__in=[today, yesterday]).annotate(
        checked_in_today=_checked_in(plan, today)
    )
    return RecentSessions(today=today, sessions=list(sessions))


def _checked_in(plan: RehabPlan, day: datetime.date) -> Exists:
    """Whether the plan has the morning check-in of `day`, to be asked inside another query."""
    return Exists(MorningCheckIn.objects.filter(plan_id=plan.pk, date=day))


# The patient's local time after which a missing next-morning check-in is asked about on Today.
CHECK_IN_PROMPT_AFTER = datetime.time(12)


def sessions_above_safe(plan: RehabPlan) -> QuerySet[SessionLog]:
    """Rated sessions whose pain during or after went above the plan's safe limit (the acceptable zone and
    beyond): each needs the next morning's check-in before more load is suggested."""
    return plan.sessions.filter(rated_at__isnull=False).filter(
        Q(pain_during__gt=plan.pain_safe_max) | Q(pain_after__gt=plan.pain_safe_max)
    )


def check_in_overdue(plan: RehabPlan, now: datetime.datetime, zone) -> SessionLog | None:
    """Yesterday's session above the safe limit (the most painful during, if more than one) when it is past
    midday in the patient's zone and there is still no check-in today; None otherwise. Today shows a gentle
    prompt for it."""
    local = now.astimezone(zone)
    today = local.date()
    if local.time() < CHECK_IN_PROMPT_AFTER:
        return None
    yesterday = today - datetime.timedelta(days=1)
    return (
        sessions_above_safe(plan)
        .filter(date=yesterday)
        .filter(~_checked_in(plan, today))
        .order_by("-pain_during", "-pain_after")
        .first()
    )


def missed_check_in_days(plan: RehabPlan, today: datetime.date, *, count: int = 2) -> list[datetime.date]:
    """The days of the `count` most recent above-safe sessions whose next day is over, newest first, if
    each of them went without a check-in the next day; [] when fewer sessions or any was followed by one.
    A next day that is still today is not over: its check-in can still come."""
    days = list(
        sessions_above_safe(plan)
        .filter(date__lt=today - datetime.timedelta(days=1))
        .order_by("-date")
        .values_list("date", flat=True)
        .distinct()[:count]
    )
    if len(days) < count:
        return []
    mornings = [day + datetime.timedelta(days=1) for day in days]
    if plan.check_ins.filter(date__in=mornings).exists():
        return []
    return days


def _planned_by_day(rows: Iterable[tuple], *, last: datetime.date) -> dict[datetime.date, int]:
    """`sessions_done_by_day` up to `last`, from session rows (date, ..., extra) already read for the pain."""
    counts: dict[datetime.date, int] = defaultdict(int)
    for row in rows:
        if row[0] <= last and not row[-1]:
            counts[row[0]] += 1
    return dict(counts)


def sessions_done_by_day(
    plan: RehabPlan, first: datetime.date, last: datetime.date
) -> dict[datetime.date, int]:
    """The planned sessions done each day, for adherence: an extra one does not make up for a missed one."""
    rows = (
        plan.sessions.filter(date__gte=first, date__lte=last, extra=0)
        .values("date")
        .annotate(done=Count("id"))
        .order_by()
    )
    return {row["date"]: row["done"] for row in rows}


# --- a plan's history in one query ------------------------------------------------------------------------

# Every row of `_history` has these columns, whatever table it comes from. PostgreSQL matches a UNION's column
# types branch by branch, so each column is cast, NULLs included (as rehab/timeline.py does).
_HISTORY_COLUMNS: dict[str, models.Field] = {
    "h_kind": models.CharField(),
    "h_plan": models.IntegerField(),
    "h_day": models.DateField(),
    "h_at": models.DateTimeField(),
    "h_until": models.DateTimeField(),
    "h_n1": models.IntegerField(),
    "h_n2": models.IntegerField(),
    "h_n3": models.IntegerField(),
    "h_score": models.DecimalField(max_digits=4, decimal_places=1),
    "h_text": models.TextField(),
}


def _history_rows(queryset: QuerySet, kind: str, **columns: str) -> QuerySet:
    """The queryset's rows as `_HISTORY_COLUMNS`, labelled `kind`: each column given is a field path, the
    others are NULL. The label and the NULLs are written as typed SQL literals: a `Cast` of a `Value` would
    say the same at several times the cost of building the query, and most of a row's columns are NULL."""
    annotations: dict[str, Any] = {}
    for name, field in _HISTORY_COLUMNS.items():
        path = columns.get(name.removeprefix("h_"))
        if name == "h_kind":
            annotations[name] = RawSQL(f"CAST(%s AS {_sql_type(field)})", (kind,), output_field=field)  # noqa: S611
        elif path:
            annotations[name] = Cast(F(path), output_field=field)
        else:
            annotations[name] = RawSQL(f"CAST(NULL AS {_sql_type(field)})", (), output_field=field)  # noqa: S611
    return queryset.order_by().annotate(**annotations).values(*_HISTORY_COLUMNS)


def _sql_type(field: models.Field) -> str:
    """The type `Cast` would name for `field` (no user input reaches the SQL: the kind is a parameter)."""
    return field.cast_db_type(connection)  # type: ignore[attr-defined]  # Django's; not in its stubs


def _history(*parts: QuerySet) -> dict[str, list[dict]]:
    """The rows of several `_history_rows` querysets, read with one UNION ALL query, by kind."""
    first, *rest = parts
    found: dict[str, list[dict]] = defaultdict(list)
    for row in first.union(*rest, all=True):
        found[row["h_kind"]].append(row)
    return found


def _isometric_rows() -> QuerySet:
    return _history_rows(Exercise.objects.filter(is_isometric=True), "isometric", text="slug")


def _revisions_of(rows: list[dict]) -> list[tuple[datetime.datetime, dict]]:
    """(saved at, snapshot) of revision rows, oldest first; the snapshot comes back as JSON text."""
    ordered = sorted(rows, key=lambda row: row["h_n1"])
    return [(row["h_at"], _json(row["h_text"])) for row in ordered]


def _json(text: str | dict) -> dict:
    return text if isinstance(text, dict) else json.loads(text)


def recent_adherence(patients, *, days: int = 7) -> dict[int, progress.Adherence]:
    """Each patient's adherence over their last `days` full days (in their own time zone), by patient id, for
    a page of patients in one query whatever their number: their active plans come with their history."""
    zones = {patient.pk: patient.zone for patient in patients}
    if not zones:
        return {}
    active = {"plan__patient_id__in": list(zones), "plan__status": PlanStatus.ACTIVE}
    earliest = timezone.now().date() - datetime.timedelta(days=days + 2)
    history = _history(
        _history_rows(
            RehabPlan.objects.filter(patient_id__in=list(zones), status=PlanStatus.ACTIVE),
            "plan",
            plan="id",
            day="start_date",
            n1="patient_id",
        ),
        _history_rows(
            PlanRevision.objects.filter(**active),
            "revision",
            plan="plan_id",
            at="created_at",
            n1="number",
            text="snapshot",
        ),
        _history_rows(
            FlareUp.objects.filter(**active),
            "flare_up",
            plan="plan_id",
            at="started_at",
            until="ended_at",
        ),
        _history_rows(
            SessionLog.objects.filter(**active, date__gte=earliest, extra=0),
            "session",
            plan="plan_id",
            day="date",
        ),
        _isometric_rows(),
    )
    by_plan: dict[int, list[dict]] = defaultdict(list)
    for row in history["revision"]:
        by_plan[row["h_plan"]].append(row)
    revisions = {plan_id: _revisions_of(rows) for plan_id, rows in by_plan.items()}
    flare_ups: dict[int, list] = defaultdict(list)
    for row in history["flare_up"]:
        flare_ups[row["h_plan"]].append((row["h_at"], row["h_until"]))
    done: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for row in history["session"]:
        done[row["h_plan"]][row["h_day"]] += 1
    isometric = {row["h_text"] for row in history["isometric"]}
    result = {}
    for plan in history["plan"]:
        plan_id, patient_id, zone = plan["h_plan"], plan["h_n1"], zones[plan["h_n1"]]
        today = timezone.localtime(timezone=zone).date()
        result[patient_id] = progress.adherence(
            versions=progress.plan_versions(revisions.get(plan_id, []), zone, isometric),
            flare_days=progress.flare_up_days(flare_ups[plan_id], zone, today),
            done_by_day=done[plan_id],
            first=max(today - datetime.timedelta(days=days), plan["h_day"]),
            last=today - datetime.timedelta(days=1),
        )
    return result


def readiness_of(plan: RehabPlan, today: datetime.date) -> progress.Readiness:
    """The checklist for the next stage, in two queries: the morning check-ins, and the rest together."""
    zone = plan.patient.zone
    first = today - datetime.timedelta(days=progress.READINESS_DAYS)
    yesterday = today - datetime.timedelta(days=1)
    history = _history(
        _history_rows(
            plan.sessions.filter(date__gte=first, date__lte=today),
            "session",
            day="date",
            n1="pain_during",
            n2="pain_after",
            n3="extra",
        ),
        _history_rows(plan.revisions.all(), "revision", at="created_at", n1="number", text="snapshot"),
        _history_rows(plan.flare_ups.all(), "flare_up", at="started_at", until="ended_at"),
        _isometric_rows(),
    )
    rows = [(row["h_day"], row["h_n1"], row["h_n2"], row["h_n3"]) for row in history["session"]]
    sessions = [(day, during, after) for day, during, after, _ in rows]
    done_by_day = _planned_by_day(rows, last=yesterday)
    isometric = {row["h_text"] for row in history["isometric"]}
    flare_ups = [(row["h_at"], row["h_until"]) for row in history["flare_up"]]
    check_ins = list(
        plan.check_ins.filter(date__lte=today)
        .order_by("-date")
        .values_list("date", "pain_on_waking", "load_test_pain")[: progress.READINESS_DAYS + 2]
    )
    window = progress.adherence(
        versions=progress.plan_versions(_revisions_of(history["revision"]), zone, isometric),
        flare_days=progress.flare_up_days(flare_ups, zone, today),
        done_by_day=done_by_day,
        first=max(first, plan.start_date),
        last=yesterday,
    )
    return progress.readiness(
        stage=plan.stage,
        safe_max=plan.pain_safe_max,
        today=today,
        sessions=sessions,
        check_ins=check_ins,
        adherence_window=window,
    )


@dataclasses.dataclass
class ProgressCharts:
    plan: RehabPlan
    first: datetime.date
    last: datetime.date
    pain: charts.Chart
    adherence: charts.Chart
    visa_h: charts.Chart
    psfs: charts.Chart
    events: list[tuple[datetime.date, str]]

    @property
    def all(self) -> list[charts.Chart]:
        return [self.pain, self.adherence, self.visa_h, self.psfs]


def _day_month(moment: datetime.datetime) -> str:
    return f"{moment.day} {moment:%b}"


_PROGRESS_SCORES = [outcomes.OutcomeKind.VISA_H, outcomes.OutcomeKind.PSFS]


def progress_history(plan: RehabPlan, today: datetime.date) -> dict[str, list[dict]]:
    """Everything the progress charts of a plan are drawn from, in one query: the sessions, check-ins,
    revisions, flare-ups and scores of the plan, and the isometric exercises of the library, read together."""
    first, last = plan.start_date, max(today, plan.start_date)
    return _history(
        _history_rows(
            plan.sessions.filter(date__gte=first, date__lte=last),
            "session",
            day="date",
            n1="pain_during",
            n2="pain_after",
            n3="extra",
        ),
        _history_rows(
            plan.check_ins.filter(date__gt=first, date__lte=last), "check_in", day="date", n1="pain_on_waking"
        ),
        _history_rows(plan.revisions.all(), "revision", at="created_at", n1="number", text="snapshot"),
        _history_rows(plan.flare_ups.all(), "flare_up", at="started_at", until="ended_at"),
        _history_rows(
            OutcomeMeasure.objects.filter(
                patient_id=plan.patient_id, kind__in=_PROGRESS_SCORES, taken_on__gte=first, taken_on__lte=last
            ),
            "outcome",
            day="taken_on",
            score="score",
            text="kind",
        ),
        _isometric_rows(),
    )


def progress_of(
    plan: RehabPlan, today: datetime.date, history: dict[str, list[dict]] | None = None
) -> ProgressCharts:
    """The four progress charts of a plan, from its start to today, from `progress_history` (read here when
    not given): a pure function of that history, the plan's start, limits and time zone, and today."""
    if history is None:
        history = progress_history(plan, today)
    zone = plan.patient.zone
    first, last = plan.start_date, max(today, plan.start_date)
    kinds = _PROGRESS_SCORES
    days: dict[datetime.date, dict] = {}
    sessions = [(row["h_day"], row["h_n1"], row["h_n2"], row["h_n3"]) for row in history["session"]]
    for day, during, after, _ in sessions:
        row = days.setdefault(day, {})
        for key, value in (("during", during), ("after", after)):
            if value is not None:
                row[key] = max(value, row.get(key, value))
    for row in history["check_in"]:
        days.setdefault(row["h_day"] - datetime.timedelta(days=1), {})["next_morning"] = row["h_n1"]

    isometric = {row["h_text"] for row in history["isometric"]}
    versions = progress.plan_versions(_revisions_of(history["revision"]), zone, isometric)
    stage_changes = [
        (version.effective_from, f"Stage {version.stage}")
        for before, version in zip(versions, versions[1:], strict=False)
        if version.stage != before.stage
    ]
    flare_rows = sorted(((row["h_at"], row["h_until"]) for row in history["flare_up"]), key=lambda r: r[0])
    flare_ups = [
        (
            started.astimezone(zone).date(),
            ended.astimezone(zone).date() if ended else last,
            f"Flare-up from {_day_month(started.astimezone(zone))}"
            + (f" to {_day_month(ended.astimezone(zone))}" if ended else ", still on"),
        )
        for started, ended in flare_rows
    ]
    flare_days = progress.flare_up_days(flare_rows, zone, today)
    weeks = progress.weekly_adherence(
        versions=versions,
        flare_days=flare_days,
        done_by_day=_planned_by_day(sessions, last=today),
        start=first,
        today=today,
    )
    scores: dict[str, list] = {kind: [] for kind in kinds}
    for row in history["outcome"]:
        scores[row["h_text"]].append((row["h_day"], row["h_score"]))

    events = sorted(
        [(day, f"Moved to {label.lower()}") for day, label in stage_changes]
        + [(start, label) for start, _, label in flare_ups]
    )
    return ProgressCharts(
        plan=plan,
        first=first,
        last=last,
        pain=charts.pain_chart(
            days=[charts.PainDay(day, **values) for day, values in days.items()],
            first=first,
            last=last,
            safe_max=plan.pain_safe_max,
            alert_above=plan.pain_alert_above,
            stage_changes=stage_changes,
            flare_ups=flare_ups,
        ),
        adherence=charts.adherence_chart(weeks=weeks, target=progress.ADHERENCE_TARGET),
        visa_h=charts.score_chart(
            key="visa_h",
            title="VISA-H score",
            name="VISA-H",
            scores=scores[outcomes.OutcomeKind.VISA_H],
            maximum=100,
            first=first,
            last=last,
            better="higher is better, 100 means no symptoms",
        ),
        psfs=charts.score_chart(
            key="psfs",
            title="Your own activities (PSFS)",
            name="PSFS",
            scores=scores[outcomes.OutcomeKind.PSFS],
            maximum=10,
            first=first,
            last=last,
            better="higher is better, 10 means as well as before the problem",
        ),
        events=events,
    )
