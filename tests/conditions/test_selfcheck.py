import itertools

import pytest

from conditions import red_flags, selfcheck
from conditions.red_flags import RED_FLAG_CODES, Urgency
from conditions.selfcheck import assess, severity_for_score, severity_score

CALM = {
    **dict.fromkeys(RED_FLAG_CODES, False),
    "pain_location": "sitting_bone",
    "sudden_start": False,
    "aggravators": ["running"],
    "duration": "under_2_weeks",
    "impact": "after_exercise",
}

# Every answer to the questions about the pain, each combination once: 6 × 2 × 8 × 5 × 4 = 1,920.
AGGRAVATOR_SETS = [["none"]] + [
    list(chosen)
    for size in (1, 2, 3)
    for chosen in itertools.combinations(["sitting", "running", "stretching"], size)
]
PAIN_ANSWERS = [
    {"pain_location": location, "sudden_start": sudden, "aggravators": aggravators, "duration": duration,
     "impact": impact}
    for location, sudden, aggravators, duration, impact in itertools.product(
        selfcheck.PAIN_LOCATIONS, (False, True), AGGRAVATOR_SETS, selfcheck.DURATION_POINTS,
        selfcheck.IMPACT_POINTS,
    )
]  # fmt: skip
GRADE_WORDS = ("mild", "moderate", "severe")
# No word of these may reach a patient who answered a red flag "yes".
EXERCISE_WORDS = (
    "exercise", "strength", "stretch", "isometric", "bridge", "squat", "lunge", "deadlift", "nordic",
    "loading", "rehab plan", "return to running", "warm up",
)  # fmt: skip


def answers(**changes):
    return {**CALM, **changes}


def expected_urgency(flagged: set[str]) -> Urgency | None:
    for urgency in (Urgency.EMERGENCY, Urgency.SAME_DAY, Urgency.SOON):
        if any(red_flags.RED_FLAGS_BY_CODE[code].urgency == urgency for code in flagged):
            return urgency
    return None


def assert_red_flag_result(result, flagged: set[str]) -> None:
    assert result.kind == "red_flags" and result.has_red_flags
    assert {flag.code for flag in result.red_flags} == flagged
    assert result.urgency == expected_urgency(flagged)
    assert result.severity == "" and result.score is None and result.guide is None
    words = " ".join(
        [red_flags.URGENCY_ADVICE[result.urgency].do_now, *(f.why for f in result.red_flags)]
    ).lower()
    assert not [word for word in EXERCISE_WORDS if word in words]


def test_every_combination_of_red_flags_gives_the_most_urgent_tier_and_no_grade():
    """The decision table walked whole: all 2^14 combinations of the screen's answers."""
    for flags in itertools.product([False, True], repeat=len(RED_FLAG_CODES)):
        given = answers(**dict(zip(RED_FLAG_CODES, flags, strict=True)))
        flagged = {code for code, flag in zip(RED_FLAG_CODES, flags, strict=True) if flag}

        result = assess(given)

        if flagged:
            assert_red_flag_result(result, flagged)
        else:
            assert result.kind == "severity" and result.severity in GRADE_WORDS


def test_every_pain_answer_with_any_single_red_flag_still_gives_only_the_red_flag_result():
    for pain in PAIN_ANSWERS:
        for code in RED_FLAG_CODES:
            assert_red_flag_result(assess(answers(**pain, **{code: True})), {code})


def test_every_pain_answer_without_red_flags_names_a_grade_only_for_typical_tendon_pain():
    for pain in PAIN_ANSWERS:
        result = assess(answers(**pain))
        atypical = pain["pain_location"] != "sitting_bone" or (
            pain["duration"] == "under_2_weeks" and pain["sudden_start"]
        )
        if atypical:
            assert result.kind == "assess" and result.severity == "" and result.score is None
            assert not [word for word in GRADE_WORDS if word in result.no_grade_words.lower()]
        else:
            assert result.kind == "severity" and result.severity in GRADE_WORDS


def test_the_grades_read_as_a_likeness_never_as_a_diagnosis():
    for guide in selfcheck.SEVERITY_GUIDES.values():
        assert guide.meaning.startswith("Your answers are like those of people with")
        assert " fit " not in guide.meaning


def test_every_red_flag_has_a_question_a_reason_and_a_tier_with_advice():
    assert len(RED_FLAG_CODES) == len(set(RED_FLAG_CODES)) == 14
    for flag in red_flags.RED_FLAGS:
        assert flag.question.endswith("?") and flag.label and flag.why
        assert red_flags.URGENCY_ADVICE[flag.urgency].do_now
    tiers = {urgency: {f.code for f in red_flags.RED_FLAGS if f.urgency == urgency} for urgency in Urgency}
    assert tiers[Urgency.EMERGENCY] == {"saddle_numbness", "bladder_bowel", "leg_weakness"}
    assert tiers[Urgency.SOON] == {
        "numbness_tingling", "night_pain", "weight_loss", "cancer_history", "young_sudden_onset"
    }  # fmt: skip


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


def test_every_graded_answer_combination_scores_inside_the_bands():
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
        {"sudden_start": None},
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
