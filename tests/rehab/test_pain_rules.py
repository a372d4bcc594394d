import pytest

from rehab import pain_rules
from rehab.pain_rules import CheckInFacts, SessionFacts, Suggestion, Thresholds

DEFAULTS = Thresholds()
STRICT = Thresholds(safe_max=2, alert_above=4, load_test_rise_alert=1)


@pytest.mark.parametrize(
    ("during", "after", "flare", "limits", "rule", "suggestion", "alerts"),
    [
        (0, 0, False, DEFAULTS, "session-safe", Suggestion.HOLD, []),
        (3, 3, False, DEFAULTS, "session-safe", Suggestion.HOLD, []),
        (3, 4, False, DEFAULTS, "session-acceptable", Suggestion.HOLD, []),
        (5, 2, False, DEFAULTS, "session-acceptable", Suggestion.HOLD, []),
        (6, 2, False, DEFAULTS, "session-too-much", Suggestion.EASE_OFF, ["pain_over_threshold"]),
        (2, 6, False, DEFAULTS, "session-too-much", Suggestion.EASE_OFF, ["pain_over_threshold"]),
        (10, 10, False, DEFAULTS, "session-too-much", Suggestion.EASE_OFF, ["pain_over_threshold"]),
        (2, 2, True, DEFAULTS, "session-flare-up", Suggestion.HOLD, []),
        (7, 2, True, DEFAULTS, "session-too-much", Suggestion.EASE_OFF, ["pain_over_threshold"]),
        (3, 3, False, STRICT, "session-acceptable", Suggestion.HOLD, []),
        (5, 0, False, STRICT, "session-too-much", Suggestion.EASE_OFF, ["pain_over_threshold"]),
    ],
)
def test_each_session_gets_one_suggestion_from_the_table(
    during, after, flare, limits, rule, suggestion, alerts
):
    facts = SessionFacts(during, after, effort=5, in_flare_up=flare)
    outcome = pain_rules.evaluate_session(facts, limits)
    assert (outcome.rule.code, outcome.suggestion) == (rule, suggestion)
    assert pain_rules.alerts_for("session", facts, limits) == alerts
    assert "{" not in outcome.for_patient
    assert f"Pain during {during}/10, after {after}/10" in outcome.for_clinician


@pytest.mark.parametrize("during", range(11))
def test_a_session_alone_never_suggests_progress(during):
    for after in range(11):
        for flare in (False, True):
            for limits in (DEFAULTS, STRICT, Thresholds(safe_max=6, alert_above=7)):
                advice = pain_rules.evaluate_session(SessionFacts(during, after, 5, flare), limits)
                assert advice.suggestion != Suggestion.PROGRESS


def test_a_safe_session_looks_good_and_leaves_the_decision_to_tomorrow_morning():
    advice = pain_rules.evaluate_session(SessionFacts(2, 3, 5), DEFAULTS)
    assert advice.rule.code == "session-safe"
    assert "looks good" in advice.for_patient and "Tomorrow morning's check-in decides" in advice.for_patient


@pytest.mark.parametrize(
    ("waking", "load", "before", "rule", "suggestion", "alerts"),
    [
        (2, 2, (2, 2), "morning-settled", Suggestion.PROGRESS, []),
        (1, 1, (3, 3), "morning-settled", Suggestion.PROGRESS, []),
        (4, 4, (4, 4), "morning-acceptable", Suggestion.HOLD, []),
        (3, 2, (2, 2), "morning-higher", Suggestion.EASE_OFF, []),
        (2, 3, (2, 2), "morning-higher", Suggestion.EASE_OFF, []),
        (2, 4, (2, 2), "morning-rise-alert", Suggestion.EASE_OFF, ["pain_rising"]),
        (5, 6, (2, 3), "morning-rise-alert", Suggestion.EASE_OFF, ["pain_rising", "pain_over_threshold"]),
        (6, 6, (6, 6), "morning-too-much", Suggestion.EASE_OFF, ["pain_over_threshold"]),
        (0, 6, None, "morning-too-much", Suggestion.EASE_OFF, ["pain_over_threshold"]),
    ],
)
def test_each_morning_check_in_gets_one_suggestion_from_the_table(
    waking, load, before, rule, suggestion, alerts
):
    facts = CheckInFacts(waking, load, *(before or (None, None)), has_earlier=True)
    outcome = pain_rules.evaluate_check_in(facts, DEFAULTS)
    assert (outcome.rule.code, outcome.suggestion) == (rule, suggestion)
    assert pain_rules.alerts_for("check_in", facts, DEFAULTS) == alerts
    assert "{" not in outcome.for_patient


@pytest.mark.parametrize(
    ("has_earlier", "rule", "words", "data"),
    [
        (False, "morning-first", "nothing to compare it with yet", "first check-in"),
        (True, "morning-no-recent", "no recent morning to compare", "no check-in yesterday to compare with"),
    ],
)
def test_a_morning_with_no_yesterday_to_compare_with_holds_and_compares_nothing(
    has_earlier, rule, words, data
):
    facts = CheckInFacts(1, 1, None, None, has_earlier=has_earlier)
    outcome = pain_rules.evaluate_check_in(facts, DEFAULTS)
    assert (outcome.rule.code, outcome.suggestion) == (rule, Suggestion.HOLD)
    assert words in outcome.for_patient and data in outcome.for_clinician
    assert "yesterday: waking" not in outcome.for_clinician


def test_a_rising_trend_holds_a_morning_that_would_otherwise_progress_and_alerts():
    settled = CheckInFacts(2, 2, 2, 2, has_earlier=True)
    creeping = CheckInFacts(2, 2, 2, 2, has_earlier=True, trend_rising=True)
    assert pain_rules.evaluate_check_in(settled, DEFAULTS).suggestion == Suggestion.PROGRESS
    outcome = pain_rules.evaluate_check_in(creeping, DEFAULTS)
    assert (outcome.rule.code, outcome.suggestion) == ("morning-trend", Suggestion.HOLD)
    assert pain_rules.alerts_for("check_in", creeping, DEFAULTS) == ["pain_trend"]
    # A bigger problem the same morning still gives its own suggestion, and both alerts.
    risen = CheckInFacts(2, 5, 2, 2, has_earlier=True, trend_rising=True)
    assert pain_rules.evaluate_check_in(risen, DEFAULTS).rule.code == "morning-rise-alert"
    assert pain_rules.alerts_for("check_in", risen, DEFAULTS) == ["pain_rising", "pain_trend"]


def test_progress_comes_only_from_a_settled_morning():
    assert [rule.code for rule in pain_rules.RULES if rule.suggestion == Suggestion.PROGRESS] == [
        "morning-settled"
    ]


def test_the_rise_limit_comes_from_the_plan():
    facts = CheckInFacts(1, 2, 1, 1, has_earlier=True)
    assert pain_rules.evaluate_check_in(facts, DEFAULTS).rule.code == "morning-higher"
    assert pain_rules.evaluate_check_in(facts, STRICT).rule.code == "morning-rise-alert"


def test_every_rule_names_a_source_and_the_table_ends_with_a_catch_all():
    assert all(
        rule.source in (pain_rules.SILBERNAGEL_2007, pain_rules.GOOM_2016) for rule in pain_rules.RULES
    )
    for kind, suggestion in (("session", Suggestion.HOLD), ("check_in", Suggestion.PROGRESS)):
        last = [rule for rule in pain_rules.RULES if rule.applies_to == kind][-1]
        assert last.suggestion == suggestion and last.test(None, DEFAULTS)
