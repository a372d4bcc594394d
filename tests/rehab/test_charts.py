import datetime
from decimal import Decimal

from rehab import charts
from rehab.progress import Adherence

NOV = [datetime.date(2026, 11, day) for day in range(1, 31)]  # NOV[1] is Monday 2 November


def test_the_pain_chart_places_each_score_and_the_safe_and_alert_lines():
    chart = charts.pain_chart(
        days=[
            charts.PainDay(NOV[1], during=4, after=5, next_morning=3),
            charts.PainDay(NOV[6], during=6, after=None, next_morning=2),
        ],
        first=NOV[1],
        last=NOV[11],
        safe_max=3,
        alert_above=5,
        stage_changes=[(NOV[8], "Stage 3")],
        flare_ups=[(NOV[4], NOV[6], "Flare-up from 05 Nov to 07 Nov")],
    )
    during = chart.series[0]
    assert during.name == "Pain during exercise"
    assert [(p.x, p.y) for p in during.points] == [(40.0, 133.2), (334.0, 96.8)]
    assert during.polyline == "40.0,133.2 334.0,96.8"
    assert during.points[1].title == "7 Nov: pain during exercise 6/10"
    assert [(p.x, p.y) for p in chart.series[1].points] == [(40.0, 115.0)]  # no "after" score on 7 Nov
    lines = {line.key: line for line in chart.lines}
    assert lines["safe"].y == 151.4 and lines["alert"].y == 115.0
    assert lines["stage"].x == 451.6 and lines["stage"].label == "Stage 3"
    assert [(band.x, band.width) for band in chart.bands] == [(216.4, 117.6)]
    assert [(tick.position, tick.label) for tick in chart.x_ticks] == [(40.0, "2 Nov"), (451.6, "9 Nov")]
    assert chart.table.headers == ["Day", "During", "After", "Next morning"]
    assert chart.table.rows == [["2 Nov", "4", "5", "3"], ["7 Nov", "6", "–", "2"]]
    assert "lines at 3 and 5" in chart.summary and "1 flare-up shaded" in chart.summary


def test_the_adherence_chart_draws_a_bar_per_week_with_its_share():
    weeks = [Adherence(NOV[1], NOV[7], 7, 14), Adherence(NOV[8], NOV[14], 14, 14)]
    chart = charts.adherence_chart(weeks=weeks, target=80)
    first, second = chart.bars
    assert (first.x, first.y, first.width, first.height) == (84.1, 115.0, 205.8, 91.0)
    assert (second.y, second.height, second.label) == (24.0, 182.0, "100 %")
    assert first.title == "Week of 2 Nov: 7 of 14 sessions (50 %)"
    assert chart.lines[0].y == 60.4  # the 80 % target
    assert chart.table.rows == [["2 Nov", "7", "14", "50 %"], ["9 Nov", "14", "14", "100 %"]]


def test_questionnaire_charts_scale_to_their_maximum():
    visa = charts.score_chart(
        key="visa_h", title="VISA-H score", name="VISA-H", scores=[(NOV[1], 48), (NOV[11], Decimal("66"))],
        maximum=100, first=NOV[1], last=NOV[11], better="higher is better",
    )  # fmt: skip
    assert [(p.x, p.y) for p in visa.series[0].points] == [(40.0, 118.6), (628.0, 85.9)]
    assert [tick.label for tick in visa.y_ticks] == ["0", "20", "40", "60", "80", "100"]
    psfs = charts.score_chart(
        key="psfs", title="PSFS", name="PSFS", scores=[(NOV[1], Decimal("2.7"))],
        maximum=10, first=NOV[1], last=NOV[11], better="higher is better",
    )  # fmt: skip
    assert psfs.series[0].points[0].y == 156.9
    assert psfs.table.rows == [["2 Nov", "2.7"]]


def test_a_chart_without_data_says_so():
    chart = charts.score_chart(
        key="psfs", title="PSFS", name="PSFS", scores=[], maximum=10, first=NOV[1], last=NOV[2], better="x"
    )
    assert chart.empty
