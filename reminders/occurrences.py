"""When a daily local time falls, in UTC: pure functions, no database.

A reminder is a wall-clock time ("08:00") on chosen weekdays in the patient's own time zone. Two days a year
that wall clock misbehaves:

- spring forward: a time inside the skipped hour does not exist; it fires at the first minute that exists
  after it (02:30 on a day the clocks jump from 02:00 to 03:00 fires at 03:00);
- fall back: a time inside the repeated hour exists twice; it fires once, at the first (`fold=0`).

Windows are half-open at the start: an occurrence at exactly `start` belongs to the window before.
"""

import datetime
import zoneinfo
from collections.abc import Collection, Iterator

UTC = datetime.UTC
ONE_DAY = datetime.timedelta(days=1)
ONE_MINUTE = datetime.timedelta(minutes=1)
# The longest gap a zone has made (Samoa skipped a whole day in 2011): a safety bound for the minute walk.
LONGEST_GAP_MINUTES = 24 * 60


def _exists(local: datetime.datetime) -> bool:
    """Whether this aware wall-clock time is one a clock in its zone actually shows."""
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def resolve(day: datetime.date, at: datetime.time, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The UTC instant when the wall clock in `zone` first shows `at` on `day`; a time in a spring-forward
    gap moves to the first minute after the gap."""
    local = datetime.datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone)  # fold=0: the first of two
    for _ in range(LONGEST_GAP_MINUTES):
        if _exists(local):
            return local.astimezone(UTC)
        # Truncate to the minute first, so 02:30:15 in the gap goes to 03:00, not 03:00:15.
        local = (local.replace(second=0, microsecond=0) + ONE_MINUTE).replace(fold=0)
    raise ValueError(f"{day} {at} never exists in {zone}")  # pragma: no cover - no zone has such a gap


def _days(
    start: datetime.datetime, end: datetime.datetime, zone: zoneinfo.ZoneInfo
) -> Iterator[datetime.date]:
    # One day either side: a gap can push a wall time past midnight, and the window's ends are instants.
    day = start.astimezone(zone).date() - ONE_DAY
    last = end.astimezone(zone).date()
    while day <= last:
        yield day
        day += ONE_DAY


def occurrences(
    *,
    at: datetime.time,
    weekdays: Collection[int],
    zone: zoneinfo.ZoneInfo,
    start: datetime.datetime,
    end: datetime.datetime,
) -> list[datetime.datetime]:
    """The UTC instants in (start, end] when a daily `at` on `weekdays` (Monday 0, the local date's weekday)
    falls in `zone`, in order. `start` and `end` must be aware."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be aware datetimes")
    wanted = set(weekdays)
    found = []
    for day in _days(start, end, zone):
        if day.weekday() not in wanted:
            continue
        instant = resolve(day, at, zone)
        if start < instant <= end:
            found.append(instant)
    return found


def in_quiet_hours(
    moment: datetime.datetime,
    *,
    zone: zoneinfo.ZoneInfo,
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
) -> bool:
    """Whether `moment` (aware) falls in the quiet hours, read on the local wall clock: from `quiet_start`
    inclusive to `quiet_end` exclusive, across midnight when the start is later than the end (22:00–07:00).
    No quiet hours when either end is missing or both are equal."""
    if quiet_start is None or quiet_end is None or quiet_start == quiet_end:
        return False
    local = moment.astimezone(zone).time().replace(tzinfo=None)
    if quiet_start < quiet_end:
        return quiet_start <= local < quiet_end
    return local >= quiet_start or local < quiet_end


def is_snoozed(moment: datetime.datetime, *, snoozed_until: datetime.datetime | None) -> bool:
    """A snooze silences everything before its end instant, whatever the local date."""
    return snoozed_until is not None and moment < snoozed_until


def is_paused(
    moment: datetime.datetime, *, zone: zoneinfo.ZoneInfo, paused_until: datetime.date | None
) -> bool:
    """A pause lasts to the end of its last local day (inclusive)."""
    return paused_until is not None and moment.astimezone(zone).date() <= paused_until


def local_window(
    *, zone: zoneinfo.ZoneInfo, start: datetime.datetime, end: datetime.datetime
) -> tuple[datetime.time, datetime.time] | None:
    """The wall-clock times of day a window (start, end] can fire in `zone`, as (after, up_to): a time `t`
    may fire when after < t <= up_to, or, when after > up_to (the window crosses local midnight), when
    t > after or t <= up_to. None when any time may (a window of a day or more, or a fall-back hour inside
    it). Used only to narrow a database query; `occurrences` has the last word."""
    first = start.astimezone(zone).replace(tzinfo=None)
    last = end.astimezone(zone).replace(tzinfo=None)
    if last <= first or last - first >= ONE_DAY:
        return None
    # Wall times in a spring-forward gap inside the window lie between first and last on the wall clock, so
    # they are covered: their occurrence is the gap's end, inside the window.
    return first.time(), last.time()
