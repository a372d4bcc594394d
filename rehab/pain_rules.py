"""The pain-monitoring rules: one table that turns a session log or a morning check-in into one suggestion.

Sources (the clinician's page `/rehab/pain-rules/` shows this table with them):

- Silbernagel KG, Thomeé R, Eriksson BI, Karlsson J. Continued sports activity, using a pain-monitoring
  model, during rehabilitation in patients with Achilles tendinopathy: a randomized controlled study.
  Am J Sports Med 2007;35(6):897-906. doi:10.1177/0363546506298279
  Pain during and after loading of 0-2/10 is safe, up to 5/10 is acceptable, above 5/10 is too much; pain
  or stiffness that is worse the next morning than the morning before means the load was too much. The
  portal's default safe zone of 0-3 is adapted from it (0-2 in the original).
- Goom TSH, Malliaras P, Reiman MP, Purdam CR. Proximal hamstring tendinopathy: clinical aspects of
  assessment and management. J Orthop Sports Phys Ther 2016;46(6):483-493. doi:10.2519/jospt.2016.6184
  Loading is staged and moves on when the symptoms allow it, not after a set number of weeks.

The limits are the plan's own (`RehabPlan.pain_safe_max`, `pain_alert_above`, `load_test_rise_alert`): the
defaults 3, 5 and 2 follow the sources and the clinician may change them per patient. The rules are tried in
order and the first that applies gives the suggestion. Raising an alert for pain above the limit in the
morning as well as during exercise is the clinic's own addition.

The 24-hour rule: a session on its own never gives "progress". How the tendon took the load shows only the
next morning, so a session gives at best "hold" and the next morning's check-in, compared with the morning
before the loading (yesterday's check-in, never an older one), decides. A check-in with no morning to compare
with, or in the middle of a rising trend (`rehab.trends`), gives "hold" too.
"""

import dataclasses
from collections.abc import Callable

from django.db import models


class Suggestion(models.TextChoices):
    PROGRESS = "progress", "Progress"
    HOLD = "hold", "Hold"
    EASE_OFF = "ease_off", "Ease off"


SILBERNAGEL_2007 = "Silbernagel et al. 2007, pain-monitoring model"
GOOM_2016 = "Goom et al. 2016, staged loading by symptoms"

SOURCES = [
    {
        "key": SILBERNAGEL_2007,
        "citation": "Silbernagel KG, Thomeé R, Eriksson BI, Karlsson J. Continued sports activity, using a "
        "pain-monitoring model, during rehabilitation in patients with Achilles tendinopathy: a randomized "
        "controlled study. Am J Sports Med 2007;35(6):897–906.",
        "doi": "10.1177/0363546506298279",
        "in_short": "Pain of 0–2/10 while loading is safe, up to 5/10 acceptable, above 5/10 too much; pain "
        "that is worse the next morning than the morning before means the load was too much. The portal's "
        "default safe zone of 0–3/10 is adapted from it.",
    },
    {
        "key": GOOM_2016,
        "citation": "Goom TSH, Malliaras P, Reiman MP, Purdam CR. Proximal hamstring tendinopathy: clinical "
        "aspects of assessment and management. J Orthop Sports Phys Ther 2016;46(6):483–493.",
        "doi": "10.2519/jospt.2016.6184",
        "in_short": "Loading goes through stages; the patient moves on when the symptoms allow it, not when "
        "the calendar says so.",
    },
]


@dataclasses.dataclass(frozen=True)
class Thresholds:
    safe_max: int = 3
    alert_above: int = 5
    load_test_rise_alert: int = 2


@dataclasses.dataclass(frozen=True)
class SessionFacts:
    pain_during: int
    pain_after: int
    effort: int
    in_flare_up: bool = False

    @property
    def worst(self) -> int:
        return max(self.pain_during, self.pain_after)


@dataclasses.dataclass(frozen=True)
class CheckInFacts:
    pain_on_waking: int
    load_test_pain: int
    previous_pain_on_waking: int | None = None  # yesterday's check-in only: the morning before the loading
    previous_load_test_pain: int | None = None
    has_earlier: bool = False  # any check-in before this one, however long ago
    trend_rising: bool = False  # `rehab.trends.rising` over the last fortnight's check-ins, this one included

    @property
    def worst(self) -> int:
        return max(self.pain_on_waking, self.load_test_pain)

    @property
    def load_test_rise(self) -> int | None:
        if self.previous_load_test_pain is None:
            return None
        return self.load_test_pain - self.previous_load_test_pain

    @property
    def waking_rise(self) -> int | None:
        if self.previous_pain_on_waking is None:
            return None
        return self.pain_on_waking - self.previous_pain_on_waking


@dataclasses.dataclass(frozen=True)
class Rule:
    code: str
    applies_to: str  # "session" or "check_in"
    when: str  # the condition, for the clinician's page
    suggestion: str
    for_patient: str  # format string over the facts and the thresholds
    source: str
    test: Callable
    alert: str = ""  # a careteam AlertKind value, or "" for none

    @property
    def for_patient_pattern(self) -> str:
        """The patient's words with the figures as placeholders in brackets, for the clinician's page."""
        return self.for_patient.format(
            worst="[highest pain]",
            alert_above="[alert limit]",
            safe_max="[safe limit]",
            load_test_rise="[rise]",
            load_test_rise_alert="[rise limit]",
        )


def _risen(facts: CheckInFacts, limit: int) -> bool:
    return facts.load_test_rise is not None and facts.load_test_rise >= limit


def _any_rise(facts: CheckInFacts) -> bool:
    return bool((facts.load_test_rise or 0) > 0 or (facts.waking_rise or 0) > 0)


RULES: list[Rule] = [
    Rule(
        code="session-too-much",
        applies_to="session",
        when="Pain during or after the session above the plan's alert limit (default 5).",
        suggestion=Suggestion.EASE_OFF,
        for_patient="Your pain reached {worst}/10, more than the {alert_above}/10 your care team set. The "
        "tendon had more than it can take today: next time do fewer sets or use a lighter load. Your care "
        "team has been told and will get in touch if the plan needs to change.",
        source=SILBERNAGEL_2007,
        test=lambda f, t: f.worst > t.alert_above,
        alert="pain_over_threshold",
    ),
    Rule(
        code="session-acceptable",
        applies_to="session",
        when="Pain above the safe limit (default 3) but not above the alert limit.",
        suggestion=Suggestion.HOLD,
        for_patient="Pain of {worst}/10 is acceptable as long as it has settled by tomorrow morning. Keep "
        "the same exercises and load for now, and do tomorrow's morning check-in: it shows how the tendon "
        "took today, and Today waits for it before suggesting anything more.",
        source=SILBERNAGEL_2007,
        test=lambda f, t: f.worst > t.safe_max,
    ),
    Rule(
        code="session-flare-up",
        applies_to="session",
        when="Pain within the safe limit while flare-up mode is on.",
        suggestion=Suggestion.HOLD,
        for_patient="Pain stayed in the safe zone, well done. Stay with the gentle flare-up exercises until "
        "your clinician ends flare-up mode.",
        source=GOOM_2016,
        test=lambda f, t: f.in_flare_up,
    ),
    Rule(
        code="session-safe",
        applies_to="session",
        when="Pain during and after within the safe limit. Never “progress” after a session alone: the next "
        "morning's check-in decides.",
        suggestion=Suggestion.HOLD,
        for_patient="Pain stayed at {worst}/10 or less, in the safe zone: this session looks good. Keep the "
        "load as it is for now. Tomorrow morning's check-in decides whether the tendon is ready for more.",
        source=SILBERNAGEL_2007,
        test=lambda f, t: True,
    ),
    Rule(
        code="morning-rise-alert",
        applies_to="check_in",
        when="Load test pain up by the plan's rise limit (default 2) or more since yesterday's check-in.",
        suggestion=Suggestion.EASE_OFF,
        for_patient="The bridge test hurts {load_test_rise} points more than yesterday morning. Yesterday's "
        "load was too much for the tendon: take today easier, with fewer sets or a lighter load. Your care "
        "team has been told.",
        source=SILBERNAGEL_2007,
        test=lambda f, t: _risen(f, t.load_test_rise_alert),
        alert="pain_rising",
    ),
    Rule(
        code="morning-too-much",
        applies_to="check_in",
        when="Pain on waking or during the load test above the plan's alert limit.",
        suggestion=Suggestion.EASE_OFF,
        for_patient="Pain of {worst}/10 this morning is more than the {alert_above}/10 your care team set. "
        "Take today easier and let the tendon settle. Your care team has been told.",
        source=SILBERNAGEL_2007,
        test=lambda f, t: f.worst > t.alert_above,
        alert="pain_over_threshold",
    ),
    Rule(
        code="morning-higher",
        applies_to="check_in",
        when="Pain on waking or load test pain higher than at yesterday's check-in (a smaller rise).",
        suggestion=Suggestion.EASE_OFF,
        for_patient="This morning is a little worse than the morning before, which means yesterday's load "
        "was a bit much. Ease off today: fewer sets or a lighter load, then see how tomorrow morning feels.",
        source=SILBERNAGEL_2007,
        test=lambda f, t: _any_rise(f),
    ),
    Rule(
        code="morning-trend",
        applies_to="check_in",
        when="Pain on waking or load test pain creeping up over the last week (see “Trends” below).",
        suggestion=Suggestion.HOLD,
        for_patient="Over the last week your morning pain has been slowly creeping up, even if no single "
        "morning jumped. Keep the same exercises and load rather than adding more, so the tendon can catch "
        "up. Your care team has been told and will look at the trend with you.",
        source=SILBERNAGEL_2007,
        test=lambda f, t: f.trend_rising,
        alert="pain_trend",
    ),
    Rule(
        code="morning-first",
        applies_to="check_in",
        when="The first check-in of the plan: nothing to compare with yet.",
        suggestion=Suggestion.HOLD,
        for_patient="Thank you: this is your first morning check-in, so there is nothing to compare it with "
        "yet. Keep the same exercises and load today. From tomorrow, each morning is compared with the one "
        "before.",
        source=SILBERNAGEL_2007,
        test=lambda f, t: f.previous_load_test_pain is None and not f.has_earlier,
    ),
    Rule(
        code="morning-no-recent",
        applies_to="check_in",
        when="No check-in yesterday: no recent morning to compare with, so nothing is compared.",
        suggestion=Suggestion.HOLD,
        for_patient="There is no check-in from yesterday morning, so there is no recent morning to compare "
        "this one with. Keep the same exercises and load today, and check in again tomorrow morning so the "
        "two can be compared.",
        source=SILBERNAGEL_2007,
        test=lambda f, t: f.previous_load_test_pain is None,
    ),
    Rule(
        code="morning-acceptable",
        applies_to="check_in",
        when="No rise since yesterday, but pain this morning above the safe limit.",
        suggestion=Suggestion.HOLD,
        for_patient="This morning is no worse than yesterday, but {worst}/10 is above the safe zone. Keep "
        "the same exercises and load today rather than adding more.",
        source=SILBERNAGEL_2007,
        test=lambda f, t: f.worst > t.safe_max,
    ),
    Rule(
        code="morning-settled",
        applies_to="check_in",
        when="No rise since yesterday's check-in, no rising trend, and pain within the safe limit: the "
        "only rule that suggests progress.",
        suggestion=Suggestion.PROGRESS,
        for_patient="The tendon settled overnight: no more pain than yesterday morning and {worst}/10 at "
        "most. The load suits you; carry on with today's plan.",
        source=GOOM_2016,
        test=lambda f, t: True,
    ),
]

RULES_BY_CODE = {rule.code: rule for rule in RULES}


@dataclasses.dataclass(frozen=True)
class Advice:
    rule: Rule
    for_patient: str
    for_clinician: str

    @property
    def suggestion(self) -> str:
        return self.rule.suggestion

    @property
    def suggestion_label(self) -> str:
        return Suggestion(self.rule.suggestion).label

    @property
    def alert(self) -> str:
        return self.rule.alert


def _first(applies_to: str, facts, thresholds: Thresholds) -> Rule:
    return next(rule for rule in RULES if rule.applies_to == applies_to and rule.test(facts, thresholds))


def words_for(rule: Rule, facts, thresholds: Thresholds) -> str:
    values = {**dataclasses.asdict(thresholds), "worst": facts.worst}
    if isinstance(facts, CheckInFacts):
        # Only a check-in stored before the comparison was limited to yesterday can lack it.
        values["load_test_rise"] = facts.load_test_rise if facts.load_test_rise is not None else "a few"
    return rule.for_patient.format(**values)


def limits_text(thresholds: Thresholds) -> str:
    return f"safe ≤ {thresholds.safe_max}, alert above {thresholds.alert_above}"


def session_data_text(facts: SessionFacts, thresholds: Thresholds) -> str:
    flare = "; in flare-up mode" if facts.in_flare_up else ""
    return (
        f"Pain during {facts.pain_during}/10, after {facts.pain_after}/10, effort {facts.effort}/10 "
        f"({limits_text(thresholds)}){flare}"
    )


def check_in_data_text(facts: CheckInFacts, thresholds: Thresholds) -> str:
    before = (
        f"; yesterday: waking {facts.previous_pain_on_waking}/10, "
        f"load test {facts.previous_load_test_pain}/10"
        if facts.previous_load_test_pain is not None
        else "; no check-in yesterday to compare with"
        if facts.has_earlier
        else "; first check-in"
    )
    trend = "; pain creeping up over the last week" if facts.trend_rising else ""
    return (
        f"Pain on waking {facts.pain_on_waking}/10, load test {facts.load_test_pain}/10{before}{trend} "
        f"({limits_text(thresholds)}, rise alert {thresholds.load_test_rise_alert})"
    )


def evaluate_session(facts: SessionFacts, thresholds: Thresholds) -> Advice:
    rule = _first("session", facts, thresholds)
    return Advice(rule, words_for(rule, facts, thresholds), session_data_text(facts, thresholds))


def evaluate_check_in(facts: CheckInFacts, thresholds: Thresholds) -> Advice:
    rule = _first("check_in", facts, thresholds)
    return Advice(rule, words_for(rule, facts, thresholds), check_in_data_text(facts, thresholds))


def alerts_for(applies_to: str, facts, thresholds: Thresholds) -> list[str]:
    """Every alert kind the facts call for: a morning both too painful and risen raises both alerts, even
    though only the first rule that applies gives the suggestion."""
    kinds: list[str] = []
    for rule in RULES:
        if rule.applies_to == applies_to and rule.alert and rule.test(facts, thresholds):
            if rule.alert not in kinds:
                kinds.append(rule.alert)
    return kinds
