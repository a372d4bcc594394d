"""The hamstring symptom self-check: one decision table, kept as data, and the pure function `assess`.

Answers are a dict with these keys (the form produces exactly this shape, and it is what is stored):

- every code of the red-flag screen (`conditions.red_flags.RED_FLAG_CODES`): booleans.
- ``pain_location``: a key of ``PAIN_LOCATIONS``.
- ``sudden_start``: boolean, whether the pain began with one sudden movement (a sprint, a kick, a slip).
- ``aggravators``: a list of keys of ``AGGRAVATORS``; ``"none"`` only on its own.
- ``duration``: a key of ``DURATION_POINTS``.
- ``impact``: a key of ``IMPACT_POINTS``.

The decision:

1. If any red flag is answered yes, the result tells the patient how urgently to get assessed (the most
   urgent flag decides), naming each flag and why it matters. Severity is not scored and no exercise advice
   is given, whatever the other answers are.
2. If the pain is not at the sitting bone, or began less than 2 weeks ago with a sudden movement, the result
   is "get assessed": tendinopathy is not the likely cause, so no grade of it is named.
3. Otherwise a score is added up:

   - impact on sleep, work and sport: after exercise only 0, holds back sport 3, also gets in the way of
     sitting, stairs or everyday tasks 4, affects work or sleep or hurts most of the time 7;
   - how long it has lasted: under 6 weeks 0, 6 weeks to 6 months 1, over 6 months 2
     (a longer history means a longer recovery);
   - what makes it worse: 1 if two or more of sitting, running and stretching, otherwise 0
     (a tendon irritated by many kinds of load is more sensitive).

   The score runs from 0 to 10: 0–2 is mild, 3–6 moderate, 7–10 severe. So limits on sport alone always
   mean at least moderate, and pain that affects work or sleep always means severe, as in the digest's table.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conditions.red_flags import RedFlag, Urgency, flags_answered_yes, flags_from_codes, most_urgent

# Where the pain sits; anything but the sitting bone points to a condition worth ruling out.
PAIN_LOCATIONS: dict[str, tuple[str, str]] = {
    "sitting_bone": ("Deep in the lower buttock, at the sitting bone or the buttock crease", ""),
    "back_of_thigh": ("In the middle of the back of the thigh", "hamstring-strain"),
    "middle_of_buttock": ("In the middle of the buttock, above the sitting bone", "piriformis-syndrome"),
    "outer_hip": ("On the outer side of the hip", "gluteal-tendinopathy"),
    "back_and_leg": ("In the lower back, spreading down the leg", "sciatica"),
    "elsewhere": ("Somewhere else, or I am not sure", ""),
}

AGGRAVATORS: dict[str, str] = {
    "sitting": "Sitting, especially on hard seats or when driving",
    "running": "Running, sprinting or going up hills",
    "stretching": "Stretching the back of the leg or bending forward",
    "none": "None of these",
}

DURATIONS: dict[str, str] = {
    "under_2_weeks": "Less than 2 weeks",
    "2_to_6_weeks": "2 to 6 weeks",
    "6_weeks_to_3_months": "6 weeks to 3 months",
    "3_to_6_months": "3 to 6 months",
    "over_6_months": "More than 6 months",
}
DURATION_POINTS: dict[str, int] = {
    "under_2_weeks": 0,
    "2_to_6_weeks": 0,
    "6_weeks_to_3_months": 1,
    "3_to_6_months": 1,
    "over_6_months": 2,
}

IMPACTS: dict[str, str] = {
    "after_exercise": "Hardly: a dull ache or stiffness after exercise, but it does not stop me doing things",
    "sport": "It holds back my sport or exercise",
    "daily": "It also gets in the way of sitting, stairs or everyday tasks",
    "work_sleep": "It affects my work or my sleep, or it hurts most of the time",
}
IMPACT_POINTS: dict[str, int] = {"after_exercise": 0, "sport": 3, "daily": 4, "work_sleep": 7}

# (highest score of the band, severity), lowest band first.
SEVERITY_BANDS: tuple[tuple[int, str], ...] = ((2, "mild"), (6, "moderate"), (10, "severe"))


@dataclass(frozen=True)
class SeverityGuide:
    label: str
    meaning: str
    recovery: str
    do_now: tuple[str, ...]
    see_clinician: str


SEVERITY_GUIDES: dict[str, SeverityGuide] = {
    "mild": SeverityGuide(
        label="Mild",
        meaning="Your answers are like those of people with a mild tendinopathy: an ache or stiffness "
        "after activity that does not yet hold you back much. Caught at this stage, it usually settles well.",
        recovery="6–8 weeks",
        do_now=(
            "Ease off what brings the ache on for a while, for example shorter, flatter and slower runs "
            "with no sprints, while keeping up what feels comfortable.",
            "Start some targeted strengthening, such as holding exercises (isometrics) and waking up your "
            "buttock muscles. The rehab stages in the article describe them.",
            "Break up long spells of sitting, and try a cushion on hard seats.",
            "Leave hard hamstring stretches alone for now.",
        ),
        see_clinician="See a physiotherapist or your GP if it has not started to settle within two weeks, "
        "if it starts to disturb your sleep or makes walking or sitting hard, or if bruising or swelling "
        "appears.",
    ),
    "moderate": SeverityGuide(
        label="Moderate",
        meaning="Your answers are like those of people with a moderate tendinopathy: it gets in the way "
        "of sport, sitting or climbing stairs. At this level a structured programme usually works better "
        "than managing on your own.",
        recovery="3–6 months",
        do_now=(
            "Cut back on what irritates the tendon, such as sprints, hills and long spells of sitting, but "
            "keep doing what it tolerates.",
            "Ask a physiotherapist for a structured programme of progressive loading: holding exercises "
            "first, then strength work, then a gradual return to running.",
            "Use a cushion, a standing desk or regular breaks to make sitting easier.",
            "Try not to test the tendon with a hard run or a big stretch; that often sets recovery back.",
        ),
        see_clinician="Book an appointment with a physiotherapist in the next week or two, and sooner if it "
        "starts to affect walking or sleep, or if you notice bruising or swelling.",
    ),
    "severe": SeverityGuide(
        label="Severe",
        meaning="Your answers are like those of people with a severe tendinopathy: pain much of the "
        "time that affects work, sleep or daily life. This needs a clinician's help rather than managing it "
        "alone.",
        recovery="6–12 months or longer",
        do_now=(
            "Book an assessment with a physiotherapist or your GP, who can confirm what is going on and set "
            "a programme at the right level for you.",
            "Until then, reduce what flares it up, including long spells of sitting, and use a cushion or "
            "stand, kneel or lie down instead of sitting where you can.",
            "Gentle holding exercises can ease pain, but let your clinician choose and progress your "
            "exercises.",
            "Tell your care team how the pain affects your mood and sleep; support is available.",
        ),
        see_clinician="See a clinician soon. If symptoms carry on for 6–12 months despite good rehab, your "
        "clinician may talk with you about injections or a surgeon's opinion.",
    ),
}


# Why the self-check names no grade, by the answer that settles it.
NO_GRADE_REASONS: dict[str, str] = {
    "location": "Pain in the place you described is less typical of hamstring tendinopathy, so the "
    "self-check cannot say how it compares. A clinician can examine it and find out what it is.",
    "recent_sudden": "Pain that began less than two weeks ago with a sudden movement is more often a strain "
    "than a tendon problem, so the self-check cannot say how it compares. A clinician can examine it and "
    "tell the two apart.",
}


@dataclass(frozen=True)
class SelfCheckResult:
    """What the self-check tells the patient: the red flags answered yes (with the most urgent one's tier),
    "get assessed" with no grade named, or a severity and its score."""

    red_flags: tuple[RedFlag, ...]
    severity: str
    score: int | None
    no_grade_reason: str = ""

    @property
    def has_red_flags(self) -> bool:
        return bool(self.red_flags)

    @property
    def urgency(self) -> Urgency | None:
        return most_urgent(self.red_flags)

    @property
    def kind(self) -> str:
        if self.red_flags:
            return "red_flags"
        return "assess" if self.no_grade_reason else "severity"

    @property
    def guide(self) -> SeverityGuide | None:
        return SEVERITY_GUIDES.get(self.severity)

    @property
    def no_grade_words(self) -> str:
        return NO_GRADE_REASONS.get(self.no_grade_reason, "")


def severity_for_score(score: int) -> str:
    for highest, severity in SEVERITY_BANDS:
        if score <= highest:
            return severity
    raise ValueError(f"A score of {score} is outside the bands.")


def severity_score(answers: Mapping[str, Any]) -> int:
    aggravators = set(answers["aggravators"]) - {"none"}
    return (
        IMPACT_POINTS[answers["impact"]]
        + DURATION_POINTS[answers["duration"]]
        + (1 if len(aggravators) >= 2 else 0)
    )


def validate_answers(answers: Mapping[str, Any]) -> None:
    """Raise ValueError for a missing or unknown answer: the self-check never guesses."""
    flags_answered_yes(answers)
    if answers.get("pain_location") not in PAIN_LOCATIONS:
        raise ValueError("pain_location is missing or unknown.")
    if not isinstance(answers.get("sudden_start"), bool):
        raise ValueError("sudden_start must be answered yes or no.")
    aggravators = answers.get("aggravators")
    if (
        not isinstance(aggravators, list | tuple)
        or not aggravators
        or not set(aggravators) <= set(AGGRAVATORS)
    ):
        raise ValueError("aggravators must list one or more known activities.")
    if "none" in aggravators and len(set(aggravators)) > 1:
        raise ValueError("aggravators cannot combine 'none' with activities.")
    if answers.get("duration") not in DURATION_POINTS:
        raise ValueError("duration is missing or unknown.")
    if answers.get("impact") not in IMPACT_POINTS:
        raise ValueError("impact is missing or unknown.")


def no_grade_reason(answers: Mapping[str, Any]) -> str:
    """The key of `NO_GRADE_REASONS` that stops the self-check naming a grade, or ""."""
    if answers.get("pain_location") != "sitting_bone":
        return "location"
    if answers.get("duration") == "under_2_weeks" and answers.get("sudden_start"):
        return "recent_sudden"
    return ""


def assess(answers: Mapping[str, Any]) -> SelfCheckResult:
    validate_answers(answers)
    red_flags = flags_answered_yes(answers)
    if red_flags:
        return SelfCheckResult(red_flags=red_flags, severity="", score=None)
    reason = no_grade_reason(answers)
    if reason:
        return SelfCheckResult(red_flags=(), severity="", score=None, no_grade_reason=reason)
    score = severity_score(answers)
    return SelfCheckResult(red_flags=(), severity=severity_for_score(score), score=score)


def result_from_record(
    *, red_flags: list[str], severity: str, score: int | None, no_grade_reason: str = ""
) -> SelfCheckResult:
    """Rebuild the result a patient was shown from what was stored with their check."""
    flagged = flags_from_codes(red_flags)
    if flagged:
        return SelfCheckResult(red_flags=flagged, severity="", score=None)
    return SelfCheckResult(red_flags=(), severity=severity, score=score, no_grade_reason=no_grade_reason)


def location_hint(answers: Mapping[str, Any]) -> str:
    """The slug of a related condition to read about when the pain sits somewhere unusual, or ""."""
    return PAIN_LOCATIONS.get(answers.get("pain_location", ""), ("", ""))[1]
