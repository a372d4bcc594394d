import datetime
import zoneinfo

import pytest

from reminders import occurrences

UTC = datetime.UTC
EVERY_DAY = range(7)
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
LONDON = zoneinfo.ZoneInfo("Europe/London")
SYDNEY = zoneinfo.ZoneInfo("Australia/Sydney")

# Each zone's change days in 2026, with whether the clocks go forward that day.
CHANGE_DAYS = [
    pytest.param(NEW_YORK, datetime.date(2026, 3, 8), id="new-york-spring-forward"),
    pytest.param(NEW_YORK, datetime.date(2026, 11, 1), id="new-york-fall-back"),
    pytest.param(LONDON, datetime.date(2026, 3, 29), id="london-spring-forward"),
    pytest.param(LONDON, datetime.date(2026, 10, 25), id="london-fall-back"),
    pytest.param(SYDNEY, datetime.date(2026, 4, 5), id="sydney-fall-back"),
    pytest.param(SYDNEY, datetime.date(2026, 10, 4), id="sydney-spring-forward"),
]


def t(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def around(day: datetime.date, zone, days: int = 3) -> tuple[datetime.datetime, datetime.datetime]:
    """From local midnight `days` days before to local midnight `days` days after, as UTC instants."""
    start = datetime.datetime.combine(day - datetime.timedelta(days=days), t(0), tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=days), t(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def on_day(at: datetime.time, day: datetime.date, zone) -> list[datetime.datetime]:
    """The occurrences from local midnight to the next (23, 24 or 25 hours)."""
    start = datetime.datetime.combine(day, t(0), tzinfo=zone).astimezone(UTC)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), t(0), tzinfo=zone).astimezone(UTC)
    return occurrences.occurrences(at=at, weekdays=EVERY_DAY, zone=zone, start=start, end=end)


@pytest.mark.parametrize(("zone", "day"), CHANGE_DAYS)
def test_a_daily_0800_fires_once_per_local_day_at_0800_local_around_a_change_day(zone, day):
    start, end = around(day, zone)

    found = occurrences.occurrences(at=t(8), weekdays=EVERY_DAY, zone=zone, start=start, end=end)

    local = [moment.astimezone(zone) for moment in found]
    assert [moment.time() for moment in local] == [t(8)] * 6
    assert [moment.date() for moment in local] == [day + datetime.timedelta(days=n) for n in range(-3, 3)]


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # 02:00 EST jumps to 03:00 EDT: 02:30 does not exist and fires at 03:00 EDT.
        pytest.param(
            NEW_YORK, datetime.date(2026, 3, 8), t(2, 30), utc(2026, 3, 8, 7, 0), id="ny-0230-missing"
        ),
        pytest.param(
            NEW_YORK, datetime.date(2026, 3, 8), t(1, 30), utc(2026, 3, 8, 6, 30), id="ny-0130-before"
        ),
        # 02:00 EDT falls back to 01:00 EST: 01:30 happens twice and fires at the first, EDT.
        pytest.param(
            NEW_YORK, datetime.date(2026, 11, 1), t(1, 30), utc(2026, 11, 1, 5, 30), id="ny-0130-twice"
        ),
        # 01:00 GMT jumps to 02:00 BST: 01:30 does not exist and fires at 02:00 BST.
        pytest.param(
            LONDON, datetime.date(2026, 3, 29), t(1, 30), utc(2026, 3, 29, 1, 0), id="london-0130-missing"
        ),
        # 02:00 BST falls back to 01:00 GMT: 01:30 fires once, at 01:30 BST.
        pytest.param(
            LONDON, datetime.date(2026, 10, 25), t(1, 30), utc(2026, 10, 25, 0, 30), id="london-0130-twice"
        ),
        # 03:00 AEDT falls back to 02:00 AEST: 02:30 fires once, at 02:30 AEDT (UTC+11).
        pytest.param(
            SYDNEY, datetime.date(2026, 4, 5), t(2, 30), utc(2026, 4, 4, 15, 30), id="sydney-0230-twice"
        ),
        pytest.param(
            SYDNEY, datetime.date(2026, 4, 5), t(1, 30), utc(2026, 4, 4, 14, 30), id="sydney-0130-before"
        ),
        # 02:00 AEST jumps to 03:00 AEDT: 02:30 does not exist and fires at 03:00 AEDT.
        pytest.param(
            SYDNEY, datetime.date(2026, 10, 4), t(2, 30), utc(2026, 10, 3, 16, 0), id="sydney-0230-missing"
        ),
    ],
)
def test_a_night_time_on_a_change_day_fires_exactly_once_at_the_first_valid_moment(zone, day, at, expected):
    assert on_day(at, day, zone) == [expected]


def test_a_missing_time_with_seconds_fires_on_the_minute_after_the_gap():
    assert occurrences.resolve(datetime.date(2026, 3, 8), datetime.time(2, 30, 15), NEW_YORK) == utc(
        2026, 3, 8, 7
    )


def test_only_the_chosen_local_weekdays_fire():
    # Monday 08:00 in Sydney is Sunday 21:00 UTC: the weekday is the patient's, not UTC's.
    start, end = utc(2026, 10, 1), utc(2026, 10, 22)

    found = occurrences.occurrences(at=t(8), weekdays=[0], zone=SYDNEY, start=start, end=end)

    assert [moment.astimezone(SYDNEY).date() for moment in found] == [
        datetime.date(2026, 10, 5),
        datetime.date(2026, 10, 12),
        datetime.date(2026, 10, 19),
    ]
    assert all(moment.weekday() == 6 for moment in found)


def test_the_window_is_open_at_its_start_and_closed_at_its_end():
    at_eight = utc(2026, 6, 1, 7)  # 08:00 BST
    assert (
        occurrences.occurrences(at=t(8), weekdays=EVERY_DAY, zone=LONDON, start=at_eight, end=at_eight) == []
    )
    assert occurrences.occurrences(
        at=t(8), weekdays=EVERY_DAY, zone=LONDON, start=at_eight - datetime.timedelta(minutes=1), end=at_eight
    ) == [at_eight]


def test_naive_window_ends_are_refused():
    with pytest.raises(ValueError, match="aware"):
        occurrences.occurrences(
            at=t(8),
            weekdays=EVERY_DAY,
            zone=LONDON,
            start=datetime.datetime(2026, 6, 1),  # noqa: DTZ001
            end=utc(2026, 6, 2),
        )


QUIET = {"quiet_start": t(22), "quiet_end": t(7)}


@pytest.mark.parametrize(
    ("local", "quiet"),
    [
        (datetime.datetime(2026, 6, 1, 21, 59, tzinfo=NEW_YORK), False),
        (datetime.datetime(2026, 6, 1, 22, 0, tzinfo=NEW_YORK), True),
        (datetime.datetime(2026, 6, 1, 23, 30, tzinfo=NEW_YORK), True),
        (datetime.datetime(2026, 6, 2, 0, 0, tzinfo=NEW_YORK), True),
        (datetime.datetime(2026, 6, 2, 6, 59, tzinfo=NEW_YORK), True),
        (datetime.datetime(2026, 6, 2, 7, 0, tzinfo=NEW_YORK), False),
        (datetime.datetime(2026, 6, 2, 12, 0, tzinfo=NEW_YORK), False),
    ],
)
def test_quiet_hours_that_cross_midnight_are_read_on_the_local_clock(local, quiet):
    moment = local.astimezone(UTC)
    assert occurrences.in_quiet_hours(moment, zone=NEW_YORK, **QUIET) is quiet


def test_quiet_hours_within_a_day():
    lunch = {"quiet_start": t(12), "quiet_end": t(14)}
    assert occurrences.in_quiet_hours(utc(2026, 1, 5, 12, 30), zone=LONDON, **lunch)
    assert not occurrences.in_quiet_hours(utc(2026, 1, 5, 14, 0), zone=LONDON, **lunch)
    assert not occurrences.in_quiet_hours(utc(2026, 1, 5, 2, 0), zone=LONDON, **lunch)


def test_no_quiet_hours_when_none_are_set():
    assert not occurrences.in_quiet_hours(utc(2026, 1, 5, 2), zone=LONDON, quiet_start=None, quiet_end=None)


def test_a_missing_0130_moved_into_quiet_hours_on_the_spring_forward_night_is_quiet():
    (moment,) = on_day(t(1, 30), datetime.date(2026, 3, 29), LONDON)  # fires at 02:00 BST
    assert occurrences.in_quiet_hours(moment, zone=LONDON, quiet_start=t(2), quiet_end=t(6))


def test_a_snooze_until_tomorrow_morning_silences_tonight_and_not_tomorrow():
    snoozed_until = datetime.datetime(2026, 11, 1, 8, 0, tzinfo=NEW_YORK)  # the fall-back morning
    tonight = occurrences.occurrences(
        at=t(23, 30), weekdays=EVERY_DAY, zone=NEW_YORK, start=utc(2026, 10, 31, 12), end=utc(2026, 11, 1, 12)
    )
    (late,) = tonight
    (morning,) = on_day(t(8), datetime.date(2026, 11, 1), NEW_YORK)

    assert occurrences.is_snoozed(late, snoozed_until=snoozed_until)
    assert not occurrences.is_snoozed(morning, snoozed_until=snoozed_until)


def test_a_pause_lasts_to_the_end_of_its_last_local_day():
    last_day = datetime.date(2026, 4, 5)
    (last_evening,) = on_day(t(23, 59), last_day, SYDNEY)
    (next_morning,) = on_day(t(0, 1), last_day + datetime.timedelta(days=1), SYDNEY)

    assert occurrences.is_paused(last_evening, zone=SYDNEY, paused_until=last_day)
    assert not occurrences.is_paused(next_morning, zone=SYDNEY, paused_until=last_day)


def _admits(window, at: datetime.time) -> bool:
    if window is None:
        return True
    after, up_to = window
    return after < at <= up_to if after < up_to else at > after or at <= up_to


@pytest.mark.parametrize(("zone", "day"), CHANGE_DAYS)
def test_the_local_window_used_to_narrow_the_query_never_drops_an_occurrence(zone, day):
    night_start = datetime.datetime.combine(day, t(0), tzinfo=zone).astimezone(UTC)
    times = [t(hour, minute) for hour in range(24) for minute in range(0, 60, 5)]
    for step in range(0, 6 * 60, 7):  # ten-minute windows, every seven minutes, through the night
        end = night_start + datetime.timedelta(minutes=step)
        start = end - datetime.timedelta(minutes=10)
        window = occurrences.local_window(zone=zone, start=start, end=end)
        for at in times:
            if occurrences.occurrences(at=at, weekdays=EVERY_DAY, zone=zone, start=start, end=end):
                assert _admits(window, at), (start, end, at, window)
