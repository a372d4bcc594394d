import pytest

from rehab import pain_rules
from rehab.pain_rules import CheckInFacts, SessionFacts, Suggestion, Thresholds

DEFAULTS = Thresholds()
STRICT = Thresholds(safe_max=2, alert_above=4, load_test_rise_alert=1)


@pytest.mark.parametrize(
    ("during", "after", "flare", "limits", "rule", "suggestion", "alerts"),
    [
        (0, 0, False, DEFAULTS, "session-safe", Suggestion.PROGRESS, []),
        (3, 3, False, DEFAULTS, "session-safe", Suggestion.PROGRESS, []),
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


@pytest.mark.parametrize(
    ("waking", "load", "before", "rule", "suggestion", "alerts"),
    [
        (1, 1, None, "morning-settled", Suggestion.PROGRESS, []),
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
    facts = CheckInFacts(waking, load, *(before or (None, None)))
    outcome = pain_rules.evaluate_check_in(facts, DEFAULTS)
    assert (outcome.rule.code, outcome.suggestion) == (rule, suggestion)
    assert pain_rules.alerts_for("check_in", facts, DEFAULTS) == alerts
    assert "{" not in outcome.for_patient


def test_the_rise_limit_comes_from_the_plan():
    facts = CheckInFacts(1, 2, 1, 1)
    assert pain_rules.evaluate_check_in(facts, DEFAULTS).rule.code == "morning-higher"
    assert pain_rules.evaluate_check_in(facts, STRICT).rule.code == "morning-rise-alert"


def test_every_rule_names_a_source_and_the_table_ends_with_a_catch_all():
    assert all(
        rule.source in (pain_rules.SILBERNAGEL_2007, pain_rules.GOOM_2016) for rule in pain_rules.RULES
    )
    for kind in ("session", "check_in"):
        last = [rule for rule in pain_rules.RULES if rule.applies_to == kind][-1]
        assert last.suggestion == Suggestion.PROGRESS and last.test(None, DEFAULTS)
