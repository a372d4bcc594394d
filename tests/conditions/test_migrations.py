"""Migration 0004: a shipping date stored as "last reviewed" without a reviewer becomes the text's date."""

import datetime

import pytest

from tests.migrating import migrate_to, migrate_to_latest

BEFORE = [("conditions", "0003_red_flag_screen")]
AFTER = [("conditions", "0004_condition_review")]


@pytest.mark.django_db(transaction=True)
def test_a_review_date_without_a_reviewer_moves_to_the_text_date():
    executor = migrate_to(BEFORE)
    old_condition = executor.loader.project_state(BEFORE).apps.get_model("conditions", "Condition")
    old_condition.objects.create(
        name="Old", slug="old", summary="s", published=True, last_reviewed=datetime.date(2026, 11, 21)
    )

    executor = migrate_to(AFTER)

    new_condition = executor.loader.project_state(AFTER).apps.get_model("conditions", "Condition")
    moved = new_condition.objects.get(slug="old")
    assert (moved.content_date, moved.last_reviewed, moved.reviewed_by_id) == (
        datetime.date(2026, 11, 21),
        None,
        None,
    )
    migrate_to_latest()
