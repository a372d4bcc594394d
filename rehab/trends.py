"""Pain creeping up over days: a trend in the morning check-ins that no single day's rule would catch.

The day-to-day rules in `pain_rules` compare one morning with the morning before. A tendon that is slowly
getting worse can stay under those limits every single day, so this looks at a week at a time. A measure
(pain on waking, or load test pain) is rising when either:

- its least-squares slope over the check-ins of the last 7 days (today and the 6 days before) is at least
  0.3 points a day, with at least 4 check-ins in those 7 days, and still at least 0.3 a day when the latest
  check-in is left out. That last condition keeps one sudden bad morning from reading as a trend: a spike
  is the rise rules' job (`morning-rise-alert`), and a real creep is still there without its latest point.
  0.3 a day is about 2 points over a week, the rise the rules treat as too much from one day to the next.
- or the mean of the last 7 days is 2 points or more above the mean of the 7 days before, with at least 3
  check-ins in each week, so that a slow rise over two weeks counts even when each week looks flat.

The figures are this clinic's choice for clinical review; the sources give day-to-day limits only.
Pure functions over plain data, so that they are tested on synthetic series without a database.
"""

import datetime
from collections.abc import Iterable, Sequence

WINDOW_DAYS = 7
SLOPE_PER_DAY = 0.3
SLOPE_MIN_POINTS = 4
MEAN_RISE = 2
MEAN_MIN_POINTS = 3


def slope(points: Sequence[tuple[float, float]]) -> float | None:
    """The least-squares slope of y on x, or None with fewer than two distinct x."""
    if len({x for x, _ in points}) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values)


def rising(series: Iterable[tuple[datetime.date, int]], today: datetime.date) -> bool:
    """Whether one measure, as (date, score) pairs of at most one a day, is creeping up as of `today`."""
    first = today - datetime.timedelta(days=WINDOW_DAYS - 1)
    before = first - datetime.timedelta(days=WINDOW_DAYS)
    by_day = dict(series)
    week = sorted((day, score) for day, score in by_day.items() if first <= day <= today)
    week_before = [score for day, score in by_day.items() if before <= day < first]

    points = [(float((day - first).days), float(score)) for day, score in week]
    if len(points) >= SLOPE_MIN_POINTS:
        whole = slope(points)
        without_latest = slope(points[:-1])
        if whole is not None and whole >= SLOPE_PER_DAY and (without_latest or 0) >= SLOPE_PER_DAY:
            return True

    if len(week) >= MEAN_MIN_POINTS and len(week_before) >= MEAN_MIN_POINTS:
        if _mean([score for _, score in week]) - _mean(week_before) >= MEAN_RISE:
            return True
    return False


def pain_rising(
    check_ins: Iterable[tuple[datetime.date, int, int]], today: datetime.date
) -> tuple[bool, list[str]]:
    """(rising?, which measures): check-ins as (date, pain on waking, load test pain)."""
    rows = list(check_ins)
    measures = []
    if rising([(day, waking) for day, waking, _ in rows], today):
        measures.append("pain on waking")
    if rising([(day, load) for day, _, load in rows], today):
        measures.append("load test pain")
    return bool(measures), measures
