"""Outcome measures: the VISA-H questionnaire, the Patient-Specific Functional Scale and a 0-10 pain rating.

Scoring follows the published structure of each measure. VISA-H: eight items, items 1-6 scored 0-10, item 7
scored 0, 4, 7 or 10, item 8 up to 30; the total runs from 0 to 100 and 100 means no symptoms. PSFS: the
patient names three to five activities they find hard and rates each from 0 (cannot do it) to 10 (as well as
before the problem); the score is the mean, to one decimal. Because the PSFS measures change in the patient's
own activities, each later PSFS rates again every activity of the one before (new ones may be added). Each
measure is due at the start of the plan and every 14 days after.

WORDING PENDING CLINICAL REVIEW: the VISA-H item texts below are the portal's own paraphrases, written for
this project, not the validated questionnaire's wording. A clinician must review them before the scores are
used for anything but tracking change within one patient. The admin and the clinician's pages say so.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from common.numbers import parse_small_int

DUE_EVERY_DAYS = 14
VISA_H_WORDING_NOTE = (
    "Wording pending clinical review: the VISA-H items are the portal's own paraphrases, not the validated "
    "questionnaire's text."
)
PSFS_MIN_ACTIVITIES = 3
PSFS_MAX_ACTIVITIES = 5
# A VISA-H this many points or more below the patient's previous one raises an alert for the care team. The
# figure was set in the project's issue, not taken from the clinical sources: pending clinical review.
VISA_H_FALL_ALERT_POINTS = 10


class OutcomeKind(models.TextChoices):
    VISA_H = "visa_h", "VISA-H questionnaire"
    PSFS = "psfs", "Patient-Specific Functional Scale"
    PAIN_RATING = "pain_rating", "Pain rating"


MAXIMUM = {OutcomeKind.VISA_H: 100, OutcomeKind.PSFS: 10, OutcomeKind.PAIN_RATING: 10}


class AnswerError(ValueError):
    """Answers that cannot be scored; `problems` maps a field name to what is wrong with it."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{name}: {text}" for name, text in problems.items()))


@dataclasses.dataclass(frozen=True)
class ScaleItem:
    key: str
    text: str
    low: str  # what 0 means
    high: str  # what 10 means


@dataclasses.dataclass(frozen=True)
class ChoiceItem:
    key: str
    text: str
    choices: list[tuple[str, str, int]]  # (value, label, points)


# Items 1-6: 0-10, where 10 is always the best (no pain, or the longest time).
VISA_H_SCALE_ITEMS = [
    ScaleItem(
        "q1",
        "How long can you sit before pain starts at the sitting bone? Each point is ten minutes.",
        "pain as soon as I sit down",
        "I can sit 100 minutes or more with no pain",
    ),
    ScaleItem(
        "q2",
        "How much does it hurt at the sitting bone when you stretch the back of your thigh gently, as far as "
        "is comfortable?",
        "the worst pain I can imagine when I stretch",
        "no pain at all when I stretch",
    ),
    ScaleItem(
        "q3",
        "How much does it hurt when you walk briskly or climb a slope or a flight of stairs?",
        "the worst pain I can imagine on brisk walks, slopes or stairs",
        "no pain at all on brisk walks, slopes or stairs",
    ),
    ScaleItem(
        "q4",
        "How much does it hurt when you lift your hips off the floor on the painful leg only (a single-leg "
        "bridge)?",
        "the worst pain I can imagine in the single-leg bridge",
        "no pain at all in the single-leg bridge",
    ),
    ScaleItem(
        "q5",
        "How much does it hurt when you bend forward with straight knees, for example to pick something up?",
        "the worst pain I can imagine when I bend forward",
        "no pain at all when I bend forward",
    ),
    ScaleItem(
        "q6",
        "How much does it hurt to lunge forward, or afterwards?",
        "the worst pain I can imagine when I lunge or after it",
        "no pain at all when I lunge or after it",
    ),
]
VISA_H_ACTIVITY = ChoiceItem(
    "q7",
    "Are you doing your sport or other exercise at the moment?",
    [
        ("none", "Not at all", 0),
        ("modified", "Yes, but less, or changed to spare the leg", 4),
        ("full_lower", "Full training or games, but not at my level before the pain", 7),
        ("full_same", "Full training or games at my level before the pain, or higher", 10),
    ],
)
VISA_H_DURATION = ChoiceItem(
    "q8",
    "When you train or play, how long can you keep going, and what does the pain do?",
    [
        ("free-0", "No pain: I cannot do any", 0),
        ("free-1", "No pain: 1 to 10 minutes", 7),
        ("free-2", "No pain: 11 to 20 minutes", 14),
        ("free-3", "No pain: 21 to 30 minutes", 21),
        ("free-4", "No pain: more than 30 minutes", 30),
        ("on-0", "Some pain, but I keep going: I cannot do any", 0),
        ("on-1", "Some pain, but I keep going: 1 to 10 minutes", 4),
        ("on-2", "Some pain, but I keep going: 11 to 20 minutes", 10),
        ("on-3", "Some pain, but I keep going: 21 to 30 minutes", 14),
        ("on-4", "Some pain, but I keep going: more than 30 minutes", 20),
        ("stop-0", "Pain makes me stop: I cannot do any", 0),
        ("stop-1", "Pain makes me stop: within 10 minutes", 2),
        ("stop-2", "Pain makes me stop: after 11 to 20 minutes", 5),
        ("stop-3", "Pain makes me stop: after 21 to 30 minutes", 7),
        ("stop-4", "Pain makes me stop: after more than 30 minutes", 10),
    ],
)


def _whole(value, low: int, high: int) -> int | None:
    number = parse_small_int(value)
    return number if number is not None and low <= number <= high else None


def visa_h_score(answers: dict) -> tuple[int, dict]:
    """The total (0-100) and the cleaned answers; raises AnswerError naming every item that is missing or
    out of range."""
    problems: dict[str, str] = {}
    cleaned: dict = {}
    total = 0
    for number, item in enumerate(VISA_H_SCALE_ITEMS, start=1):
        value = _whole(answers.get(item.key), 0, 10)
        if value is None:
            problems[item.key] = f"Question {number}: choose a number from 0 to 10."
        else:
            cleaned[item.key] = value
            total += value
    for number, choice_item in ((7, VISA_H_ACTIVITY), (8, VISA_H_DURATION)):
        points = {value: score for value, _, score in choice_item.choices}
        chosen = answers.get(choice_item.key)
        if chosen not in points:
            problems[choice_item.key] = f"Question {number}: choose one of the answers."
        else:
            cleaned[choice_item.key] = chosen
            total += points[chosen]
    if problems:
        raise AnswerError(problems)
    return total, cleaned


def psfs_score(activities: list[tuple[str, object]]) -> tuple[Decimal, dict]:
    """The mean rating to one decimal (halves round up) and the cleaned answers. Rows with neither a name
    nor a rating are ignored, so a form can offer five rows."""
    problems: dict[str, str] = {}
    rows: list[dict] = []
    for number, (name, rating) in enumerate(activities, start=1):
        name = (name or "").strip()
        if not name and rating in (None, ""):
            continue
        value = _whole(rating, 0, 10)
        if not name:
            problems[f"activity_{number}"] = f"Activity {number}: say what the activity is."
        elif len(name) > 100:
            problems[f"activity_{number}"] = f"Activity {number}: keep it under 100 characters."
        if value is None:
            problems[f"rating_{number}"] = f"Activity {number}: rate it from 0 to 10."
        if name and value is not None and len(name) <= 100:
            rows.append({"activity": name, "rating": value})
    if not problems and not PSFS_MIN_ACTIVITIES <= len(rows) <= PSFS_MAX_ACTIVITIES:
        problems["activities"] = (
            f"Name between {PSFS_MIN_ACTIVITIES} and {PSFS_MAX_ACTIVITIES} activities and rate each one."
        )
    if problems:
        raise AnswerError(problems)
    total = sum(int(row["rating"]) for row in rows)
    mean = Decimal(total) / Decimal(len(rows))
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), {"activities": rows}


def psfs_left_out(earlier: list[str], cleaned: dict) -> list[str]:
    """The activities of the patient's previous PSFS that these cleaned answers do not rate again, in their
    earlier order. Names match exactly: the form offers the earlier names as they were kept."""
    rated = {row["activity"] for row in cleaned["activities"]}
    return [name for name in earlier if name not in rated]


def visa_h_fell(*, previous: Decimal | int, latest: Decimal | int) -> bool:
    return previous - latest >= VISA_H_FALL_ALERT_POINTS


def pain_rating_score(rating) -> tuple[int, dict]:
    value = _whole(rating, 0, 10)
    if value is None:
        raise AnswerError({"rating": "Choose a number from 0 to 10."})
    return value, {"rating": value}


@dataclasses.dataclass(frozen=True)
class Due:
    kind: str
    label: str
    due_since: datetime.date
    last_taken: datetime.date | None

    @property
    def never_taken(self) -> bool:
        return self.last_taken is None


def latest_due_date(start: datetime.date, today: datetime.date) -> datetime.date | None:
    """The plan's start, or the latest 14-day mark after it that has arrived."""
    if today < start:
        return None
    return start + datetime.timedelta(days=DUE_EVERY_DAYS * ((today - start).days // DUE_EVERY_DAYS))


def next_due_date(start: datetime.date, today: datetime.date) -> datetime.date:
    latest = latest_due_date(start, today)
    return start if latest is None else latest + datetime.timedelta(days=DUE_EVERY_DAYS)


def due_measures(
    *, start: datetime.date, today: datetime.date, last_taken: dict[str, datetime.date]
) -> list[Due]:
    """The measures due today: those not taken since the latest due date."""
    since = latest_due_date(start, today)
    if since is None:
        return []
    due = []
    for kind in OutcomeKind:
        taken = last_taken.get(kind.value)
        if taken is None or taken < since:
            due.append(Due(kind.value, kind.label, since, taken))
    return due
