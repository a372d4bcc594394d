import itertools

import pytest

from conditions import selfcheck
from conditions.selfcheck import RED_FLAG_CODES, assess, severity_for_score, severity_score

CALM = {
    "sudden_pop": False,
    "swelling_bruising": False,
    "weight_bearing": False,
    "numbness_tingling": False,
    "pain_location": "sitting_bone",
    "aggravators": ["running"],
    "duration": "under_2_weeks",
    "impact": "after_exercise",
}


def answers(**changes):
    return {**CALM, **changes}


@pytest.mark.parametrize("flags", list(itertools.product([False, True], repeat=len(RED_FLAG_CODES))))
@pytest.mark.parametrize("impact", list(selfcheck.IMPACT_POINTS))
def test_any_red_flag_means_get_assessed_and_names_exactly_those_flags(flags, impact):
    given = answers(impact=impact, **dict(zip(RED_FLAG_CODES, flags, strict=True)))

    result = assess(given)

    flagged = {code for code, flag in zip(RED_FLAG_CODES, flags, strict=True) if flag}
    if flagged:
        assert result.kind == "red_flags" and result.has_red_flags
        assert {rule.code for rule in result.red_flags} == flagged
        assert result.severity == "" and result.score is None and result.guide is None
        assert all(rule.why and rule.action for rule in result.red_flags)
    else:
        assert result.kind == "severity" and not result.has_red_flags
        assert result.severity in {"mild", "moderate", "severe"}
        assert result.guide is not None


@pytest.mark.parametrize(
    ("score", "severity"),
    [(0, "mild"), (2, "mild"), (3, "moderate"), (6, "moderate"), (7, "severe"), (10, "severe")],
)
def test_severity_bands_change_exactly_at_their_boundaries(score, severity):
    assert severity_for_score(score) == severity


def test_a_score_beyond_the_bands_is_refused():
    with pytest.raises(ValueError):
        severity_for_score(11)


@pytest.mark.parametrize(
    ("changes", "score", "severity"),
    [
        # The highest mild: ache after exercise only, long-standing, one aggravator.
        ({"duration": "over_6_months"}, 2, "mild"),
        # One more point (two aggravators) tips it into moderate.
        ({"duration": "over_6_months", "aggravators": ["sitting", "running"]}, 3, "moderate"),
        # Holding back sport is moderate however short and narrow.
        ({"impact": "sport"}, 3, "moderate"),
        # The highest moderate: daily life limited for 3–6 months, with two aggravators.
        (
            {"impact": "daily", "duration": "3_to_6_months", "aggravators": ["sitting", "stretching"]},
            6,
            "moderate",
        ),
        # The lowest severe: the same for more than 6 months.
        (
            {"impact": "daily", "duration": "over_6_months", "aggravators": ["sitting", "stretching"]},
            7,
            "severe",
        ),
        # Work or sleep affected is severe even when new.
        ({"impact": "work_sleep", "aggravators": ["none"]}, 7, "severe"),
        (
            {"impact": "work_sleep", "duration": "over_6_months", "aggravators": ["sitting", "running"]},
            10,
            "severe",
        ),
    ],
)
def test_severity_score_and_band_of_boundary_answers(changes, score, severity):
    given = answers(**changes)
    assert severity_score(given) == score
    result = assess(given)
    assert (result.score, result.severity) == (score, severity)


def test_every_answer_combination_scores_inside_the_bands():
    for impact, duration, aggravators in itertools.product(
        selfcheck.IMPACT_POINTS,
        selfcheck.DURATION_POINTS,
        [["none"], ["sitting"], ["sitting", "running"], ["sitting", "running", "stretching"]],
    ):
        result = assess(answers(impact=impact, duration=duration, aggravators=aggravators))
        assert 0 <= result.score <= 10
        if impact == "work_sleep":
            assert result.severity == "severe"
        if impact in {"sport", "daily"}:
            assert result.severity != "mild"


@pytest.mark.parametrize(
    ("severity", "recovery"),
    [("mild", "6–8 weeks"), ("moderate", "3–6 months"), ("severe", "6–12 months or longer")],
)
def test_each_severity_gives_the_digests_recovery_range(severity, recovery):
    guide = selfcheck.SEVERITY_GUIDES[severity]
    assert guide.recovery == recovery
    assert guide.meaning and guide.do_now and guide.see_clinician


@pytest.mark.parametrize(
    "bad",
    [
        {"sudden_pop": None},
        {"numbness_tingling": "yes"},
        {"pain_location": ""},
        {"aggravators": []},
        {"aggravators": ["none", "sitting"]},
        {"aggravators": ["swimming"]},
        {"duration": "forever"},
        {"impact": None},
    ],
)
def test_missing_or_unknown_answers_are_refused_not_guessed(bad):
    with pytest.raises(ValueError):
        assess(answers(**bad))


def test_a_missing_key_is_refused():
    given = answers()
    del given["impact"]
    with pytest.raises(ValueError):
        assess(given)


def test_a_result_rebuilt_from_a_record_matches_the_original():
    given = answers(swelling_bruising=True, numbness_tingling=True)
    original = assess(given)
    rebuilt = selfcheck.result_from_record(
        red_flags=[rule.code for rule in original.red_flags], severity=original.severity, score=original.score
    )
    assert rebuilt == original


def test_pain_away_from_the_sitting_bone_points_to_the_condition_to_rule_out():
    assert selfcheck.location_hint(answers(pain_location="outer_hip")) == "gluteal-tendinopathy"
    assert selfcheck.location_hint(answers(pain_location="sitting_bone")) == ""
