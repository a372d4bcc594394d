"""Progress charts as plain coordinates: the templates draw them as inline SVG, with no script (CSP-safe).

Every chart also carries its data as a table, which the page offers to screen readers and to anyone who
prefers numbers. Coordinates are in the SVG's own units (a viewBox of WIDTH x HEIGHT), rounded to 0.1.
"""

import dataclasses
import datetime
import html
import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 24, 34
MAX_X_TICKS = 8


@dataclasses.dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclasses.dataclass(frozen=True)
class Series:
    key: str
    name: str
    points: list[Point]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)

    @property
    def dots_svg(self) -> SafeString:
        """A dot with its title for each point, written here rather than by a template loop: a six-month chart
        has hundreds of them, and the loop was most of the progress page's time."""
        key = html.escape(self.key)
        return mark_safe(  # noqa: S308 - every text is escaped, the numbers are numbers
            "".join(
                f'<circle class="dot-{key}" cx="{p.x}" cy="{p.y}" r="3">'
                f"<title>{html.escape(p.title)}</title></circle>"
                for p in self.points
            )
        )


@dataclasses.dataclass(frozen=True)
class Line:
    """A horizontal (y set) or vertical (x set) reference line with its label."""

    key: str
    label: str
    x: float | None = None
    y: float | None = None

    @property
    def is_horizontal(self) -> bool:
        return self.y is not None

    @property
    def label_x(self) -> float:
        return _round(WIDTH - RIGHT - 4) if self.x is None else _round(self.x + 4)

    @property
    def label_y(self) -> float:
        return _round(self.y - 4) if self.y is not None else TOP + 12


@dataclasses.dataclass(frozen=True)
class Band:
    x: float
    width: float
    label: str


@dataclasses.dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str
    label: str

    @property
    def label_x(self) -> float:
        return _round(self.x + self.width / 2)

    @property
    def label_y(self) -> float:
        return _round(max(self.y - 4, 12))

    @property
    def svg(self) -> str:
        """The bar and its label, written here rather than by a template loop (see `Series.dots_svg`)."""
        return (
            f'<rect class="bar" x="{self.x}" y="{self.y}" width="{self.width}" height="{self.height}">'
            f"<title>{html.escape(self.title)}</title></rect>\n"
            f'    <text class="bar-label" x="{self.label_x}" y="{self.label_y}" text-anchor="middle">'
            f"{html.escape(self.label)}</text>"
        )


@dataclasses.dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclasses.dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]

    @property
    def rows_html(self) -> SafeString:
        """The body's rows, the first cell of each a row header (written here for speed, as `dots_svg`)."""
        return mark_safe(  # noqa: S308 - every cell is escaped
            "".join(
                f'<tr><th scope="row">{html.escape(str(row[0]))}</th>'
                + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row[1:])
                + "</tr>"
                for row in self.rows
            )
        )


@dataclasses.dataclass(frozen=True)
class Chart:
    key: str
    title: str
    summary: str  # the aria-label of the SVG: what the chart shows, in one sentence
    series: list[Series]
    table: Table
    lines: list[Line] = dataclasses.field(default_factory=list)
    bands: list[Band] = dataclasses.field(default_factory=list)
    bars: list[Bar] = dataclasses.field(default_factory=list)
    x_ticks: list[Tick] = dataclasses.field(default_factory=list)
    y_ticks: list[Tick] = dataclasses.field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def empty(self) -> bool:
        return not self.table.rows

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT

    @property
    def plot_top(self) -> int:
        return TOP

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def bars_svg(self) -> SafeString:
        return mark_safe("\n    ".join(bar.svg for bar in self.bars))  # noqa: S308 - texts escaped in Bar.svg

    @property
    def grid_svg(self) -> SafeString:
        """The flare-up bands, the grid and both axes with their tick labels: the chart's fixed parts, written
        here rather than by template loops (see `Series.dots_svg`)."""
        left, right, top, bottom = self.plot_left, self.plot_right, self.plot_top, self.plot_bottom
        parts = [
            f'<rect class="band-flare" x="{band.x}" y="{top}" width="{band.width}" '
            f'height="{self.plot_height}">'
            f"<title>{html.escape(band.label)}</title></rect>"
            for band in self.bands
        ]
        for tick in self.y_ticks:
            parts.append(
                f'<line class="grid" x1="{left}" x2="{right}" y1="{tick.position}" '
                f'y2="{tick.position}"></line>\n'
                f'    <text class="tick-label" x="{self.y_label_x}" y="{tick.position}" text-anchor="end" '
                f'dominant-baseline="middle">{html.escape(tick.label)}</text>'
            )
        parts.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"></line>')
        parts.append(f'<line class="axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"></line>')
        parts.extend(
            f'<text class="tick-label" x="{tick.position}" y="{self.x_label_y}" text-anchor="middle">'
            f"{html.escape(tick.label)}</text>"
            for tick in self.x_ticks
        )
        return mark_safe("\n    ".join(parts))  # noqa: S308 - every text is escaped, the numbers are numbers

    @property
    def lines_svg(self) -> SafeString:
        """The reference lines with their labels, then each series' line and dots (see `grid_svg`)."""
        parts = []
        for line in self.lines:
            key, label = html.escape(line.key), html.escape(line.label)
            if line.is_horizontal:
                parts.append(
                    f'<line class="line-{key}" x1="{self.plot_left}" x2="{self.plot_right}" y1="{line.y}" '
                    f'y2="{line.y}"><title>{label}</title></line>\n'
                    f'    <text class="line-label label-{key}" x="{line.label_x}" y="{line.label_y}" '
                    f'text-anchor="end">{label}</text>'
                )
            else:
                parts.append(
                    f'<line class="line-{key}" x1="{line.x}" x2="{line.x}" y1="{self.plot_top}" '
                    f'y2="{self.plot_bottom}"><title>{label}</title></line>\n'
                    f'    <text class="line-label label-{key}" x="{line.label_x}" y="{line.label_y}">'
                    f"{label}</text>"
                )
        for series in self.series:
            parts.append(
                f'<polyline class="series series-{html.escape(series.key)}" '
                f'points="{series.polyline}"></polyline>'
                f"\n    {series.dots_svg}"
            )
        return mark_safe("\n    ".join(parts))  # noqa: S308 - every text is escaped, the numbers are numbers

    @property
    def has_vertical_lines(self) -> bool:
        return any(not line.is_horizontal for line in self.lines)

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top

    @property
    def y_label_x(self) -> int:
        return LEFT - 6

    @property
    def x_label_y(self) -> int:
        return self.height - BOTTOM + 18


def _round(value: float) -> float:
    return round(value, 1)


class _Scale:
    def __init__(self, first: datetime.date, last: datetime.date, maximum: float):
        self.first = first
        self.span = max((last - first).days, 1)
        self.maximum = maximum

    def x(self, day: datetime.date) -> float:
        return _round(LEFT + (day - self.first).days / self.span * (WIDTH - LEFT - RIGHT))

    def y(self, value: float) -> float:
        return _round(HEIGHT - BOTTOM - value / self.maximum * (HEIGHT - TOP - BOTTOM))


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date(day: datetime.date) -> str:
    """ "3 Dec": strftime's %b in the C locale, without strftime (a chart calls this hundreds of times)."""
    return f"{day.day} {_MONTHS[day.month]}"


def _x_ticks(scale: _Scale, first: datetime.date, last: datetime.date) -> list[Tick]:
    monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    mondays = []
    while monday <= last:
        mondays.append(monday)
        monday += datetime.timedelta(days=7)
    step = max(1, math.ceil(len(mondays) / MAX_X_TICKS))
    return [Tick(scale.x(day), _date(day)) for day in mondays[::step]]


def _y_ticks(scale: _Scale, values: Sequence[int]) -> list[Tick]:
    return [Tick(scale.y(value), str(value)) for value in values]


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"
    return str(value)


@dataclasses.dataclass(frozen=True)
class PainDay:
    day: datetime.date
    during: int | None = None
    after: int | None = None
    next_morning: int | None = None


PAIN_SERIES = (
    ("during", "Pain during exercise"),
    ("after", "Pain after exercise"),
    ("next_morning", "Pain on waking the next morning"),
)


def pain_chart(
    *,
    days: Sequence[PainDay],
    first: datetime.date,
    last: datetime.date,
    safe_max: int,
    alert_above: int,
    stage_changes: Sequence[tuple[datetime.date, str]] = (),
    flare_ups: Sequence[tuple[datetime.date, datetime.date, str]] = (),
) -> Chart:
    """Daily pain (the highest of the day) with the safe and alert limits, stage changes and flare-ups.

    The next-morning score of a day is the one recorded on the morning after it, so the three scores of a
    row belong to the same session day."""
    scale = _Scale(first, last, 10)
    rows = sorted(days, key=lambda d: d.day)
    series = []
    for key, name in PAIN_SERIES:
        points = [
            Point(scale.x(d.day), scale.y(value), f"{_date(d.day)}: {name.lower()} {value}/10")
            for d in rows
            if (value := getattr(d, key)) is not None
        ]
        series.append(Series(key, name, points))
    lines = [
        Line("safe", f"{safe_max}: top of the safe zone", y=scale.y(safe_max)),
        Line("alert", f"{alert_above}: above this is too much", y=scale.y(alert_above)),
        *[Line("stage", label, x=scale.x(day)) for day, label in stage_changes if first <= day <= last],
    ]
    bands = []
    for start, end, label in flare_ups:
        start, end = max(start, first), min(end, last)
        if start <= end:
            x = scale.x(start)
            bands.append(Band(x, _round(max(scale.x(end) - x, 3)), label))
    table_rows = [[_date(d.day), _number(d.during), _number(d.after), _number(d.next_morning)] for d in rows]
    return Chart(
        key="pain",
        title="Pain over time",
        summary=(
            f"Line chart of daily pain from {_date(first)} to {_date(last)}, out of 10, with lines at "
            f"{safe_max} and {alert_above}"
            + (f"; {len(bands)} flare-up{'s' if len(bands) != 1 else ''} shaded" if bands else "")
            + (
                f"; {len(stage_changes)} stage change{'s' if len(stage_changes) != 1 else ''}"
                if stage_changes
                else ""
            )
            + ". The table below gives the same figures."
        ),
        series=series,
        table=Table(
            caption="Daily pain out of 10 (the highest of the day)",
            headers=["Day", "During", "After", "Next morning"],
            rows=table_rows,
        ),
        lines=lines,
        bands=bands,
        x_ticks=_x_ticks(scale, first, last),
        y_ticks=_y_ticks(scale, [0, 2, 4, 6, 8, 10]),
    )


def adherence_chart(*, weeks: Sequence, target: int) -> Chart:
    """One bar per week: sessions done out of those prescribed, as a percentage, with the target line."""
    count = max(len(weeks), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    scale_y = _Scale(datetime.date.min, datetime.date.min, 100)
    bars, rows = [], []
    for index, week in enumerate(weeks):
        percent = week.percent or 0
        y = scale_y.y(percent)
        label = f"{percent} %" if week.percent is not None else "–"
        bars.append(
            Bar(
                x=_round(LEFT + index * slot + slot * 0.15),
                y=y,
                width=_round(slot * 0.7),
                height=_round(HEIGHT - BOTTOM - y),
                title=f"Week of {_date(week.first)}: {week.done} of {week.prescribed} sessions ({label})",
                label=label,
            )
        )
        rows.append([_date(week.first), str(week.done), str(week.prescribed), label])
    step = max(1, math.ceil(len(weeks) / MAX_X_TICKS))
    ticks = [
        Tick(_round(LEFT + index * slot + slot / 2), _date(week.first))
        for index, week in enumerate(weeks)
        if index % step == 0
    ]
    return Chart(
        key="adherence",
        title="Sessions done each week",
        summary=f"Bar chart of the share of prescribed sessions done in each of {len(weeks)} weeks, with a "
        f"line at the {target} % target. The table below gives the same figures.",
        series=[],
        table=Table(
            caption="Sessions done out of those prescribed, week by week (Monday to Sunday, your time zone)",
            headers=["Week of", "Done", "Prescribed", "Share"],
            rows=rows,
        ),
        lines=[Line("target", f"{target} % target", y=scale_y.y(target))],
        bars=bars,
        x_ticks=ticks,
        y_ticks=_y_ticks(scale_y, [0, 20, 40, 60, 80, 100]),
    )


def score_chart(
    *,
    key: str,
    title: str,
    name: str,
    scores: Sequence[tuple[datetime.date, Decimal | int]],
    maximum: int,
    first: datetime.date,
    last: datetime.date,
    better: str,
) -> Chart:
    """A questionnaire score over time (VISA-H out of 100, PSFS out of 10)."""
    scale = _Scale(first, last, maximum)
    ordered = sorted(scores)
    points = [
        Point(scale.x(day), scale.y(float(score)), f"{_date(day)}: {name} {_number(score)} of {maximum}")
        for day, score in ordered
    ]
    step = maximum // 5
    return Chart(
        key=key,
        title=title,
        summary=f"Line chart of the {name} score out of {maximum} from {_date(first)} to {_date(last)}; "
        f"{better}. The table below gives the same figures.",
        series=[Series(key, name, points)],
        table=Table(
            caption=f"{name} scores out of {maximum} ({better})",
            headers=["Day", "Score"],
            rows=[[_date(day), _number(score)] for day, score in ordered],
        ),
        x_ticks=_x_ticks(scale, first, last),
        y_ticks=_y_ticks(scale, list(range(0, maximum + 1, step))),
    )
