"""Library texts show the plan's own pain limits (rehab/pain_limits.py and the pages that use it)."""

import pytest
from django.urls import reverse

from rehab.content.stage_templates import STAGE_TEMPLATES
from rehab.models import RehabPlan
from rehab.pain_limits import with_pain_limits
from rehab.services import daily, plans

pytestmark = pytest.mark.django_db

CAUTION = "Pain up to {safe_max} is fine. Above {alert_above} is too much."


@pytest.fixture
def strict_plan(stage_one_plan, clinician) -> RehabPlan:
    plans.plan_pain_limits_update(
        plan=stage_one_plan,
        pain_safe_max=2,
        pain_alert_above=4,
        load_test_rise_alert=2,
        signed=plans.Signed(by=clinician, reason="Irritable tendon: stricter limits", expected_version=1),
    )
    stage_one_plan.refresh_from_db()
    return stage_one_plan


def test_a_text_shown_with_a_plan_carries_that_plans_limits(strict_plan):
    assert with_pain_limits(CAUTION, strict_plan) == "Pain up to 2/10 is fine. Above 4/10 is too much."


def test_a_text_shown_without_a_plan_says_the_care_team_sets_the_limit():
    text = with_pain_limits(CAUTION, None)
    assert "your care team sets" in text and "{" not in text


def test_stage_summaries_render_with_the_plans_limits(strict_plan):
    summary = STAGE_TEMPLATES[0]["summary_for_patient"]
    rendered = with_pain_limits(summary, strict_plan)
    assert "2/10" in rendered and "4/10" in rendered and "3/10" not in rendered


def test_my_plan_and_its_print_show_the_plans_limit_of_two_and_never_three(client, strict_plan, patient):
    client.force_login(patient)
    for url in (reverse("rehab:my_plan"), reverse("rehab:plan_print", args=[strict_plan.public_id])):
        page = client.get(url).content.decode()
        assert "Pain up to 2/10 is fine" in page, url
        assert "Above 4/10 is too much" in page, url
        assert "3/10" not in page and "{safe_max}" not in page, url


def test_the_how_to_page_opened_from_today_shows_the_plans_limit(client, strict_plan, patient):
    client.force_login(patient)
    url = reverse("rehab:exercise_detail", args=["isometric-bridge-hold"]) + "?from=today"
    page = client.get(url).content.decode()
    assert "Pain up to 2/10 is fine" in page and "3/10" not in page


def test_today_in_a_flare_up_shows_the_plans_limit_of_two_and_never_three(client, strict_plan, patient):
    daily.flare_up_start(plan=strict_plan, by=patient)
    client.force_login(patient)
    page = client.get(reverse("rehab:today")).content.decode()
    assert "2/10 or less" in page and "3/10" not in page


def test_a_clinician_reading_the_library_sees_the_limit_in_words(client, library, clinician):
    client.force_login(clinician)
    page = client.get(reverse("rehab:exercise_detail", args=["bridge"])).content.decode()
    assert "the safe limit your care team sets (often 3/10)" in page
