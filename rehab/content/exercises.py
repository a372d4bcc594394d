"""The exercise library shipped with the portal.

Each entry is plain data that the rehab app loads into its Exercise model. Loading stages:

1. settle and protect: isometric holds and glute activation;
2. strength: isotonic work with little hip flexion;
3. more hip flexion, eccentric and functional loading;
4. energy storage and return to running.

``hip_flexion`` says how much an exercise bends the hip and so compresses the tendon against the sitting
bone (low / medium / high). Early stages use "low" exercises, except the kneeling hip-flexor stretch, whose
front hip bends to about 90 degrees under load (see ``REVIEW_NOTES``). ``is_isometric`` marks the exercises
offered as the default flare-up set. ``position`` is the body position the exercise is done in (a value of
``rehab.models.BodyPosition``); the hip thrust counts as lying on the back, as the body faces up with the
upper back on a bench. ``clinician_choice_only`` exercises are never placed in a stage template; a clinician
adds them to a plan by hand.

All patient-facing text is written for the portal in plain UK English. Facts come from the clinical digest
in ``shared/clinical/hamstring-tendinopathy.md``; choices the sources do not settle are listed in
``REVIEW_NOTES`` for clinical review. Pain limits are never written as numbers: ``{safe_max}`` and
``{alert_above}`` stand for the plan's own limits and are filled in by ``rehab.pain_limits``.
"""

from typing import Any

# The pain-monitoring rule shown with the exercises. The limits are the plan's own: `{safe_max}` and
# `{alert_above}` are filled in by `rehab.pain_limits.with_pain_limits` when the text is shown.
_PAIN_RULE = (
    "Pain up to {safe_max} is fine, and a little more is acceptable if it has settled by the next morning. "
    "Above {alert_above} is too much: stop, rest, and tell your care team."
)
_NO_STRETCH_PAIN = "Never stretch into pain."

EXERCISES: list[dict[str, Any]] = [
    {
        "slug": "isometric-bridge-hold",
        "name": "Isometric bridge hold",
        "stages": [1, 2],
        "hip_flexion": "low",
        "target": "hamstring",
        "position": "supine",
        "equipment": "None (an exercise mat if you have one)",
        "is_isometric": True,
        "summary": (
            "A still hold that gets the hamstrings and buttocks working without any movement, to ease pain "
            "and start loading the tendon gently."
        ),
        "steps": [
            "Lie on your back with your knees bent and your feet flat on the floor, hip-width apart.",
            "Rest your arms by your sides.",
            "Press your heels gently into the floor and tighten your buttocks.",
            "Lift your hips about a hand's width off the floor.",
            "Stay still and keep breathing normally for the time on your plan.",
            "Lower slowly, rest, then do the next hold.",
        ],
        "cautions": [
            "Push hard: about 7 on a scale where 10 is the hardest push you could make (roughly 70 % of your "
            "maximum). It should feel like hard work, but not all-out.",
            "Pain should stay the same or ease during the hold. If it builds, lower your hips a little.",
            "If the back of your thigh cramps, lower down, rest, and bring your feet a little closer to you.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 5,
            "reps": None,
            "hold_seconds": 45,
            "rest_seconds": 120,
            "times_per_day": 2,
            "days_per_week": 7,
            "load_note": (
                "Body weight, hard effort (about 70 % of your hardest push), 2 minutes' rest between holds. "
                "Shorter holds (20 to 30 seconds) are fine at first."
            ),
        },
        "illustration": "rehab/exercises/isometric-bridge-hold.svg",
        "alt": (
            "A person lying on their back with knees bent and feet flat, holding their hips raised off the "
            "floor. The back of the thighs is highlighted, arrows show the heels pressing down and the hips "
            "held up, and a stopwatch shows that the position is held."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "glute-squeeze-prone",
        "name": "Glute squeeze, lying face down",
        "stages": [1],
        "hip_flexion": "low",
        "target": "glute",
        "position": "prone",
        "equipment": "None (an exercise mat if you have one)",
        "is_isometric": True,
        "summary": (
            "Wakes up the large buttock muscle so that it shares the job of straightening the hip with the "
            "hamstrings."
        ),
        "steps": [
            "Lie on your front with your legs straight and your forehead resting on your hands.",
            "Squeeze both buttocks together firmly.",
            "Keep the squeeze for 3 seconds, then let go completely.",
            "Do this 10 times.",
            "For the second set, squeeze one side at a time: left, then right, then left again.",
            "Notice if one side feels weaker than the other, and tell your clinician if it does.",
        ],
        "cautions": [
            "Keep your back and legs relaxed. Only the buttocks should work.",
            "If lying on your front is uncomfortable, put a pillow under your tummy.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 2,
            "reps": 10,
            "hold_seconds": 3,
            "rest_seconds": 30,
            "times_per_day": 2,
            "days_per_week": 7,
            "load_note": "Body weight. First set both sides together, second set one side at a time.",
        },
        "illustration": "rehab/exercises/glute-squeeze-prone.svg",
        "alt": (
            "A person lying face down with legs straight and head resting on their hands. The buttock is "
            "highlighted, two arrows point towards it to show a squeeze, and a stopwatch shows a short hold."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "prone-hip-extension-bent-knee",
        "name": "Hip lift lying face down, knee bent",
        "stages": [1, 2],
        "hip_flexion": "low",
        "target": "glute",
        "position": "prone",
        "equipment": "None (an exercise mat if you have one)",
        "is_isometric": False,
        "summary": (
            "Teaches the buttock muscle to lead when you straighten the hip, with the knee bent so the "
            "hamstrings do less of the work."
        ),
        "steps": [
            "Lie on your front with your forehead resting on your hands.",
            "Bend one knee so that the sole of that foot faces the ceiling.",
            "Squeeze the buttock on the same side first.",
            "Keep squeezing and lift that thigh a few centimetres off the floor.",
            "Lower it again straight away. There is no need to hold it up.",
            "Relax and repeat. Finish all the lifts on one side, then change sides.",
        ],
        "cautions": [
            "Keep the lift small. Do not arch your lower back or twist your hips.",
            "If the back of your thigh cramps, lower the leg and rest before you carry on.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 2,
            "reps": 10,
            "hold_seconds": None,
            "rest_seconds": 45,
            "times_per_day": 2,
            "days_per_week": 7,
            "load_note": "Body weight. The sets and repetitions are for each side.",
        },
        "illustration": "rehab/exercises/prone-hip-extension-bent-knee.svg",
        "alt": (
            "A person lying face down with one knee bent to a right angle, lifting that thigh a little off "
            "the floor. A faint outline shows the thigh resting on the floor before the lift, the buttock is "
            "highlighted and an arrow points upwards."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "bridge",
        "name": "Bridge",
        "stages": [1, 2],
        "hip_flexion": "low",
        "target": "glute",
        "position": "supine",
        "equipment": "None (an exercise mat if you have one)",
        "is_isometric": False,
        "summary": (
            "Lifts the hips with the buttocks and hamstrings working together, in a position that keeps "
            "pressure off the sitting bone."
        ),
        "steps": [
            "Lie on your back with your knees bent and your feet flat, hip-width apart.",
            "Squeeze your buttocks.",
            "Push through your heels and lift your hips until your shoulders, hips and knees form a line.",
            "Pause for a moment at the top.",
            "Lower slowly back to the floor.",
            "Repeat.",
        ],
        "cautions": [
            "Stop at a straight line. Lifting higher only arches your back.",
            "Feet further from your bottom make the hamstrings work harder. Bring them closer if it hurts.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 3,
            "reps": 10,
            "hold_seconds": None,
            "rest_seconds": 60,
            "times_per_day": 1,
            "days_per_week": 7,
            "load_note": "Body weight.",
        },
        "illustration": "rehab/exercises/bridge.svg",
        "alt": (
            "A person lying on their back with knees bent, lifting their hips until shoulders, hips and "
            "knees "
            "are in a line. A faint outline shows the starting position with hips on the floor, and an arrow "
            "points upwards under the hips."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "single-leg-bridge",
        "name": "Single-leg bridge",
        "stages": [2, 3],
        "hip_flexion": "low",
        "target": "hamstring",
        "position": "supine",
        "equipment": "None (an exercise mat if you have one)",
        "is_isometric": False,
        "summary": (
            "A harder bridge on one leg that builds strength in the hamstrings and buttock of each side."
        ),
        "steps": [
            "Lie on your back with both knees bent and your feet flat.",
            "Straighten one leg and hold it in the air, with your thighs level with each other.",
            "Squeeze the buttock of the leg that is still on the floor.",
            "Push through that heel and lift your hips until they are level and in line with your knee.",
            "Lower slowly and repeat. Finish one side, then change legs.",
            "Keep your hips level all the time. Do not let one side drop.",
        ],
        "cautions": [
            "Start this only when the two-leg bridge feels easy and comfortable.",
            "If you cannot keep your hips level, go back to the two-leg bridge for now.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 3,
            "reps": 8,
            "hold_seconds": None,
            "rest_seconds": 60,
            "times_per_day": 1,
            "days_per_week": 4,
            "load_note": "Body weight. The sets and repetitions are for each side.",
        },
        "illustration": "rehab/exercises/single-leg-bridge.svg",
        "alt": (
            "A person lying on their back, one foot flat on the floor and the other leg held straight in the "
            "air, lifting their hips. A faint outline shows the hips on the floor at the start, the back of "
            "the working thigh is highlighted and an arrow points upwards under the hips."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "hip-flexor-stretch-kneeling",
        "name": "Kneeling hip flexor stretch",
        "stages": [1, 2],
        "hip_flexion": "medium",
        "target": "hip_flexor",
        "position": "kneeling",
        "equipment": "A cushion or folded towel for your knee",
        "is_isometric": False,
        "summary": (
            "Eases tight muscles at the front of the hip, which can stop the buttock muscle from doing its "
            "share of the work."
        ),
        "steps": [
            "Kneel on a cushion on one knee, with the other foot flat on the floor in front of you.",
            "Lay the top of your back foot flat on the floor.",
            "Stand tall and tuck your tailbone under you, as if flattening your lower back.",
            "If you feel nothing yet, move your weight slowly forwards until there is a gentle pull at the "
            "front of the back hip.",
            "Hold for 30 seconds, then ease off. Do this 3 times, then change sides.",
            "To feel it further down the front of the thigh, curl the toes of your back foot under.",
        ],
        "cautions": [
            _NO_STRETCH_PAIN + " A gentle pull is all you need.",
            "Keep your upper body upright. Do not lean forwards.",
            "The front hip bends to about a right angle with your weight on it, which presses on the tendon "
            "of that leg. When your sore side is in front, slide that foot further forwards so the hip bends "
            "less.",
            "If you feel pain at the sitting bone on either side, ease off and tell your clinician.",
        ],
        "dosage": {
            "sets": 3,
            "reps": None,
            "hold_seconds": 30,
            "rest_seconds": 30,
            "times_per_day": 2,
            "days_per_week": 7,
            "load_note": "Each side.",
        },
        "illustration": "rehab/exercises/hip-flexor-stretch-kneeling.svg",
        "alt": (
            "A person kneeling on one knee on a cushion with the other foot flat in front, upper body "
            "upright. "
            "The front of the back thigh is highlighted, an arrow shows the hips moving gently forwards, and "
            "a stopwatch shows that the stretch is held."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "bent-knee-hamstring-stretch",
        "name": "Bent-knee hamstring stretch (clinician's choice)",
        "stages": [3],
        "hip_flexion": "high",
        "target": "hamstring",
        "position": "standing",
        "equipment": "A sturdy chair that will not slide",
        "is_isometric": False,
        "summary": (
            "A gentle stretch for the top of the hamstrings, used only when your clinician decides it suits "
            "you."
        ),
        "steps": [
            "Stand facing a sturdy chair that cannot slide away.",
            "Put one foot on the seat and let that knee bend to about 45 degrees.",
            "Keep your back straight and your chest up.",
            "Lean forwards slowly from your hips until you feel a mild pull behind the raised thigh.",
            "Hold for 30 seconds, come back up and rest. Do this 3 times.",
            "Change legs only if your clinician has asked you to.",
        ],
        "cautions": [
            "Only do this stretch if your clinician has chosen it for you.",
            _NO_STRETCH_PAIN + " A mild pull is right; pain at the sitting bone is not.",
            "If it hurts, lean less far forwards, or stop.",
            "Stretching on its own rarely fixes a tendon problem, and hard stretching can make it worse.",
        ],
        "dosage": {
            "sets": 3,
            "reps": None,
            "hold_seconds": 30,
            "rest_seconds": 30,
            "times_per_day": 3,
            "days_per_week": 7,
            "load_note": "Within comfort only.",
        },
        "illustration": "rehab/exercises/bent-knee-hamstring-stretch.svg",
        "alt": (
            "A person standing on one leg with the other foot on a chair seat and that knee bent, leaning "
            "forwards from the hips with a straight back. A faint outline shows the upright start, the back "
            "of the raised thigh is highlighted, an arrow shows the lean and a stopwatch shows a hold."
        ),
        "clinician_choice_only": True,
    },
    {
        "slug": "band-knee-flexion",
        "name": "Knee bend against a band",
        "stages": [2],
        "hip_flexion": "low",
        "target": "hamstring",
        "position": "standing",
        "equipment": "Resistance band; a chair or worktop to hold",
        "is_isometric": False,
        "summary": (
            "Strengthens the hamstrings by bending the knee against a band while the hip stays straight."
        ),
        "steps": [
            "Tie the band round a heavy chair or table leg near the floor and loop the other end round one "
            "ankle.",
            "Stand facing the anchor, holding the chair back or a worktop, and step back until the band is "
            "slightly tight.",
            "Keep your thighs side by side.",
            "Bend the knee to bring your heel up towards your bottom against the band.",
            "Lower the foot slowly, taking about 3 seconds.",
            "Finish all the repetitions, then change legs.",
        ],
        "cautions": [
            "Keep your hip straight. Do not let the knee swing forwards.",
            "Start with a light band. Add repetitions, then a stronger band, only while it stays "
            "comfortable.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 2,
            "reps": 12,
            "hold_seconds": None,
            "rest_seconds": 60,
            "times_per_day": 1,
            "days_per_week": 4,
            "load_note": (
                "Light band. Build from 12 to 15 repetitions, then move to a stronger band. Each side."
            ),
        },
        "illustration": "rehab/exercises/band-knee-flexion.svg",
        "alt": (
            "A person standing and holding the back of a chair, with a band from the chair leg to one ankle. "
            "That knee is bent, lifting the heel towards the bottom. A faint outline shows the straight leg "
            "at the start, the back of the thigh is highlighted and a curved arrow shows the heel rising."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "band-hip-extension",
        "name": "Standing hip extension with a band",
        "stages": [2],
        "hip_flexion": "low",
        "target": "glute",
        "position": "standing",
        "equipment": "Resistance band, or a cable machine at the gym; a chair or worktop to hold",
        "is_isometric": False,
        "summary": "Strengthens the buttock and hamstrings together as you push one leg backwards.",
        "steps": [
            "Anchor the band low down in front of you and loop it round one ankle.",
            "Stand tall holding a chair or worktop, with your knees soft.",
            "Tighten the buttock of the banded leg first.",
            "Keep that leg straight and push it backwards a short way against the band.",
            "Bring it forwards again slowly.",
            "Finish all the repetitions, then change legs.",
        ],
        "cautions": [
            "Move from the hip only. Do not lean forwards or arch your lower back.",
            "A small movement done well is better than a big swing.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 2,
            "reps": 12,
            "hold_seconds": None,
            "rest_seconds": 60,
            "times_per_day": 1,
            "days_per_week": 4,
            "load_note": (
                "Light band. Build from 12 to 15 repetitions, then move to a stronger band. Each side."
            ),
        },
        "illustration": "rehab/exercises/band-hip-extension.svg",
        "alt": (
            "A person standing and holding the back of a chair, with a band from the chair leg to one ankle, "
            "pushing that straight leg backwards. A faint outline shows the leg at the start, the buttock is "
            "highlighted and an arrow shows the leg moving back."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "leg-curl-machine",
        "name": "Lying leg curl (gym machine)",
        "stages": [2, 3],
        "hip_flexion": "low",
        "target": "hamstring",
        "position": "prone",
        "equipment": "Lying leg curl machine",
        "is_isometric": False,
        "summary": (
            "Builds hamstring strength with a weight you can measure, once the band exercises feel easy."
        ),
        "steps": [
            "Set the machine so the pad sits just above your heels, then lie on your front.",
            "Hold the handles and keep your hips pressed into the bench.",
            "Bend your knees to bring the pad up towards your bottom, taking about 2 seconds.",
            "Lower it slowly, taking about 3 seconds.",
            "Start with a weight light enough to lift about 15 times.",
        ],
        "cautions": [
            "Use the lying machine, not the seated one, until your clinician says otherwise. Sitting bends "
            "the hip more and presses on the tendon.",
            "Add weight in small steps, and only when your last set stays comfortable.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 3,
            "reps": 10,
            "hold_seconds": None,
            "rest_seconds": 90,
            "times_per_day": 1,
            "days_per_week": 3,
            "load_note": "Light weight to start; add weight in small steps.",
        },
        "illustration": "rehab/exercises/leg-curl-machine.svg",
        "alt": (
            "A person lying face down on a leg curl bench, bending the knees to lift a padded roller towards "
            "the bottom. A faint outline shows the legs straight at the start, the back of the thigh is "
            "highlighted and a curved arrow shows the lower legs rising."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "single-leg-deadlift-slow",
        "name": "Slow single-leg deadlift",
        "stages": [3, 4],
        "hip_flexion": "high",
        "target": "hamstring",
        "position": "standing",
        "equipment": "None to start; later a dumbbell or kettlebell",
        "is_isometric": False,
        "summary": (
            "Makes the hamstrings work under control while they lengthen, and trains balance and hip control "
            "on one leg."
        ),
        "steps": [
            "Stand on one leg with that knee slightly bent. Hold a wall or chair at first if you need to.",
            "Tip forwards from the hip and let the other leg rise out behind you.",
            "Keep your back straight and your hips level.",
            "Take about 3 seconds to go down, only as far as feels comfortable.",
            "Squeeze your buttock to come back up to standing.",
            "Finish all the repetitions, then change legs.",
        ],
        "cautions": [
            "This bends the hip a lot, which presses on the tendon. Go only as low as stays comfortable, and "
            "go a little deeper week by week.",
            "Keep it slow. Do not bounce at the bottom.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 3,
            "reps": 8,
            "hold_seconds": None,
            "rest_seconds": 90,
            "times_per_day": 1,
            "days_per_week": 3,
            "load_note": "Body weight; add a light weight once 3 sets of 8 feel easy. Each side.",
        },
        "illustration": "rehab/exercises/single-leg-deadlift-slow.svg",
        "alt": (
            "A person standing on one leg, tipping forwards from the hip with a straight back while the "
            "other "
            "leg rises behind. A faint outline shows the upright start, the back of the standing thigh is "
            "highlighted and a curved arrow shows the body tipping forwards."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "split-squat-to-drop-lunge",
        "name": "Split squat, building to a drop lunge",
        "stages": [3, 4],
        "hip_flexion": "high",
        "target": "glute",
        "position": "standing",
        "equipment": "None to start; a chair or wall to hold; later dumbbells",
        "is_isometric": False,
        "summary": (
            "Trains the front leg to take your weight as the hip bends deeply, step by step, until a drop "
            "lunge feels easy. A comfortable drop lunge is one of the checks before running."
        ),
        "steps": [
            "Stand with one foot a long stride in front of the other, both feet pointing forwards. Hold a "
            "chair or wall if you need to.",
            "Keep your upper body tall and most of your weight on the front foot.",
            "Bend both knees and lower your back knee a short way towards the floor.",
            "Push through the front heel to come back up. Finish all the repetitions, then change legs.",
            "Each week, if it has stayed comfortable, lower a little further, until the back knee nearly "
            "touches the floor.",
            "Next, step back into the lunge from standing, and later step the back foot back and across "
            "behind the front one (a drop lunge). Your clinician will say when to move on.",
        ],
        "cautions": [
            "The deeper you go, the more the front hip bends and presses on the tendon. Build the depth up "
            "over weeks, not in one session.",
            "Keep the front knee in line with your toes and your upper body upright.",
            "Start with the sore side as the back leg if the front position hurts, and tell your clinician.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 3,
            "reps": 8,
            "hold_seconds": None,
            "rest_seconds": 90,
            "times_per_day": 1,
            "days_per_week": 3,
            "load_note": "Body weight, shallow at first. Each side.",
        },
        "illustration": "rehab/exercises/split-squat-to-drop-lunge.svg",
        "alt": (
            "A person in a split stance, one foot in front of the other, lowering the back knee towards the "
            "floor with the upper body upright. A faint outline shows the tall start, the buttock of the "
            "front leg is highlighted and an arrow points downwards."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "hip-thrust",
        "name": "Hip thrust",
        "stages": [2, 3],
        "hip_flexion": "medium",
        "target": "glute",
        "position": "supine",
        "equipment": "A sturdy sofa or bench that will not slide; later a weight and a folded towel",
        "is_isometric": False,
        "summary": (
            "A strong buttock exercise with your upper back resting on a sofa or bench, so the glutes take "
            "more of the load off the hamstrings."
        ),
        "steps": [
            "Sit on the floor with your upper back against the edge of a sofa or bench.",
            "Bend your knees and put your feet flat on the floor, hip-width apart.",
            "Squeeze your buttocks and push through your heels to lift your hips.",
            "Stop when your shoulders, hips and knees form a straight line, with your shins upright.",
            "Lower your hips slowly, only part of the way at first, and lift again.",
        ],
        "cautions": [
            "At the bottom the hip bends more and presses on the tendon. Keep the lowering short to begin "
            "with.",
            "Do not arch your lower back at the top. Stop at the straight line.",
            "Add a weight across your hips only once 3 sets of 10 feel easy, with a towel under it.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 3,
            "reps": 10,
            "hold_seconds": None,
            "rest_seconds": 90,
            "times_per_day": 1,
            "days_per_week": 3,
            "load_note": "Body weight first; later a light weight across the hips.",
        },
        "illustration": "rehab/exercises/hip-thrust.svg",
        "alt": (
            "A person with the upper back resting on a bench and feet flat on the floor, hips lifted so "
            "that shoulders, hips and knees are in a line. A faint outline shows the hips low at the start, "
            "the buttock is highlighted and an arrow points upwards under the hips."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "deadlift",
        "name": "Deadlift (hip hinge)",
        "stages": [3],
        "hip_flexion": "high",
        "target": "hamstring",
        "position": "standing",
        "equipment": "Dumbbells, a kettlebell or a barbell",
        "is_isometric": False,
        "summary": (
            "Builds strength in the hamstrings and buttocks while they lengthen, to get them ready for "
            "running."
        ),
        "steps": [
            "Stand with your feet hip-width apart, holding the weight in front of your thighs.",
            "Bend your knees slightly and keep them at that bend.",
            "Push your hips back and lower the weight close to your legs, keeping your back straight.",
            "Take about 3 seconds to go down, to just below the knees or less.",
            "Squeeze your buttocks and push your hips forwards to stand up tall.",
        ],
        "cautions": [
            "Keep your back flat all the way. Do not round it to reach lower.",
            "The lower you go, the more the hip bends and presses on the tendon. Build the depth up slowly.",
            "Start light. Add weight only when every set stays comfortable and the next morning is no worse.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 3,
            "reps": 8,
            "hold_seconds": None,
            "rest_seconds": 120,
            "times_per_day": 1,
            "days_per_week": 3,
            "load_note": "Light weight to start; add weight in small steps.",
        },
        "illustration": "rehab/exercises/deadlift.svg",
        "alt": (
            "A person holding a bar, pushing the hips back and leaning forwards with a straight back and "
            "soft "
            "knees. A faint outline shows the upright start, the back of the thighs is highlighted and a "
            "curved arrow shows the lean forwards."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "good-morning",
        "name": "Good morning",
        "stages": [3],
        "hip_flexion": "high",
        "target": "hamstring",
        "position": "standing",
        "equipment": "A broom handle, later a light bar",
        "is_isometric": False,
        "summary": (
            "A forward lean from the hips with a pole across your shoulders, to strengthen the hamstrings "
            "while they lengthen."
        ),
        "steps": [
            "Stand with your feet hip-width apart and rest a broom handle across your upper back, one hand "
            "on each side.",
            "Bend your knees a little.",
            "Push your hips back and lean forwards, with your back straight and your chest up.",
            "Go down slowly until your upper body is about halfway to level, or less if it hurts.",
            "Squeeze your buttocks to come back up tall.",
        ],
        "cautions": [
            "Learn the movement with a broom handle before you add any weight.",
            "Stop before your back starts to round.",
            "A deep lean presses on the tendon, so keep the movement small at first.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 3,
            "reps": 10,
            "hold_seconds": None,
            "rest_seconds": 90,
            "times_per_day": 1,
            "days_per_week": 3,
            "load_note": "Broom handle first; a light bar only once that is comfortable.",
        },
        "illustration": "rehab/exercises/good-morning.svg",
        "alt": (
            "A person with a pole across the shoulders, pushing the hips back and leaning forwards with a "
            "straight back. A faint outline shows the upright start, the back of the thighs is highlighted "
            "and a curved arrow shows the lean forwards."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "nordic-hamstring-curl",
        "name": "Nordic hamstring curl",
        "stages": [3, 4],
        "hip_flexion": "low",
        "target": "hamstring",
        "position": "kneeling",
        "equipment": "A partner or a secure strap to hold your ankles; a cushion for your knees",
        "is_isometric": False,
        "summary": (
            "A hard exercise in which the hamstrings slow your body down as it tips forwards, to prepare "
            "them "
            "for running."
        ),
        "steps": [
            "Kneel upright on a cushion and ask a partner to hold your ankles firmly, or hook them under a "
            "secure strap.",
            "Hold your hands in front of your chest, ready to catch yourself.",
            "Keep a straight line from your knees to your head, with your buttocks tight.",
            "Tip forwards as slowly as you can, letting the hamstrings control the fall.",
            "When you cannot hold it any longer, catch yourself on your hands.",
            "Push off with your hands to come back up to kneeling.",
        ],
        "cautions": [
            "This is hard. Start with a small lean and only a few repetitions.",
            "Do not bend at the hips. Keep your body straight.",
            "Sore muscles for a day or two at the start are normal. Pain at the sitting bone is different: "
            "tell your clinician about it.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 2,
            "reps": 5,
            "hold_seconds": None,
            "rest_seconds": 120,
            "times_per_day": 1,
            "days_per_week": 2,
            "load_note": "Body weight. Small lean at first; lean further over the weeks.",
        },
        "illustration": "rehab/exercises/nordic-hamstring-curl.svg",
        "alt": (
            "A person kneeling on a cushion with the ankles held under a padded bar, tipping forwards with "
            "the "
            "body straight from knees to head. A faint outline shows the upright start, the back of the "
            "thighs is highlighted and a curved arrow shows the slow fall forwards."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "step-up",
        "name": "Step-up",
        "stages": [3, 4],
        "hip_flexion": "medium",
        "target": "glute",
        "position": "standing",
        "equipment": "A sturdy step or the bottom stair",
        "is_isometric": False,
        "summary": "An everyday movement that builds strength for stairs, hills and running.",
        "steps": [
            "Stand facing a low, sturdy step. Hold a rail if you need to.",
            "Put one whole foot on the step.",
            "Lean forwards a little and push through that heel to step up until the leg is straight.",
            "Let the other foot follow lightly, or keep it just off the step.",
            "Step down slowly with the other foot first.",
            "Finish all the repetitions leading with the same leg, then change legs.",
        ],
        "cautions": [
            "Start with a low step. A higher step bends the hip more and presses on the tendon.",
            "Keep your knee in line with your toes.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 3,
            "reps": 10,
            "hold_seconds": None,
            "rest_seconds": 60,
            "times_per_day": 1,
            "days_per_week": 4,
            "load_note": "Body weight on a low step; later a higher step or a light weight. Each side.",
        },
        "illustration": "rehab/exercises/step-up.svg",
        "alt": (
            "A person stepping up on to a low box, standing tall on the leading leg. A faint outline shows "
            "the "
            "start with one foot on the box, the buttock of the leading leg is highlighted and an arrow "
            "shows "
            "the body rising."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "running-drills",
        "name": "Running drills",
        "stages": [4],
        "hip_flexion": "medium",
        "target": "hamstring",
        "position": "moving",
        "equipment": "A flat, even stretch of ground about 20 metres long",
        "is_isometric": False,
        "summary": (
            "Short, easy drills that get the hamstrings used to quick, springy work before and during your "
            "return to running."
        ),
        "steps": [
            "Warm up with 5 minutes of brisk walking.",
            "March forwards, lifting each knee to a comfortable height and swinging the opposite arm.",
            "Skip forwards lightly, staying springy on the balls of your feet.",
            "Move forwards slowly with quick, small heel flicks towards your bottom.",
            "Walk back to the start after each drill to recover.",
            "Keep every drill relaxed and easy. Speed comes much later.",
        ],
        "cautions": [
            "Keep knee lifts low at first. High knees bend the hip a lot.",
            "No sprints or sudden bursts of speed until your clinician says so.",
            _PAIN_RULE,
        ],
        "dosage": {
            "sets": 3,
            "reps": 1,
            "hold_seconds": None,
            "rest_seconds": 60,
            "times_per_day": 1,
            "days_per_week": 3,
            "load_note": "Each set is one 20-metre length of each drill, walking back in between. Do them "
            "before every run.",
        },
        "illustration": "rehab/exercises/running-drills.svg",
        "alt": (
            "A person marching forwards between two cones, one knee lifted to a comfortable height and the "
            "opposite arm swinging. The back of the standing thigh is highlighted and an arrow points "
            "forwards."
        ),
        "clinician_choice_only": False,
    },
    {
        "slug": "return-to-run",
        "name": "Return to running",
        "stages": [4],
        "hip_flexion": "medium",
        "target": "hamstring",
        "position": "moving",
        "equipment": "Running shoes and a flat route",
        "is_isometric": False,
        "summary": (
            "A careful plan for running again: one short, easy run, then rest days to see how the tendon "
            "copes."
        ),
        "steps": [
            "Start only when your clinician has agreed that you are ready.",
            "Warm up with a brisk walk and your running drills.",
            "Run at an easy, steady pace on flat ground for 10 to 15 minutes. You should be able to talk.",
            "Do not run for the next 2 to 3 days, and check how the tendon feels each morning.",
            "If it has not hurt, do the same run again.",
            "When the same run has gone well, add a few minutes at a time. Add hills and speed last.",
        ],
        "cautions": [
            "Avoid hills, sprints and sudden changes of speed in the first runs.",
            "If pain goes above {alert_above}, or is worse the next morning, go back a step and tell your "
            "clinician.",
            "Carry on with your strength exercises once you are running normally again.",
        ],
        "dosage": {
            "sets": 1,
            "reps": 1,
            "hold_seconds": None,
            "rest_seconds": 0,
            "times_per_day": 1,
            "days_per_week": 2,
            "load_note": "10 to 15 minutes of easy running, then 2 to 3 rest days. Repeat if pain-free, then "
            "build up slowly.",
        },
        "illustration": "rehab/exercises/return-to-run.svg",
        "alt": (
            "A person running at an easy pace on flat ground, with an arrow pointing forwards and a "
            "stopwatch "
            "to show a short, timed run. The back of the thigh is highlighted."
        ),
        "clinician_choice_only": False,
    },
]

# Choices the sources do not settle. For the clinical lead to confirm or change before go-live.
REVIEW_NOTES = [
    "Stage mapping: the sources describe three phases; the portal uses four stages. Phase 2 exercises were "
    "split by how far they bend the hip: low-flexion strength work in stage 2, deep-flexion and eccentric "
    "work in stage 3.",
    "slow single-leg deadlift: source 001 lists it early in strengthening (digest phase 2); it is placed in "
    "stages 3-4 because it bends the hip deeply and so compresses the tendon.",
    "isometric-bridge-hold: the seeds give no dosage. 5 x 45 s at about 70 % of a maximal push with 2 "
    "minutes' rest follows the isometric pain-relief study the sources cite (Rio et al.); twice a day is a "
    "portal default. The effort is described to patients as about 7 on a 0 to 10 scale of their hardest "
    "push: confirm that wording, and whether a very irritable tendon should start at a lower effort.",
    "bent-knee-hamstring-stretch: source 002 uses it early, other sources advise no hamstring stretching "
    "early on. It is clinician's choice only, tagged stage 3, high hip flexion, and kept out of every "
    "template.",
    "hip-flexor-stretch-kneeling: kept in stages 1 and 2 as source 002 places it, but tagged medium hip "
    "flexion because the front hip is bent to about 90 degrees under body weight; it is the only "
    "non-low exercise in the stage 1 and 2 templates. A caution tells patients to slide the foot forwards "
    "when the sore side is in front. The source gives 30 s x 3 but no times per day (set to 2).",
    "Sets and repetitions for the glute squeeze second set, the prone hip lift, bridges, leg curl, "
    "deadlifts, good mornings, Nordics and step-ups are portal defaults; the sources give none.",
    "Days per week are portal defaults: 7 for isometric and activation work, 4 for band and body-weight "
    "strength, 3 for gym and eccentric work, 2 for Nordics and the early return-to-run.",
    "Times per day: source 003 suggests the home programme twice a day; isotonic and gym exercises are set "
    "to once a day. Check whether the early stages should be twice a day throughout.",
    "nordic-hamstring-curl: tagged low hip flexion (hips stay straight) but it is a very high eccentric "
    "load; 2 x 5 twice a week is a default. Confirm it fits stage 3 rather than late stage 3 or stage 4 "
    "only.",
    "leg-curl-machine: the lying machine is specified because the seated machine bends the hip to about "
    "90 degrees.",
    "running-drills: the sources name running drills but not which ones; marching, light skipping and heel "
    "flicks were chosen as gentle energy-storage work. Hopping and faster drills are left to the clinician.",
    "Pain guide: '4 or 5 is acceptable' has been given the condition 'as long as it has settled by the next "
    "morning', to match the stage criteria.",
    "Stage criteria thresholds (two weeks, 80 % adherence, load test 2/10, strength within 10 % side to "
    "side) are portal defaults from the product brief, not from the sources.",
    "Ice, heat and medication are deliberately not part of any exercise: the sources disagree and the "
    "portal refers patients to their clinician.",
    "Stage 3 template: the single-leg bridge and lying leg curl carry on from stage 2; the slow single-leg "
    "deadlift starts first, then the split squat, deadlift and step-up, with the Nordic curl last, each "
    "added after about a week without a flare-up. The order after the single-leg deadlift and the week "
    "between additions are portal choices. Good mornings and hip thrusts stay in the library for the "
    "clinician to add by hand, to keep the stage 3 session short.",
    "split-squat-to-drop-lunge: added because the stage 3 exit check asks for a pain-free drop lunge. The "
    "progression (shallow split squat, deeper, stepping back, then stepping back and across) and 3 x 8 "
    "three times a week are portal choices; the seeds describe neither the exercise nor the test.",
    "hip-thrust: not in the seeds; added as a glute-strength option for stages 2 and 3, tagged medium "
    "hip flexion because the bottom of the movement bends the hip. Dosage 3 x 10 three times a week is a "
    "default.",
    "Pain limits in patient texts: cautions and stage summaries now show the plan's own limits. The "
    "middle band is worded 'a little more is acceptable if it has settled by the next morning' rather "
    "than as numbers. Without a plan (the public article) the text says the care team sets the limits, "
    "often 3 and 5 out of 10. The stage criteria for clinicians say 'the plan's safe limit (default "
    "3/10)'.",
]
