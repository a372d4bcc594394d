"""The reminder outbox: what is due becomes Delivery rows, and each row is sent once.

DESIGN.md "The reminder pipeline" is the map. In short:

1. `dispatch_due(now=...)` (beat, every minute) looks back over `WINDOW`, so a missed tick is caught up, and
   turns every occurrence due in it into one Delivery per channel, through `deliveries_create`: a bulk
   insert that ignores rows already there (unique on source, occurrence, channel), so overlapping windows and
   two dispatchers at once are harmless. What must not be sent is inserted as `skipped` with a reason.
2. After commit the new pending rows are enqueued in batches (`tasks.send_deliveries`). If Redis is down the
   error is logged and nothing else happens: the rows wait, pending, for `deliveries_sweep`.
3. `delivery_send` claims a row with a conditional UPDATE (pending → sending), so however often a task runs,
   one worker sends; it marks the row sent, or puts it back to pending with a backoff for a transient error,
   or marks it failed (and raises one Alert for a patient) for a permanent one.
4. `deliveries_sweep(now=...)` (beat, every few minutes) re-enqueues rows left pending or sending too long:
   the broker was down, or a worker died holding a row.

Delivery is at least once for a channel that cannot tell a resend (a worker killed between the provider
accepting an email and the row being marked sent sends it again after the sweep); the in-app channel is
exactly once, since a Notification is unique on its Delivery.
"""

import dataclasses
import datetime
import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import Role, User
from careteam.models import AlertKind, AlertSeverity
from careteam.services import alert_raise
from conditions.models import RedFlagScreen
from rehab import outcomes as rehab_outcomes
from rehab import schedule
from rehab.models import (
    MorningCheckIn,
    OutcomeMeasure,
    PlanRevision,
    PlanStatus,
    Prescription,
    RehabPlan,
    SessionLog,
)
from rehab.selectors import active_plan_of
from reminders import occurrences
from reminders.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    ReminderKind,
    ReminderSettings,
    ReminderTime,
)
from reminders.services import clinicians

logger = logging.getLogger(__name__)

# How far back each dispatch looks. Beat runs every minute; a longer look-back catches up ticks that were
# missed (beat restarted, the worker busy) and the unique constraint makes the overlap harmless.
WINDOW = datetime.timedelta(minutes=10)
# Deliveries per enqueued task (`tasks.send_deliveries`): one Redis message per batch, not per row, since a
# bare task is enqueued at ~1,700/s here. Small enough that a batch of emails ends well inside the task's
# 60 s soft time limit.
SEND_BATCH = 50
# Transient errors are retried after 30 s, 60 s, 120 s, 240 s: the fifth failed attempt marks it failed.
MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 30
# Every countdown stays far below the broker's visibility timeout (1 h, CELERY_BROKER_TRANSPORT_OPTIONS), or
# Redis would hand the waiting task to a second worker.
RETRY_MAX_SECONDS = 15 * 60
# The sweep: a row never claimed this long after it was created was never enqueued or its message was lost;
# a row claimed this long ago and still pending missed its retry; one still "sending" lost its worker (a
# task is killed at 90 s, CELERY_TASK_TIME_LIMIT).
SWEEP_UNCLAIMED_AFTER = datetime.timedelta(minutes=5)
SWEEP_RETRY_AFTER = datetime.timedelta(seconds=RETRY_MAX_SECONDS) + datetime.timedelta(minutes=5)
SWEEP_SENDING_AFTER = datetime.timedelta(minutes=5)
SWEEP_LIMIT = 20_000

# The patient's local time of the once-a-day reminders that have no time of their own.
CHECK_IN_AT = datetime.time(9, 0)
QUESTIONNAIRE_AT = datetime.time(10, 0)
# Default exercise reminders per number of daily sessions in the plan (`rehab.schedule.session_count`).
DEFAULT_TIMES = {
    1: [datetime.time(8)],
    2: [datetime.time(8), datetime.time(18)],
    3: [datetime.time(8), datetime.time(12), datetime.time(18)],
    4: [datetime.time(8), datetime.time(12), datetime.time(15), datetime.time(18)],
}
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
ONE_DAY = datetime.timedelta(days=1)

SKIP_KIND_OFF = "kind switched off"
SKIP_CHANNELS_OFF = "channel switched off"
SKIP_SMS_OFF = "text messages are off at this clinic"
# How far back an event (a plan revision) is still turned into its message after beat or the worker was down.
EVENT_LOOKBACK = datetime.timedelta(days=1)
SKIP_PAUSED = "paused"
SKIP_SNOOZED = "snoozed"
SKIP_QUIET = "quiet hours"
SKIP_HOLD = "plan on hold"
SKIP_NO_PLAN = "no active plan"
SKIP_ACCOUNT_CLOSED = "account closed"

KIND_SWITCH = {
    ReminderKind.EXERCISE: "exercise_on",
    ReminderKind.CHECK_IN: "check_in_on",
    ReminderKind.QUESTIONNAIRE: "questionnaire_on",
    ReminderKind.NUDGE: "nudge_on",
    ReminderKind.PLAN_CHANGED: "plan_changed_on",
}


# --- defaults ---------------------------------------------------------------------------------------------


def reminder_defaults_ensure(*, user: User) -> ReminderSettings:
    """The person's reminder settings, created with the defaults the first time: in-app and email, every
    kind on; and once a patient has an active plan, one exercise reminder per daily session of the plan
    (08:00, 18:00, ...; `DEFAULT_TIMES`) every day, made once (a patient who then removes them all keeps
    none). Safe to call often and from two places at once."""
    reminder_settings, _ = ReminderSettings.objects.get_or_create(user=user)
    if reminder_settings.default_times_made or user.role != Role.PATIENT:
        return reminder_settings
    plan = active_plan_of(user)
    if plan is None:
        return reminder_settings
    if not ReminderTime.objects.filter(user=user).exists():
        count = max(1, schedule.session_count(plan.prescriptions.all()))
        ReminderTime.objects.bulk_create(
            [ReminderTime(user=user, time=at, weekdays=EVERY_DAY) for at in DEFAULT_TIMES[count]],
            ignore_conflicts=True,
        )
    ReminderSettings.objects.filter(pk=reminder_settings.pk).update(default_times_made=True)
    reminder_settings.default_times_made = True
    return reminder_settings


def _defaults_for_new_patients() -> None:
    """Patients with an active plan whose default times were never made get them (a plan was assigned since
    the last run: rehab, below this app, cannot call us). Whoever already has times of their own (set by
    hand or from a clinician's suggestion) is marked done in one update, so they are never given more."""
    ReminderSettings.objects.filter(
        default_times_made=False, user__in=ReminderTime.objects.values("user")
    ).update(default_times_made=True)
    newcomers = User.objects.filter(
        Q(reminder_settings__isnull=True) | Q(reminder_settings__default_times_made=False),
        role=Role.PATIENT,
        is_active=True,
        rehab_plans__status=PlanStatus.ACTIVE,
    )
    for user in newcomers[:1000]:
        reminder_defaults_ensure(user=user)


# --- skip rules -------------------------------------------------------------------------------------------


def _settings_of(user: User) -> ReminderSettings:
    """The saved settings, or unsaved defaults for someone who has none (a clinician who never opened the
    page)."""
    try:
        return user.reminder_settings  # type: ignore[attr-defined]  # the reverse one-to-one, select_related
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(user=user)


def skip_reason(
    *,
    prefs: ReminderSettings,
    kind: str,
    occurrence: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
    on_hold: bool = False,
    without_plan: bool = False,
) -> str:
    """Why an occurrence of `kind` must not be sent, or "" when it should. The first reason that applies,
    in this order: the kind is off, a pause, a hold, no plan, a snooze, quiet hours."""
    switch = KIND_SWITCH.get(ReminderKind(kind))
    if switch is not None and not getattr(prefs, switch):
        return SKIP_KIND_OFF
    if occurrences.is_paused(occurrence, zone=zone, paused_until=prefs.paused_until):
        return SKIP_PAUSED
    if on_hold:
        return SKIP_HOLD
    if without_plan:
        return SKIP_NO_PLAN
    if occurrences.is_snoozed(occurrence, snoozed_until=prefs.snoozed_until):
        return SKIP_SNOOZED
    if occurrences.in_quiet_hours(
        occurrence, zone=zone, quiet_start=prefs.quiet_start, quiet_end=prefs.quiet_end
    ):
        return SKIP_QUIET
    return ""


def delivery_rows(
    *,
    recipient: User,
    prefs: ReminderSettings,
    kind: str,
    source: str,
    occurrence: datetime.datetime,
    reason: str = "",
    only: Sequence[str] | None = None,
) -> list[Delivery]:
    """Unsaved Delivery rows for one occurrence: one per channel the person has on (limited to `only`), all
    skipped with `reason` when there is one. Text messages only where the clinic has them (`SMS_ENABLED`).
    With every channel off, one in-app row skipped as such, so the log shows why nothing went out."""
    wanted = [
        channel
        for channel in prefs.channels()
        if (only is None or channel in only) and (channel != Channel.SMS or settings.SMS_ENABLED)
    ]
    if not wanted:
        wanted, reason = [Channel.IN_APP], reason or SKIP_CHANNELS_OFF
    status = DeliveryStatus.SKIPPED if reason else DeliveryStatus.PENDING
    return [
        Delivery(
            recipient=recipient,
            kind=kind,
            source=source,
            occurrence=occurrence,
            channel=channel,
            status=status,
            skip_reason=reason,
        )
        for channel in wanted
    ]


# --- what is due ------------------------------------------------------------------------------------------


def _time_window_q(
    field: str, *, start: datetime.datetime, end: datetime.datetime, zone_names: Iterable[str]
):
    """A filter on `<field>` (a local time of day) and the user's zone that keeps what may fall in the window
    in each zone; `occurrences.occurrences` decides exactly."""
    combined = Q()
    for name in zone_names:
        in_zone = Q(**{"user__time_zone": name})
        window = occurrences.local_window(zone=zoneinfo.ZoneInfo(name), start=start, end=end)
        if window is not None:
            after, up_to = window
            if after < up_to:
                in_zone &= Q(**{f"{field}__gt": after, f"{field}__lte": up_to})
            else:
                in_zone &= Q(**{f"{field}__gt": after}) | Q(**{f"{field}__lte": up_to})
        combined |= in_zone
    return combined


def _active_plan_id():
    return Subquery(
        RehabPlan.objects.filter(patient=OuterRef("user"), status=PlanStatus.ACTIVE).values("pk")[:1]
    )


def _on_hold():
    # The bulk form of `rehab.holds.plan_hold_of` (via conditions.selectors.red_flag_screens_holding): a
    # screen with a "yes" not yet released holds the plan.
    return Exists(RedFlagScreen.objects.holding().filter(patient=OuterRef("user")))


def _exercise_rows(*, start: datetime.datetime, end: datetime.datetime) -> list[Delivery]:
    zone_names = set(ReminderTime.objects.values_list("user__time_zone", flat=True).distinct())
    if not zone_names:
        return []
    times = (
        ReminderTime.objects.filter(
            _time_window_q("time", start=start, end=end, zone_names=zone_names), user__is_active=True
        )
        .select_related("user", "user__reminder_settings")
        .annotate(plan_id=_active_plan_id(), on_hold=_on_hold())
    )
    found: dict[tuple, list[datetime.datetime]] = {}
    rows: list[Delivery] = []
    for reminder in times:
        user = reminder.user
        key = (reminder.time, tuple(sorted(reminder.weekdays)), user.time_zone)
        if key not in found:  # thousands of people share a time: compute each distinct one once
            found[key] = occurrences.occurrences(
                at=reminder.time, weekdays=reminder.weekdays, zone=user.zone, start=start, end=end
            )
        prefs = _settings_of(user)
        # A time added (or re-made by accepting a suggestion) inside the look-back window is not due for
        # the moments before it existed: without this, removing and adding 08:00 at 08:05 would send again.
        for occurrence in [moment for moment in found[key] if moment > reminder.created_at]:
            reason = skip_reason(
                prefs=prefs,
                kind=ReminderKind.EXERCISE,
                occurrence=occurrence,
                zone=user.zone,
                on_hold=reminder.on_hold,
                without_plan=reminder.plan_id is None,
            )
            rows += delivery_rows(
                recipient=user,
                prefs=prefs,
                kind=ReminderKind.EXERCISE,
                source=f"time:{reminder.public_id}",
                occurrence=occurrence,
                reason=reason,
            )
    return rows


def _chunks(items: Sequence, size: int = 5000) -> Iterator[Sequence]:
    """Slices for `__in` lookups: SQLite allows at most 32,766 parameters in one statement."""
    for first in range(0, len(items), size):
        yield items[first : first + size]


@dataclasses.dataclass(frozen=True)
class DailyDue:
    prefs: ReminderSettings  # with its user
    occurrence: datetime.datetime
    day: datetime.date  # the patient's local date of the occurrence
    plan_id: int
    plan_start: datetime.date
    on_hold: bool


def _once_a_day(*, start, end, at: datetime.time | None = None, at_field: str = "") -> list[DailyDue]:
    """Patients with an active plan whose once-a-day time (the fixed `at`, or their settings' `at_field`)
    falls in the window, with the instant and their local date. One query whatever their number."""
    zone_names = set(
        ReminderSettings.objects.filter(user__role=Role.PATIENT)
        .values_list("user__time_zone", flat=True)
        .distinct()
    )
    if at is not None:
        firing = [name for name in zone_names if _fires(at, name, start, end)]
        window_q = Q(user__time_zone__in=firing)
    else:
        window_q = _time_window_q(at_field, start=start, end=end, zone_names=zone_names)
    if not zone_names or window_q == Q(user__time_zone__in=[]):
        return []
    candidates = (
        ReminderSettings.objects.filter(window_q, user__role=Role.PATIENT, user__is_active=True)
        .select_related("user")
        .annotate(
            plan_id=_active_plan_id(),
            plan_start=Subquery(
                RehabPlan.objects.filter(patient=OuterRef("user"), status=PlanStatus.ACTIVE).values(
                    "start_date"
                )[:1]
            ),
            on_hold=_on_hold(),
        )
        .filter(plan_id__isnull=False)
    )
    found: dict[tuple, list[datetime.datetime]] = {}
    due = []
    row: Any  # the settings with the query's annotations
    for row in candidates:
        prefs, zone = row, row.user.zone
        local_time = at if at is not None else getattr(prefs, at_field)
        key = (local_time, prefs.user.time_zone)
        if key not in found:
            found[key] = occurrences.occurrences(
                at=local_time, weekdays=EVERY_DAY, zone=zone, start=start, end=end
            )
        due += [
            DailyDue(prefs, moment, moment.astimezone(zone).date(), row.plan_id, row.plan_start, row.on_hold)
            for moment in found[key]
        ]
    return due


def _fires(at: datetime.time, zone_name: str, start, end) -> bool:
    zone = zoneinfo.ZoneInfo(zone_name)
    return bool(occurrences.occurrences(at=at, weekdays=EVERY_DAY, zone=zone, start=start, end=end))


def _daily_rows(item: DailyDue, *, kind: str, on_hold: bool = False) -> list[Delivery]:
    user = item.prefs.user
    reason = skip_reason(
        prefs=item.prefs, kind=kind, occurrence=item.occurrence, zone=user.zone, on_hold=on_hold
    )
    return delivery_rows(
        recipient=user,
        prefs=item.prefs,
        kind=kind,
        source=f"{kind}:{user.pk}:{item.day.isoformat()}",
        occurrence=item.occurrence,
        reason=reason,
    )


def _nudge_rows(*, start, end) -> list[Delivery]:
    """One gentle nudge at the patient's `nudge_time` on a day with sessions prescribed (by
    `rehab.schedule`) and none logged."""
    due = _once_a_day(start=start, end=end, at_field="nudge_time")
    plan_ids = sorted({item.plan_id for item in due})
    days = {item.day for item in due}
    prescribed: dict[int, list[schedule.Dose]] = defaultdict(list)
    logged: set[tuple[int, datetime.date]] = set()
    for chunk in _chunks(plan_ids):
        for plan_id, times_per_day, days_of_week in Prescription.objects.filter(
            plan_id__in=chunk
        ).values_list("plan_id", "times_per_day", "days_of_week"):
            prescribed[plan_id].append(schedule.Dose(times_per_day=times_per_day, days_of_week=days_of_week))
        logged |= set(
            SessionLog.objects.filter(plan_id__in=chunk, date__in=days).values_list("plan_id", "date")
        )
    rows: list[Delivery] = []
    for item in due:
        plan_id = item.plan_id
        if schedule.prescribed_sessions(prescribed[plan_id], item.day) and (plan_id, item.day) not in logged:
            rows += _daily_rows(item, kind=ReminderKind.NUDGE, on_hold=item.on_hold)
    return rows


def _check_in_rows(*, start, end) -> list[Delivery]:
    """At `CHECK_IN_AT` local, the morning after a session rated above the plan's safe limit, when there is
    no check-in yet that day (the bulk form of `rehab.selectors.sessions_above_safe`)."""
    due = _once_a_day(start=start, end=end, at=CHECK_IN_AT)
    plan_ids = sorted({item.plan_id for item in due})
    days = {item.day for item in due}
    yesterdays = {day - ONE_DAY for day in days}
    sore: set[tuple[int, datetime.date]] = set()
    checked: set[tuple[int, datetime.date]] = set()
    above_safe = Q(pain_during__gt=F("plan__pain_safe_max")) | Q(pain_after__gt=F("plan__pain_safe_max"))
    for chunk in _chunks(plan_ids):
        sore |= set(
            SessionLog.objects.filter(
                above_safe, plan_id__in=chunk, date__in=yesterdays, rated_at__isnull=False
            ).values_list("plan_id", "date")
        )
        checked |= set(
            MorningCheckIn.objects.filter(plan_id__in=chunk, date__in=days).values_list("plan_id", "date")
        )
    rows: list[Delivery] = []
    for item in due:
        plan_id = item.plan_id
        if (plan_id, item.day - ONE_DAY) in sore and (plan_id, item.day) not in checked:
            rows += _daily_rows(item, kind=ReminderKind.CHECK_IN)
    return rows


def _questionnaire_rows(*, start, end) -> list[Delivery]:
    """At `QUESTIONNAIRE_AT` local on a day a questionnaire is due (the bulk form of
    `rehab.selectors.due_outcomes`)."""
    due = _once_a_day(start=start, end=end, at=QUESTIONNAIRE_AT)
    user_ids = sorted({item.prefs.user_id for item in due})
    last_taken: dict[int, dict[str, datetime.date]] = defaultdict(dict)
    for chunk in _chunks(user_ids):
        taken = (
            OutcomeMeasure.objects.filter(patient_id__in=chunk)
            .values("patient_id", "kind")
            .annotate(last=Max("taken_on"))
        )
        for row in taken:
            last_taken[row["patient_id"]][row["kind"]] = row["last"]
    rows: list[Delivery] = []
    for item in due:
        taken_last = last_taken[item.prefs.user_id]
        if rehab_outcomes.due_measures(start=item.plan_start, today=item.day, last_taken=taken_last):
            rows += _daily_rows(item, kind=ReminderKind.QUESTIONNAIRE)
    return rows


def _plan_changed_rows(*, start, end) -> list[Delivery]:
    """One "your plan changed" per revision after the first made by someone other than the patient, due when
    it was saved. It looks back a day, not just the window, so a revision made while beat was down is still
    told (the outbox's unique key keeps it to one)."""
    revisions = (
        PlanRevision.objects.filter(
            number__gt=1, created_at__gt=min(start, end - EVENT_LOOKBACK), created_at__lte=end
        )
        .filter(plan__status=PlanStatus.ACTIVE)
        .exclude(author=F("plan__patient"))
        .select_related("plan__patient", "plan__patient__reminder_settings")
    )
    rows: list[Delivery] = []
    for revision in revisions:
        patient = revision.plan.patient
        if not patient.is_active:
            continue
        prefs = _settings_of(patient)
        rows += delivery_rows(
            recipient=patient,
            prefs=prefs,
            kind=ReminderKind.PLAN_CHANGED,
            source=f"plan_changed:{revision.public_id}",
            occurrence=revision.created_at,
            reason=skip_reason(
                prefs=prefs, kind=ReminderKind.PLAN_CHANGED, occurrence=revision.created_at, zone=patient.zone
            ),
        )
    return rows


@dataclasses.dataclass(frozen=True)
class Dispatched:
    created: int  # rows this run inserted, skipped ones included
    enqueued: int  # pending rows handed to the broker (0 when it is down: the sweep sends them later)


def dispatch_due(*, now: datetime.datetime, window: datetime.timedelta = WINDOW) -> Dispatched:
    """Turn everything due in (now - window, now] into Delivery rows and enqueue the pending ones."""
    start = now - window
    _defaults_for_new_patients()
    rows = [
        *_exercise_rows(start=start, end=now),
        *_nudge_rows(start=start, end=now),
        *_check_in_rows(start=start, end=now),
        *_questionnaire_rows(start=start, end=now),
        *_plan_changed_rows(start=start, end=now),
        *clinicians.alert_deliveries_due(now=now),
    ]
    return deliveries_create(rows, now=now)


# --- the outbox ---------------------------------------------------------------------------------------------


def deliveries_create(rows: Sequence[Delivery], *, now: datetime.datetime) -> Dispatched:
    """Insert unsaved Delivery rows, ignoring any already there (same source, occurrence and channel), and
    enqueue the pending ones this call inserted, after the surrounding transaction commits.

    The one door into the outbox for every part of the app (the clinician side builds its rows and calls
    this): build rows with `delivery_rows`, whose `source` names what caused them so that a repeat is
    recognised. Each row's `created_at` is set to `now`; the rows inserted are read back by that stamp and
    their keys, since a bulk insert that ignores conflicts does not return ids.
    """
    if not rows:
        return Dispatched(created=0, enqueued=0)
    for row in rows:
        row.created_at = now
    # Each due row is built by ten dispatches in a row (the look-back window): leave out those already in
    # the table before inserting, which is much cheaper than letting the database refuse them one by one.
    # Looked up by source, the first column of the unique constraint's index.
    keys = {(row.source, row.occurrence, row.channel) for row in rows}
    moments = [row.occurrence for row in rows]
    existing: set[tuple] = set()
    for sources in _chunks(sorted({row.source for row in rows})):
        existing |= set(
            Delivery.objects.filter(
                source__in=sources, occurrence__range=(min(moments), max(moments))
            ).values_list("source", "occurrence", "channel")
        )
    new_rows = [row for row in rows if (row.source, row.occurrence, row.channel) not in existing]
    if not new_rows:
        return Dispatched(created=0, enqueued=0)
    with transaction.atomic():
        Delivery.objects.bulk_create(new_rows, ignore_conflicts=True, batch_size=2000)
        # Both statuses a new row can have, so the (status, created_at) index serves the lookup.
        stamped = Delivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SKIPPED], created_at=now
        ).values_list("pk", "source", "occurrence", "channel", "status")
        mine = [(pk, status) for pk, *key, status in stamped if tuple(key) in keys]
        pending = [pk for pk, status in mine if status == DeliveryStatus.PENDING]
        transaction.on_commit(lambda: deliveries_enqueue(pending))
    # An enqueue that fails is logged in deliveries_enqueue; the count here is what was meant to go.
    return Dispatched(created=len(mine), enqueued=len(pending))


def deliveries_enqueue(ids: Sequence[int]) -> int:
    """Hand the deliveries to the broker, `SEND_BATCH` a message, over one connection. Never raises: with
    Redis down it logs and returns how many went, and the sweep sends the rest when Redis is back."""
    from reminders import tasks  # the tasks import this module

    if not ids:
        return 0
    sent = 0
    try:
        with current_app.connection_for_write() as connection:
            # One try: the default retries for seconds, and a page that saves something must not wait.
            connection.ensure_connection(max_retries=1)
            producer = current_app.amqp.Producer(connection)
            for first in range(0, len(ids), SEND_BATCH):
                batch = list(ids[first : first + SEND_BATCH])
                tasks.send_deliveries.apply_async((batch,), producer=producer, retry=False)
                sent += len(batch)
    except Exception:
        logger.warning(
            "Could not enqueue %d deliveries; the sweep will send them", len(ids) - sent, exc_info=True
        )
    return sent


@dataclasses.dataclass(frozen=True)
class SendResult:
    outcome: str  # "sent", "retry", "failed", "skipped" or "not pending" (another worker has it, or done)
    retry_in: int | None = None  # seconds, for "retry"


def retry_countdown(attempts: int) -> int:
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> SendResult:
    """Send one delivery if it is still pending. The conditional UPDATE is the claim: of two workers running
    the same task, one updates the row and sends, the other finds nothing pending and stops."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if not claimed:
        return SendResult("not pending")
    delivery = Delivery.objects.select_related("recipient").get(pk=delivery_id)
    return _send_claimed(delivery, now=now)


def deliveries_send(
    *, delivery_ids: Sequence[int], now: datetime.datetime | None = None
) -> dict[int, SendResult]:
    """Send a batch (`tasks.send_deliveries`), each delivery as `delivery_send` would, with fewer round
    trips: the batch is claimed in one transaction (`_claim`), email and text messages are sent and marked
    one by one (each has its own retry or failure), and the in-app ones are sent together
    (`_send_in_app_batch`)."""
    now = now or timezone.now()
    claimed = _claim(delivery_ids, now=now)
    results = {delivery_id: SendResult("not pending") for delivery_id in delivery_ids}
    in_app = []
    for delivery in Delivery.objects.select_related("recipient").filter(pk__in=claimed).order_by("pk"):
        if delivery.channel == Channel.IN_APP and delivery.recipient.is_active:
            in_app.append(delivery)
        else:
            results[delivery.pk] = _send_claimed(delivery, now=now)
    results.update(_send_in_app_batch(in_app, now=now))
    return results


def _claim(delivery_ids: Sequence[int], *, now: datetime.datetime) -> list[int]:
    """Claim the pending ones of these deliveries (pending -> sending) and return their ids: the batch form
    of `delivery_send`'s conditional UPDATE. The read and the update are one transaction, so no other worker
    claims a row in between: on PostgreSQL the rows are locked (`FOR UPDATE SKIP LOCKED`: two workers
    holding the same batch split it, never share a row); SQLite takes its write lock when the transaction
    begins (`transaction_mode` IMMEDIATE, portal/env.py), so claims run one after the other."""
    with transaction.atomic():
        pending = Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        free = list(pending.values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=free, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
    return free


def _send_in_app_batch(deliveries: Sequence[Delivery], *, now: datetime.datetime) -> dict[int, SendResult]:
    """Send claimed in-app deliveries of active recipients together: their messages built for the batch
    (`messages.messages_for`), their Notifications in one INSERT and the deliveries marked sent in one
    UPDATE, in one transaction (a worker killed before the commit leaves them "sending" for the sweep, and
    nothing was shown). Should anything fail, they are sent one by one instead, so each gets the outcome
    `delivery_send` would give it (a retry for a transient error) and a good one is not held back by a bad
    one."""
    # Imported here: the channels' links import the preferences service, which imports this module.
    from reminders import channels, messages

    if not deliveries:
        return {}
    try:
        found = messages.messages_for(deliveries)
        with transaction.atomic():
            channels.send_in_app_batch([(delivery, found[delivery.pk]) for delivery in deliveries])
            Delivery.objects.filter(
                pk__in=[delivery.pk for delivery in deliveries], status=DeliveryStatus.SENDING
            ).update(status=DeliveryStatus.SENT, sent_at=now, last_error="")
    except Exception:
        logger.warning(
            "Sending %d in-app deliveries together failed; one by one", len(deliveries), exc_info=True
        )
        return {delivery.pk: _send_claimed(delivery, now=now) for delivery in deliveries}
    return {delivery.pk: SendResult("sent") for delivery in deliveries}


def _send_claimed(delivery: Delivery, *, now: datetime.datetime) -> SendResult:
    """Send a delivery this worker has claimed (status "sending") and record the outcome."""
    # Imported here: the channels' links import the preferences service, which imports this module.
    from reminders import channels, messages

    mine = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING)
    if not delivery.recipient.is_active:
        mine.update(status=DeliveryStatus.SKIPPED, skip_reason=SKIP_ACCOUNT_CLOSED)
        return SendResult("skipped")
    if delivery.channel == Channel.SMS and not settings.SMS_ENABLED:  # switched off since it was queued
        mine.update(status=DeliveryStatus.SKIPPED, skip_reason=SKIP_SMS_OFF)
        return SendResult("skipped")
    try:
        channels.send(delivery, messages.message_for(delivery))
    except channels.PermanentSendError as error:
        _fail(delivery, error=str(error) or type(error).__name__, now=now)
        return SendResult("failed")
    except Exception as error:  # TransientSendError, and anything unexpected, is worth another try
        if not isinstance(error, channels.TransientSendError):
            logger.exception("Unexpected error sending delivery %s", delivery.pk)
        text = str(error) or type(error).__name__
        if delivery.attempts >= MAX_ATTEMPTS:
            _fail(delivery, error=f"gave up after {delivery.attempts} attempts: {text}", now=now)
            return SendResult("failed")
        mine.update(status=DeliveryStatus.PENDING, last_error=text)
        return SendResult("retry", retry_in=retry_countdown(delivery.attempts))
    mine.update(status=DeliveryStatus.SENT, sent_at=now, last_error="")
    return SendResult("sent")


def _fail(delivery: Delivery, *, error: str, now: datetime.datetime) -> None:
    """Mark it failed and, for a patient, tell their care team once a day per channel: a clinician can check
    the contact details; the admin can send it again from the delivery log."""
    with transaction.atomic():
        failed = Delivery.objects.filter(
            pk=delivery.pk, status__in=[DeliveryStatus.SENDING, DeliveryStatus.PENDING]
        ).update(status=DeliveryStatus.FAILED, last_error=error)
        if failed and delivery.recipient.role == Role.PATIENT:
            alert_raise(
                patient=delivery.recipient,
                kind=AlertKind.REMINDER_UNDELIVERED,
                severity=AlertSeverity.LOW,
                trigger=f"A reminder {delivery.get_channel_display().lower()} could not be delivered. "
                "Check the patient's contact details.",
                dedupe_key=f"{delivery.channel}:{now.date().isoformat()}",
                now=now,
            )
    logger.warning("Delivery %s failed: %s", delivery.pk, error)


def deliveries_sweep(*, now: datetime.datetime) -> list[int]:
    """Re-enqueue what was left behind: pending rows never claimed (the broker was down), pending rows whose
    retry never came, and rows a dead worker left "sending". Returns the ids it picked (enqueued unless the
    broker is still down: then the next sweep picks them again)."""
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - SWEEP_SENDING_AFTER)
    for delivery in stuck.filter(attempts__gte=MAX_ATTEMPTS).select_related("recipient"):
        _fail(delivery, error=f"gave up after {delivery.attempts} attempts: the worker stopped", now=now)
    stuck_ids = list(stuck.values_list("pk", flat=True)[:SWEEP_LIMIT])
    Delivery.objects.filter(pk__in=stuck_ids, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, last_error="the worker stopped while sending"
    )
    left = Delivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(claimed_at__isnull=True, created_at__lt=now - SWEEP_UNCLAIMED_AFTER)
        | Q(claimed_at__lt=now - SWEEP_RETRY_AFTER)
    )
    ids = stuck_ids + list(
        left.exclude(pk__in=stuck_ids).order_by("created_at").values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    if ids:
        logger.info("Sweep: re-enqueueing %d deliveries", len(ids))
    deliveries_enqueue(ids)
    return ids


@transaction.atomic
def delivery_resend(*, delivery: Delivery, by: User, audit: AuditContext = WITHOUT_REQUEST) -> bool:
    """Send a failed delivery again (the admin's "send again"): back to pending with its attempts reset, then
    enqueued after commit. Audited, since it sends a patient's message. False when it had not failed."""
    reset = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0
    )
    if not reset:
        return False
    patient = delivery.recipient if delivery.recipient.role == Role.PATIENT else None
    audit_record(actor=by, action="reminders.delivery.resend", patient=patient, audit=audit, obj=delivery)
    transaction.on_commit(lambda: deliveries_enqueue([delivery.pk]))
    return True
