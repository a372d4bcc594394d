"""The shipped exercise library and stage templates (rehab/content): what was reviewed is what loads."""

import re

import pytest

from rehab.content.exercises import EXERCISES
from rehab.content.stage_templates import STAGE_TEMPLATES
from rehab.models import Exercise, PlanTemplate
from rehab.services import plans

BY_SLUG = {entry["slug"]: entry for entry in EXERCISES}
TEMPLATE = {entry["stage"]: entry for entry in STAGE_TEMPLATES}

# A pain score written into a patient text instead of the plan's own limit: "3/10", "0 to 3", "above 5".
FIXED_SCORE = re.compile(r"\d+ ?/ ?10|\d+ out of 10|\b0 to \d\b|\b[45] or 5\b|above \d")


def _template_slugs(stage: int) -> list[str]:
    return [item["exercise"] for item in sorted(TEMPLATE[stage]["items"], key=lambda item: item["order"])]


def test_stage_three_starts_the_hip_flexion_work_with_the_single_leg_deadlift_and_ends_with_nordics():
    new_in_stage_three = [slug for slug in _template_slugs(3) if slug not in _template_slugs(2)]
    assert new_in_stage_three[0] == "single-leg-deadlift-slow"
    assert new_in_stage_three[-1] == "nordic-hamstring-curl"
    assert "split-squat-to-drop-lunge" in new_in_stage_three


def test_stage_three_keeps_exactly_two_stage_two_exercises_before_the_new_ones():
    slugs = _template_slugs(3)
    kept = [slug for slug in slugs if slug in _template_slugs(2)]
    assert len(kept) == 2
    assert slugs[: len(kept)] == kept


def test_stage_three_tells_the_patient_when_to_start_each_new_exercise():
    items = [item for item in TEMPLATE[3]["items"] if item["exercise"] not in _template_slugs(2)]
    notes = [item["dosage"]["load_note"] for item in items]
    assert notes[0].startswith("Start this first")
    assert all(note.startswith("Add ") for note in notes[1:])


def test_the_library_has_a_split_squat_to_drop_lunge_progression_and_a_hip_thrust_like_the_others():
    for slug in ("split-squat-to-drop-lunge", "hip-thrust"):
        entry = BY_SLUG[slug]
        assert len(entry["steps"]) >= 5 and entry["cautions"] and entry["alt"]
        assert entry["hip_flexion"] in ("medium", "high") and not entry["clinician_choice_only"]
    assert "drop lunge" in " ".join(BY_SLUG["split-squat-to-drop-lunge"]["steps"])
    assert 3 in BY_SLUG["split-squat-to-drop-lunge"]["stages"]


@pytest.mark.django_db
def test_the_new_exercises_load_with_their_pictures():
    from django.contrib.staticfiles import finders

    plans.library_load()
    for slug in ("split-squat-to-drop-lunge", "hip-thrust"):
        exercise = Exercise.objects.get(slug=slug)
        assert finders.find(exercise.illustration), exercise.illustration
    stage_three = PlanTemplate.objects.get(stage=3)
    assert stage_three.items.filter(exercise__slug="split-squat-to-drop-lunge").exists()


def test_the_isometric_hold_is_a_hard_effort_with_two_minutes_rest():
    hold = BY_SLUG["isometric-bridge-hold"]
    assert hold["dosage"]["rest_seconds"] == 120
    text = " ".join([*hold["cautions"], hold["dosage"]["load_note"]])
    assert "70 %" in text and "hard" in text.lower()
    assert "moderate" not in text and "not your hardest push" not in text


def test_stage_one_and_two_hold_no_deep_hip_flexion_and_the_kneeling_stretch_is_tagged_for_its_front_hip():
    assert BY_SLUG["hip-flexor-stretch-kneeling"]["hip_flexion"] == "medium"
    for stage in (1, 2):
        for slug in _template_slugs(stage):
            assert BY_SLUG[slug]["hip_flexion"] == "low" or slug == "hip-flexor-stretch-kneeling", slug


def test_patient_texts_of_the_library_never_state_a_fixed_pain_limit():
    for entry in EXERCISES:
        for text in [entry["summary"], *entry["steps"], *entry["cautions"]]:
            assert not FIXED_SCORE.search(text), (entry["slug"], text)
    for template in STAGE_TEMPLATES:
        assert not FIXED_SCORE.search(template["summary_for_patient"]), template["stage"]


def test_pain_limit_placeholders_are_only_where_they_are_filled_in():
    """Cautions are rendered through the pain-limit filter; steps and summaries are not."""
    for entry in EXERCISES:
        for text in [entry["summary"], *entry["steps"], entry["dosage"]["load_note"]]:
            assert "{" not in text, (entry["slug"], text)
    assert any("{safe_max}" in caution for entry in EXERCISES for caution in entry["cautions"])
