import datetime
from decimal import Decimal

import pytest

from rehab import outcomes

BEST = {"q1": 10, "q2": 10, "q3": 10, "q4": 10, "q5": 10, "q6": 10, "q7": "full_same", "q8": "free-4"}


def test_visa_h_of_no_symptoms_scores_100_and_the_worst_scores_0():
    assert outcomes.visa_h_score(BEST)[0] == 100
    worst = {**{f"q{n}": 0 for n in range(1, 7)}, "q7": "none", "q8": "stop-0"}
    assert outcomes.visa_h_score(worst)[0] == 0


def test_visa_h_worked_example_adds_items_one_to_six_and_the_points_of_seven_and_eight():
    # 4 + 5 + 6 + 4 + 5 + 6 = 30; "modified" sport = 4; "some pain, 11 to 20 minutes" = 10.
    answers = {"q1": "4", "q2": 5, "q3": 6, "q4": 4, "q5": 5, "q6": 6, "q7": "modified", "q8": "on-2"}
    score, cleaned = outcomes.visa_h_score(answers)
    assert score == 44
    assert cleaned["q1"] == 4 and cleaned["q8"] == "on-2"


def test_visa_h_item_eight_is_worth_up_to_thirty():
    points = [points for _, _, points in outcomes.VISA_H_DURATION.choices]
    assert max(points) == 30 and min(points) == 0
    assert {points for _, _, points in outcomes.VISA_H_ACTIVITY.choices} == {0, 4, 7, 10}


@pytest.mark.parametrize(
    ("change", "bad"),
    [
        ({"q3": 11}, "q3"),
        ({"q1": -1}, "q1"),
        ({"q2": "six"}, "q2"),
        ({"q7": "sometimes"}, "q7"),
        ({"q8": None}, "q8"),
    ],
)
def test_visa_h_answers_out_of_range_are_named(change, bad):
    with pytest.raises(outcomes.AnswerError) as error:
        outcomes.visa_h_score({**BEST, **change})
    assert list(error.value.problems) == [bad]


def test_psfs_worked_example_is_the_mean_to_one_decimal_rounding_halves_up():
    assert outcomes.psfs_score([("Sitting", 3), ("Running", 1), ("Driving", 4)])[0] == Decimal("2.7")
    assert outcomes.psfs_score([("A", 2), ("B", 3), ("C", 3), ("D", 3)])[0] == Decimal("2.8")  # 2.75
    score, cleaned = outcomes.psfs_score([("A", "10"), ("B", 10), ("C", 9), ("", ""), ("", None)])
    assert score == Decimal("9.7")
    assert cleaned == {"activities": [{"activity": "A", "rating": 10}, {"activity": "B", "rating": 10},
                                      {"activity": "C", "rating": 9}]}  # fmt: skip


@pytest.mark.parametrize(
    "rows",
    [
        [("A", 3), ("B", 4)],  # too few
        [("A", 3), ("B", 4), ("C", 11)],  # rating out of range
        [("A", 3), ("B", 4), ("", 5)],  # a rating without a name
        [(f"Activity {n}", 5) for n in range(6)],  # too many
    ],
)
def test_psfs_needs_three_to_five_named_activities_rated_0_to_10(rows):
    with pytest.raises(outcomes.AnswerError):
        outcomes.psfs_score(rows)


def test_each_measure_is_due_at_the_start_and_every_fourteen_days():
    start = datetime.date(2026, 3, 2)
    assert [d.kind for d in outcomes.due_measures(start=start, today=start, last_taken={})] == [
        "visa_h", "psfs", "pain_rating"
    ]  # fmt: skip
    taken = {"visa_h": start, "psfs": start, "pain_rating": start}
    assert (
        outcomes.due_measures(start=start, today=start + datetime.timedelta(days=13), last_taken=taken) == []
    )
    due = outcomes.due_measures(start=start, today=start + datetime.timedelta(days=15), last_taken=taken)
    assert {d.kind for d in due} == {"visa_h", "psfs", "pain_rating"}
    assert due[0].due_since == start + datetime.timedelta(days=14)
    assert outcomes.next_due_date(start, start + datetime.timedelta(days=3)) == start + datetime.timedelta(
        days=14
    )
    assert outcomes.due_measures(start=start, today=start - datetime.timedelta(days=1), last_taken={}) == []
