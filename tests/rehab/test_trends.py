"""Pain creeping up over days (rehab/trends.py), on synthetic series of morning scores."""

import datetime

import pytest

from rehab import trends

TODAY = datetime.date(2026, 11, 30)


def series(scores: list[int], *, every: int = 1) -> list[tuple[datetime.date, int]]:
    """(date, score) pairs ending today, one every `every` days, oldest first."""
    last = len(scores) - 1
    return [(TODAY - datetime.timedelta(days=(last - i) * every), score) for i, score in enumerate(scores)]


@pytest.mark.parametrize(
    ("name", "scores", "rising"),
    [
        ("flat", [2, 2, 2, 2, 2, 2, 2], False),
        ("flat but noisy", [2, 3, 2, 1, 2, 3, 2], False),
        ("slow creep, a point every two days", [1, 1, 2, 2, 3, 3, 4], True),
        ("sudden spike this morning", [1, 1, 1, 1, 1, 1, 6], False),
        ("spike that stayed up", [1, 1, 1, 1, 1, 6, 6], True),
        ("recovery, falling", [5, 4, 4, 3, 3, 2, 2], False),
        ("falling after a bad fortnight", [6, 6, 6, 6, 6, 6, 6, 5, 4, 4, 3, 3, 2, 2], False),
        ("a step up from last week", [1, 1, 1, 1, 1, 1, 1, 3, 3, 4, 3, 3, 3, 3], True),
        ("a small step up from last week", [1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 2, 2, 2, 2], False),
    ],
)
def test_a_series_is_rising_only_when_it_creeps_up_over_the_week(name, scores, rising):
    assert trends.rising(series(scores), TODAY) is rising, name


def test_a_slope_needs_four_check_ins_in_the_last_seven_days():
    assert trends.rising(series([1, 3, 5]), TODAY) is False  # steep, but only three mornings
    assert trends.rising(series([1, 2, 3, 4]), TODAY) is True
    assert trends.rising(series([1, 2, 4, 5], every=3), TODAY) is False  # the first is 9 days ago


def test_a_spike_is_not_a_trend_even_with_the_fewest_check_ins():
    assert trends.rising(series([1, 1, 1, 5]), TODAY) is False


def test_a_step_between_weeks_needs_three_check_ins_in_each():
    two_last_week = [(TODAY - datetime.timedelta(days=d), 1) for d in (8, 10)]
    this_week = [(TODAY - datetime.timedelta(days=d), 4) for d in (0, 3, 6)]
    assert trends.rising(two_last_week + this_week, TODAY) is False
    three_last_week = [*two_last_week, (TODAY - datetime.timedelta(days=12), 1)]
    assert trends.rising(three_last_week + this_week, TODAY) is True


def test_either_measure_creeping_up_counts_and_is_named():
    creeping = [1, 1, 2, 2, 3, 3, 4]
    rows = [(day, 1, load) for day, load in series(creeping)]
    assert trends.pain_rising(rows, TODAY) == (True, ["load test pain"])
    rows = [(day, waking, 1) for day, waking in series(creeping)]
    assert trends.pain_rising(rows, TODAY) == (True, ["pain on waking"])
    assert trends.pain_rising([(day, 1, 1) for day, _ in series(creeping)], TODAY) == (False, [])


def test_the_slope_is_the_least_squares_one():
    assert trends.slope([(0, 1), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4)]) == pytest.approx(0.5)
    assert trends.slope([(0, 3)]) is None
