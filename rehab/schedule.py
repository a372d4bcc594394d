"""When exercises are due: the one rule for Today, "My plan", adherence and reminders.

A plan's day has N sessions, N being the largest "times a day" of its exercises. An exercise done t times a
day stands in the sessions round(i * N / t) for i in 0..t-1, so it is spread evenly over the day. It is due
on the days of the week it names, counted in the patient's own time zone. Each session starts at a fixed
local hour; a session "due now" is the latest one that has started and is not logged yet. Before the first
session of the day starts, the first one counts as due now, so an early riser can do it straight away.

Pure functions only: callers pass the prescriptions (or their snapshots), dates and the time zone.
"""

import dataclasses
import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Protocol

SESSION_NAMES: dict[int, list[str]] = {
    1: ["Today"],
    2: ["Morning", "Evening"],
    3: ["Morning", "Midday", "Evening"],
    4: ["Morning", "Midday", "Afternoon", "Evening"],
}
SESSION_START: dict[str, datetime.time] = {
    "Today": datetime.time(6),
    "Morning": datetime.time(6),
    "Midday": datetime.time(11),
    "Afternoon": datetime.time(14),
    "Evening": datetime.time(17),
}
MAX_SESSIONS = 4


class Dosed(Protocol):
    times_per_day: int
    days_of_week: list[int]


@dataclasses.dataclass(frozen=True)
class Dose:
    """The part of a prescription that decides when it is due; built from a plan snapshot entry."""

    times_per_day: int
    days_of_week: list[int]
    in_flare_up_set: bool = False

    @classmethod
    def from_snapshot(cls, entry: dict) -> "Dose":
        return cls(
            times_per_day=entry["times_per_day"],
            days_of_week=list(entry["days_of_week"]),
            in_flare_up_set=bool(entry.get("in_flare_up_set", False)),
        )


def session_count(prescriptions: Iterable[Dosed]) -> int:
    return min(max((item.times_per_day for item in prescriptions), default=0), MAX_SESSIONS)


def session_names(count: int) -> list[str]:
    return SESSION_NAMES.get(count, [])


def session_indexes(times_per_day: int, count: int) -> list[int]:
    """The sessions (0-based) an exercise done `times_per_day` times stands in, out of `count` sessions."""
    times = min(times_per_day, count)
    return sorted({int(i * count / times + 0.5) for i in range(times)})


def is_due_on(item: Dosed, day: datetime.date) -> bool:
    return day.weekday() in (item.days_of_week or [])


@dataclasses.dataclass
class Session:
    index: int
    name: str
    items: list = dataclasses.field(default_factory=list)

    @property
    def start(self) -> datetime.time:
        return SESSION_START[self.name]


def sessions_on(prescriptions: Sequence, day: datetime.date) -> list[Session]:
    """The sessions of `day` that have at least one exercise due, each with its exercises in plan order.

    The number of sessions comes from the whole plan, not from that day, so a slot keeps its name and index
    whichever exercises happen to be due.
    """
    count = session_count(prescriptions)
    names = session_names(count)
    sessions = [Session(index, name) for index, name in enumerate(names)]
    for item in prescriptions:
        if not is_due_on(item, day):
            continue
        for index in session_indexes(item.times_per_day, count):
            sessions[index].items.append(item)
    return [session for session in sessions if session.items]


def slot_groups(prescriptions: Sequence) -> list[tuple[str, list]]:
    """[("Morning", [...]), ("Evening", [...])]: the plan's sessions whatever the day, for "My plan"."""
    count = session_count(prescriptions)
    groups: list[tuple[str, list]] = [(name, []) for name in session_names(count)]
    for item in prescriptions:
        for index in session_indexes(item.times_per_day, count):
            groups[index][1].append(item)
    return [(name, items) for name, items in groups if items]


def session_start(day: datetime.date, name: str, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """When a session starts, as an aware datetime in the patient's zone (daylight-saving days included)."""
    return datetime.datetime.combine(day, SESSION_START[name], tzinfo=zone)


@dataclasses.dataclass
class DayPlan:
    day: datetime.date
    due_now: Session | None
    later: list[Session]
    done: list[Session]
    missed: list[Session]
    sessions: list[Session]

    def open_indexes(self) -> set[int]:
        """The sessions that may be logged now: due now and the earlier ones not logged yet."""
        opened = {session.index for session in self.missed}
        if self.due_now is not None:
            opened.add(self.due_now.index)
        return opened


def day_plan(
    prescriptions: Sequence, *, now: datetime.datetime, zone: zoneinfo.ZoneInfo, logged: set[int]
) -> DayPlan:
    """Sort today's sessions (in the patient's zone) into done, due now, missed (started earlier, not logged)
    and later today."""
    local = now.astimezone(zone)
    day = local.date()
    sessions = sessions_on(prescriptions, day)
    done = [session for session in sessions if session.index in logged]
    open_sessions = [session for session in sessions if session.index not in logged]
    started = [session for session in open_sessions if session_start(day, session.name, zone) <= local]
    if not started and open_sessions and not done:
        started = [open_sessions[0]]
    due_now = started[-1] if started else None
    missed = started[:-1]
    later = [session for session in open_sessions if session not in started]
    return DayPlan(day=day, due_now=due_now, later=later, done=done, missed=missed, sessions=sessions)


def daterange(first: datetime.date, last: datetime.date) -> Iterable[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def prescribed_sessions(prescriptions: Sequence, day: datetime.date) -> int:
    return len(sessions_on(prescriptions, day))
