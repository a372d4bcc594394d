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
            "pain up to {safe_max} is fine, a little more is acceptable if it settles by the next morning, "
            "and above {alert_above} is too much."
        ),
        "criteria_for_clinician": [
            "Pain during the stage 1 exercises within the plan's safe limit (default 3/10) for two weeks in "
            "a row.",
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
            "pain guide applies: up to {safe_max} is fine, above {alert_above} is too much."
        ),
        "criteria_for_clinician": [
            "Pain during the stage 2 exercises within the plan's safe limit (default 3/10) at the full "
            "prescribed dosage for two weeks.",
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
            "which is what running needs. You keep two exercises from stage 2 and add the new ones one at a "
            "time, in the order of your plan: the single-leg deadlift first and the Nordic curl last. Start "
            "the next one only when the last has felt comfortable for about a week. Go a little deeper at a "
            "time. Some muscle soreness after a new exercise is normal. Pain at the sitting bone that is "
            "still there the next morning means ease back a step."
        ),
        "criteria_for_clinician": [
            "Before any running: no pain at rest.",
            "Before any running: a pain-free drop lunge on the affected side.",
            "Before any running: similar strength on both sides (for example single-leg bridge or single-leg "
            "deadlift repetitions within 10 % of the other side).",
            "Pain during the stage 3 exercises within the plan's safe limit (default 3/10) at the full "
            "prescribed dosage for two weeks, with no rise the next morning.",
            "Adherence 80 % or more of prescribed sessions over the last two weeks.",
            "Load test: single-leg bridge on the affected side 2/10 or less.",
        ],
        # Two stage-2 exercises carry on; the hip-flexion work is then added one exercise at a time, in
        # this order. The load note tells the patient when each one starts.
        "items": [
            {"exercise": "single-leg-bridge", "order": 1},
            {"exercise": "leg-curl-machine", "order": 2},
            {
                "exercise": "single-leg-deadlift-slow",
                "order": 3,
                "dosage": {
                    "load_note": "Start this first. Body weight; go only as low as stays comfortable."
                },
            },
            {
                "exercise": "split-squat-to-drop-lunge",
                "order": 4,
                "dosage": {
                    "load_note": "Add second, once the single-leg deadlift has been comfortable for a week."
                },
            },
            {
                "exercise": "deadlift",
                "order": 5,
                "dosage": {
                    "load_note": (
                        "Add third, once the split squat has been comfortable for a week. Light weight to "
                        "start; add weight in small steps."
                    )
                },
            },
            {
                "exercise": "step-up",
                "order": 6,
                "dosage": {
                    "load_note": "Add fourth, once the deadlift has been comfortable for a week. Low step."
                },
            },
            {
                "exercise": "nordic-hamstring-curl",
                "order": 7,
                "dosage": {
                    "load_note": (
                        "Add last, once everything else has been comfortable for a week. Small lean at "
                        "first; lean further over the weeks."
                    )
                },
            },
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
            "Running the patient's target time at an easy pace, within the plan's safe limit (default "
            "3/10) during, with no rise the next morning, for two weeks.",
            "Hills, speed and acceleration brought back without pain above the plan's safe limit and no "
            "rise the next morning.",
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
