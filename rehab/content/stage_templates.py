"""One plan template per loading stage, built from the exercise library.

Each item names an exercise by slug, its place in the plan and, optionally, a ``dosage`` dict whose keys
override the exercise's default dosage for this stage. ``criteria_for_clinician`` are the checks for
moving the patient on to the next stage (for stage 4: for moving to a self-managed maintenance routine).
Pain scores are out of 10 and are measured during exercise unless stated otherwise.
"""

from typing import Any

STAGE_TEMPLATES: list[dict[str, Any]] = [
    {
        "stage": 1,
        "name": "Stage 1: settle and protect",
        "summary_for_patient": (
            "This stage calms the tendon down. You will do still holds and buttock exercises that keep "
            "pressure off the sitting bone. Cut back on things that stir it up, such as sprinting, hills and "
            "long spells of sitting, but keep doing what you can manage comfortably. While you exercise, "
            "pain "
            "of 0 to 3 out of 10 is fine, 4 or 5 is acceptable, and above 5 is too much."
        ),
        "criteria_for_clinician": [
            "Pain during the stage 1 exercises 3/10 or less for two weeks in a row.",
            "No rise in pain or stiffness the morning after exercise.",
            "Adherence 80 % or more of prescribed sessions over the last two weeks.",
            "Load test: single-leg bridge on the affected side 2/10 or less.",
            "Walking and stairs 3/10 or less.",
            "No red flags (sudden onset with a pop, marked swelling or bruising, numbness or tingling); "
            "if any appear, reassess before loading further.",
        ],
        "items": [
            {"exercise": "isometric-bridge-hold", "order": 1},
            {"exercise": "glute-squeeze-prone", "order": 2},
            {"exercise": "prone-hip-extension-bent-knee", "order": 3},
            {"exercise": "bridge", "order": 4},
            {"exercise": "hip-flexor-stretch-kneeling", "order": 5},
        ],
    },
    {
        "stage": 2,
        "name": "Stage 2: build strength",
        "summary_for_patient": (
            "The tendon has settled, so now it needs to get stronger. You will work the hamstrings and "
            "buttocks against your body weight, a band or a machine, still keeping the hip fairly straight "
            "so the tendon is not squeezed. Build up slowly, and only while it stays comfortable. The same "
            "pain guide applies: up to 3 is fine, 4 or 5 is acceptable, above 5 is too much."
        ),
        "criteria_for_clinician": [
            "Pain during the stage 2 exercises 3/10 or less at the full prescribed dosage for two weeks.",
            "No rise in pain or stiffness the morning after exercise.",
            "Adherence 80 % or more of prescribed sessions over the last two weeks.",
            "Load test: single-leg bridge on the affected side 2/10 or less.",
            "Band or machine load progressed at least once without a flare-up.",
        ],
        "items": [
            {
                "exercise": "isometric-bridge-hold",
                "order": 1,
                "dosage": {"sets": 3, "times_per_day": 1},
            },
            {"exercise": "single-leg-bridge", "order": 2},
            {"exercise": "band-knee-flexion", "order": 3},
            {"exercise": "band-hip-extension", "order": 4},
            {"exercise": "leg-curl-machine", "order": 5},
            {"exercise": "hip-flexor-stretch-kneeling", "order": 6, "dosage": {"times_per_day": 1}},
        ],
    },
    {
        "stage": 3,
        "name": "Stage 3: load with more hip bend",
        "summary_for_patient": (
            "Now the exercises bend the hip further and ask the hamstrings to work while they lengthen, "
            "which "
            "is what running needs. Go a little deeper at a time. Some muscle soreness after a new exercise "
            "is normal. Pain at the sitting bone that is still there the next morning means ease back a step."
        ),
        "criteria_for_clinician": [
            "Before any running: no pain at rest.",
            "Before any running: a pain-free drop lunge on the affected side.",
            "Before any running: similar strength on both sides (for example single-leg bridge or single-leg "
            "deadlift repetitions within 10 % of the other side).",
            "Pain during the stage 3 exercises 3/10 or less at the full prescribed dosage for two weeks, "
            "with "
            "no rise the next morning.",
            "Adherence 80 % or more of prescribed sessions over the last two weeks.",
            "Load test: single-leg bridge on the affected side 2/10 or less.",
        ],
        "items": [
            {"exercise": "single-leg-bridge", "order": 1},
            {"exercise": "single-leg-deadlift-slow", "order": 2},
            {"exercise": "deadlift", "order": 3},
            {"exercise": "good-morning", "order": 4},
            {"exercise": "nordic-hamstring-curl", "order": 5},
            {"exercise": "step-up", "order": 6},
        ],
    },
    {
        "stage": 4,
        "name": "Stage 4: return to running",
        "summary_for_patient": (
            "This stage gets you running again, one step at a time. You will add quick, springy drills and "
            "short, easy runs with rest days in between, and keep some strength work going. Carry on with a "
            "few of your exercises after you are back to full running, to help stop the problem coming back."
        ),
        "criteria_for_clinician": [
            "Running the patient's target time at an easy pace, 3/10 or less during, with no rise the next "
            "morning, for two weeks.",
            "Hills, speed and acceleration brought back without pain above 3/10 and no rise the next "
            "morning.",
            "No pain at rest; sitting tolerated for the patient's usual periods.",
            "Strength still similar on both sides (within 10 %).",
            "Adherence 80 % or more of prescribed sessions over the last two weeks.",
            "Maintenance routine agreed: home programme reduced from twice to once a day, then kept up "
            "weekly.",
        ],
        "items": [
            {"exercise": "running-drills", "order": 1},
            {"exercise": "return-to-run", "order": 2},
            {"exercise": "nordic-hamstring-curl", "order": 3},
            {"exercise": "single-leg-deadlift-slow", "order": 4, "dosage": {"days_per_week": 2}},
            {"exercise": "step-up", "order": 5, "dosage": {"days_per_week": 2}},
        ],
    },
]
