import datetime
import zoneinfo

import pytest

from rehab import schedule
from rehab.schedule import Dose

LONDON = zoneinfo.ZoneInfo("Europe/London")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
MONDAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("times", "sessions", "expected"),
    [
        (1, 1, [0]),
        (1, 4, [0]),
        (2, 2, [0, 1]),
        (2, 3, [0, 2]),
        (2, 4, [0, 2]),
        (3, 3, [0, 1, 2]),
        (3, 4, [0, 1, 3]),
        (4, 4, [0, 1, 2, 3]),
    ],
)
def test_an_exercise_is_spread_evenly_over_the_days_sessions(times, sessions, expected):
    assert schedule.session_indexes(times, sessions) == expected


def test_the_number_of_sessions_and_their_names_follow_the_largest_times_a_day():
    plan = [Dose(1, EVERY_DAY), Dose(3, EVERY_DAY)]
    assert schedule.session_count(plan) == 3
    assert [name for name, _ in schedule.slot_groups(plan)] == ["Morning", "Midday", "Evening"]
    assert schedule.session_names(1) == ["Today"]
    assert schedule.session_names(4) == ["Morning", "Midday", "Afternoon", "Evening"]


def test_an_exercise_not_due_on_a_weekday_leaves_its_sessions_out_but_keeps_their_names():
    daily_twice = Dose(2, EVERY_DAY)
    mondays = Dose(1, [0])
    tuesday = MONDAY + datetime.timedelta(days=1)
    on_monday = schedule.sessions_on([daily_twice, mondays], MONDAY)
    assert [(s.index, s.name, len(s.items)) for s in on_monday] == [(0, "Morning", 2), (1, "Evening", 1)]
    on_tuesday = schedule.sessions_on([mondays], tuesday)
    assert on_tuesday == []


def test_due_now_is_the_latest_started_session_and_the_rest_are_later_or_missed():
    plan = [Dose(4, EVERY_DAY)]
    at_15 = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=LONDON)
    day = schedule.day_plan(plan, now=at_15, zone=LONDON, logged={0})
    assert day.due_now is not None and day.due_now.name == "Afternoon"
    assert [s.name for s in day.missed] == ["Midday"]
    assert [s.name for s in day.later] == ["Evening"]
    assert [s.name for s in day.done] == ["Morning"]
    assert day.open_indexes() == {1, 2}


def test_before_six_in_the_morning_the_first_session_may_be_done_early():
    plan = [Dose(2, EVERY_DAY)]
    early = datetime.datetime(2026, 11, 23, 5, 10, tzinfo=LONDON)
    day = schedule.day_plan(plan, now=early, zone=LONDON, logged=set())
    assert day.due_now is not None and day.due_now.name == "Morning"
    assert [s.name for s in day.later] == ["Evening"]


def test_the_day_and_the_weekday_are_the_patients_not_the_servers():
    mondays_only = [Dose(1, [0])]
    # 23:30 UTC on Sunday is already Monday 08:30 in Tokyo.
    sunday_night_utc = datetime.datetime(2026, 11, 22, 23, 30, tzinfo=datetime.UTC)
    in_tokyo = schedule.day_plan(mondays_only, now=sunday_night_utc, zone=TOKYO, logged=set())
    in_london = schedule.day_plan(mondays_only, now=sunday_night_utc, zone=LONDON, logged=set())
    assert in_tokyo.day == MONDAY and in_tokyo.due_now is not None
    assert in_london.day == MONDAY - datetime.timedelta(days=1) and in_london.due_now is None


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (datetime.date(2026, 3, 28), 6),  # GMT, the day before the clocks go forward
        (datetime.date(2026, 3, 29), 5),  # BST from 01:00 UTC that night
        (datetime.date(2026, 10, 24), 5),  # still BST
        (datetime.date(2026, 10, 25), 6),  # GMT again from 01:00 UTC
    ],
)
def test_a_session_starts_at_the_same_local_hour_on_both_sides_of_a_clock_change(day, utc_hour):
    start = schedule.session_start(day, "Morning", LONDON)
    assert start.astimezone(datetime.UTC).hour == utc_hour
    assert start.astimezone(LONDON).hour == 6
