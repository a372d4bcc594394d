"""The one red-flag screen: every question, how urgent a "yes" is, and what the patient is told to do.

The self-check, the start of a flare-up and the weekly "anything new?" check on Today all ask these questions
from this table, and `conditions.services.red_flag_screen_record` is the one place their answers are judged.
A single "yes" means no exercise advice on that page, an alert for the care team with the urgency as its
severity, and the patient's plan on hold until a clinician has reviewed it.

The tiers follow the clinical digest (`clinical/hamstring-tendinopathy.md`, "The full screen the portal
asks"): cauda equina signs are an emergency; signs of a tear, an avulsion, an infection, a clot or a fracture
need a clinician the same day; nerve and serious-pathology signs need one within days.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models


class Urgency(models.TextChoices):
    """Most urgent first; `URGENCY_ORDER` ranks them."""

    EMERGENCY = "emergency", "Emergency: now"
    SAME_DAY = "same_day", "Today"
    SOON = "soon", "Within a few days"


URGENCY_ORDER: tuple[Urgency, ...] = (Urgency.EMERGENCY, Urgency.SAME_DAY, Urgency.SOON)


@dataclass(frozen=True)
class UrgencyAdvice:
    heading: str
    do_now: str


# The words are free of exercise advice on purpose: with a red flag, the page gives none.
URGENCY_ADVICE: dict[Urgency, UrgencyAdvice] = {
    Urgency.EMERGENCY: UrgencyAdvice(
        heading="Call the emergency number now",
        do_now="Call 999 (or 112, or your local emergency number) now, or go straight to an emergency "
        "department. Say which of these signs you have, and do not wait to see whether it passes.",
    ),
    Urgency.SAME_DAY: UrgencyAdvice(
        heading="Get seen today",
        do_now="Get seen today: call your GP surgery or 111, or go to an urgent treatment centre. Rest the "
        "leg from sport and training until a clinician has looked at you.",
    ),
    Urgency.SOON: UrgencyAdvice(
        heading="See a clinician within the next few days",
        do_now="Book an appointment with your GP or physiotherapist within the next few days, and tell them "
        "what you noticed. Leave sport and training aside until then, and get seen the same day if it gets "
        "worse quickly.",
    ),
}


@dataclass(frozen=True)
class RedFlag:
    code: str
    question: str  # what the patient is asked
    label: str  # the short form clinicians and the patient's result read
    why: str  # why it matters, in the patient's words
    urgency: Urgency


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        code="saddle_numbness",
        question="Is there numbness or an odd feeling between your legs or around your bottom (the area "
        "that would touch a saddle)?",
        label="Numbness or altered feeling in the saddle area",
        why="Together with back or leg pain this can mean the nerves at the base of the spine are being "
        "squeezed, which needs treatment within hours.",
        urgency=Urgency.EMERGENCY,
    ),
    RedFlag(
        code="bladder_bowel",
        question="Have you newly had trouble passing urine, or lost control of your bladder or bowel?",
        label="New bladder or bowel change",
        why="A new change in bladder or bowel control can come from pressure on the nerves at the base of "
        "the spine, which needs treatment within hours.",
        urgency=Urgency.EMERGENCY,
    ),
    RedFlag(
        code="leg_weakness",
        question="Is your leg getting weaker quickly, for example tripping or a foot that drags?",
        label="Leg weakness getting worse quickly",
        why="Weakness that grows over hours or days points to a nerve under pressure, which needs treatment "
        "straight away.",
        urgency=Urgency.EMERGENCY,
    ),
    RedFlag(
        code="sudden_pop",
        question="Did the pain start suddenly, with a pop or snap that you felt or heard?",
        label="Sudden pain with a pop or snap",
        why="A sudden start with a pop can mean a tear in the muscle or in the tendon at the sitting bone. "
        "Some tears heal best when they are treated early.",
        urgency=Urgency.SAME_DAY,
    ),
    RedFlag(
        code="swelling_bruising",
        question="Is there a lot of swelling or bruising on the back of your thigh or buttock?",
        label="Marked swelling or bruising",
        why="Tendinopathy does not usually bruise or swell much. Marked bruising suggests bleeding from a "
        "tear.",
        urgency=Urgency.SAME_DAY,
    ),
    RedFlag(
        code="weight_bearing",
        question="Do you find it hard to stand on the leg or put your weight on it?",
        label="Trouble standing or putting weight on the leg",
        why="Struggling to take your weight points to a more serious injury, such as a tear or a broken "
        "bone.",
        urgency=Urgency.SAME_DAY,
    ),
    RedFlag(
        code="hot_swollen",
        question="Is your thigh or buttock hot, red or swollen while you have a fever or feel unwell?",
        label="Hot, red or swollen thigh or buttock with fever or feeling unwell",
        why="Heat, redness and swelling with a fever can be an infection, which needs treating quickly.",
        urgency=Urgency.SAME_DAY,
    ),
    RedFlag(
        code="calf_clot",
        question="Is your calf swollen, tender or painful to touch?",
        label="Calf swelling or tenderness",
        why="A swollen, tender calf can be a blood clot in a deep vein, which needs checking the same day.",
        urgency=Urgency.SAME_DAY,
    ),
    RedFlag(
        code="fall_or_blow",
        question="Did a fall or a blow to the area happen before the pain began?",
        label="A fall or blow before the pain began",
        why="Pain that starts after a fall or a knock may come from a broken bone or a tear, which an "
        "examination or an X-ray can rule out.",
        urgency=Urgency.SAME_DAY,
    ),
    RedFlag(
        code="numbness_tingling",
        question="Do you have numbness, tingling or pins and needles going down the leg?",
        label="Numbness or tingling down the leg",
        why="Tendinopathy does not usually cause numbness or tingling. They suggest that a nerve is "
        "involved, as in sciatica, which needs different care.",
        urgency=Urgency.SOON,
    ),
    RedFlag(
        code="night_pain",
        question="Does pain wake you at night and stay the same however you change position?",
        label="Night pain that does not ease with a change of position",
        why="Tendon pain usually eases when you move or shift. Pain at night that nothing changes should be "
        "checked for other causes.",
        urgency=Urgency.SOON,
    ),
    RedFlag(
        code="weight_loss",
        question="Have you lost weight recently without trying?",
        label="Unexplained weight loss",
        why="Losing weight without meaning to, alongside new pain, is worth a check for other causes.",
        urgency=Urgency.SOON,
    ),
    RedFlag(
        code="cancer_history",
        question="Have you ever had cancer?",
        label="A history of cancer",
        why="After cancer, new bone or joint pain is checked by a clinician before it is treated as a "
        "tendon problem.",
        urgency=Urgency.SOON,
    ),
    RedFlag(
        code="young_sudden_onset",
        question="Are you under 18, and did the pain start less than 2 weeks ago with a sudden movement "
        "such as a sprint or a kick?",
        label="Under 18 with pain under 2 weeks old after a sudden movement",
        why="In growing bones a sudden pull can lift a small piece of bone off where the tendon attaches, "
        "which needs an examination and sometimes an X-ray.",
        urgency=Urgency.SOON,
    ),
)
RED_FLAG_CODES: tuple[str, ...] = tuple(flag.code for flag in RED_FLAGS)
RED_FLAGS_BY_CODE: dict[str, RedFlag] = {flag.code: flag for flag in RED_FLAGS}


def validate_red_flag_answers(answers: Mapping[str, object]) -> None:
    """Raise ValueError unless every question is answered yes or no: the screen never guesses."""
    for code in RED_FLAG_CODES:
        if not isinstance(answers.get(code), bool):
            raise ValueError(f"{code} must be answered yes or no.")


def flags_answered_yes(answers: Mapping[str, object]) -> tuple[RedFlag, ...]:
    validate_red_flag_answers(answers)
    return tuple(flag for flag in RED_FLAGS if answers[flag.code] is True)


def most_urgent(flags: Iterable[RedFlag]) -> Urgency | None:
    urgencies = {flag.urgency for flag in flags}
    return next((urgency for urgency in URGENCY_ORDER if urgency in urgencies), None)


def flags_from_codes(codes: Iterable[str]) -> tuple[RedFlag, ...]:
    """The flags of stored codes, in the table's order; codes no longer asked are skipped."""
    wanted = set(codes)
    return tuple(flag for flag in RED_FLAGS if flag.code in wanted)
