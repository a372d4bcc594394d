import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from rehab.models import RehabPlan
from tests.e2e.axe import axe_violations
from tests.e2e.conftest import assert_fits_width, sign_in
from tests.factories import TEST_PASSWORD, CareTeamMembershipFactory, PatientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def new_patient(demo_data):
    patient = PatientFactory(first_name="Jamie", last_name="Rivers", email="jamie@example.test")
    CareTeamMembershipFactory(
        patient=patient, clinician=User.objects.get(email="physio@demo.test"), role="lead"
    )
    return patient


def search_and_add(page, *, exercise: str, filters: dict[str, str], words: str = "") -> None:
    """Search the library with `filters` (label: option label) and add `exercise` with its seeded reason."""
    search = page.get_by_role("search", name="The exercise library")
    if words:
        search.get_by_label("Name, equipment or words").fill(words)
    for label, option in filters.items():
        search.get_by_label(label, exact=True).select_option(label=option)
    result = page.locator("#exercise-search-results article").filter(
        has=page.get_by_role("link", name=exercise, exact=True)
    )
    expect(result).to_have_count(1)  # swapped in by htmx, without leaving the page
    expect(result.locator("img")).to_be_visible()
    expect(result.get_by_label("Reason")).to_have_value("Next step to build on your progress")
    result.get_by_role("button", name=f"Add {exercise}").click()


def change_dosage(page, exercise_name: str, field_label: str, value: str, reason: str) -> None:
    card = page.locator("li.card").filter(has=page.get_by_role("link", name=exercise_name, exact=True))
    card.get_by_text("Change the dosage or remove").click()
    card.get_by_label(field_label, exact=True).fill(value)
    card.locator("form.dosage-form").get_by_label("Reason").fill(reason)
    card.get_by_role("button", name="Save the change").click()


def test_physio_assigns_edits_compares_and_prints_and_the_patient_sees_why(live_server, browser, new_patient):
    physio_context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = physio_context.new_page()
    sign_in(page, live_server, "physio@demo.test")
    page.get_by_role("link", name="My patients").first.click()
    page.get_by_role("link", name="Plan of Jamie Rivers").click()

    page.get_by_label("Start from the template").select_option(label="Stage 1: settle and protect")
    page.get_by_role("button", name="Assign the plan").click()
    expect(page.get_by_text("Stage 1: settle and protect plan assigned to Jamie Rivers.")).to_be_visible()

    # Keyboard only: move the third exercise up, and the focus stays on the control.
    third = page.locator("li.card").nth(2)
    third_name = third.locator("h2 a").inner_text()
    third.get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    expect(page.locator("li.card").nth(1).locator("h2 a")).to_have_text(third_name)
    expect(page.get_by_text("Saved as revision 2")).to_be_visible()
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.startswith("Move up") and third_name in focused

    change_dosage(page, "Isometric bridge hold", "Hold (seconds)", "30", "Start with shorter holds")
    expect(page.get_by_text("Saved as revision 3")).to_be_visible()

    # The library search with filters, then the new exercise's dosage on its grid with the seeded reason.
    search_and_add(
        page,
        exercise="Good morning",
        filters={
            "Stage": "Stage 3: load in more hip flexion",
            "Compression (hip flexion)": "High hip flexion",
        },
    )
    expect(page.get_by_text("Saved as revision 4")).to_be_visible()
    assert "stage=3" in page.url and "compression=high" in page.url, "the search is in the address"
    card = page.locator("li.card").filter(has=page.get_by_role("link", name="Good morning", exact=True))
    card.get_by_text("Change the dosage or remove").click()
    dosage = card.locator("form.dosage-form")
    reason = dosage.get_by_label("Reason")
    expect(reason).to_have_value("Progressed load: pain ≤ 3 after sessions")
    sets, reps = dosage.get_by_label("Sets*", exact=True), dosage.get_by_label("Reps", exact=True)
    hold, rest = dosage.get_by_label("Hold (seconds)"), dosage.get_by_label("Rest (seconds)*")
    tops = [box.bounding_box()["y"] for box in (sets, reps, hold, rest)]
    assert max(tops) - min(tops) < 2, "sets, reps, hold and rest share one row at 1280 px"
    sets.fill("2")
    expect(reason).to_have_value("Reduced the load to let the pain settle")  # follows the change
    reps.fill("8")
    dosage.get_by_label("Load").fill("Broom handle only")
    assert not axe_violations(page), axe_violations(page)
    dosage.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text("Saved as revision 5")).to_be_visible()

    # A phone: the grid in two columns, the search and an addition, nothing wider than the screen.
    page.set_viewport_size({"width": 375, "height": 740})
    # The search kept its filters through the dosage change; clear them and search by name.
    filters = {"Stage": "Any stage", "Compression (hip flexion)": "Any", "Body position": "Kneeling"}
    search_and_add(page, exercise="Nordic hamstring curl", words="nordic", filters=filters)
    expect(page.get_by_text("Saved as revision 6")).to_be_visible()
    card = page.locator("li.card").filter(
        has=page.get_by_role("link", name="Nordic hamstring curl", exact=True)
    )
    card.get_by_text("Change the dosage or remove").click()
    dosage = card.locator("form.dosage-form")
    sets, reps = dosage.get_by_label("Sets*", exact=True), dosage.get_by_label("Reps", exact=True)
    hold = dosage.get_by_label("Hold (seconds)")
    assert sets.bounding_box()["y"] == reps.bounding_box()["y"] < hold.bounding_box()["y"], "two to a row"
    assert_fits_width(page)
    assert not axe_violations(page), axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    change_dosage(page, "Bridge", "Sets*", "2", "Two sets while the pain settles")
    expect(page.get_by_text("Saved as revision 7")).to_be_visible()
    assert page.url.split("?")[0].endswith("/plan/"), "the edits happened in place, without leaving the page"
    plan = RehabPlan.objects.get(patient=new_patient)
    reasons = dict(plan.revisions.values_list("number", "reason"))
    assert reasons[4] == reasons[6] == "Next step to build on your progress"
    assert reasons[5] == "Reduced the load to let the pain settle"

    page.get_by_role("link", name="History and differences").click()
    page.get_by_label("Compare revision").select_option("2")
    page.get_by_label("with revision").select_option("7")
    page.get_by_role("button", name="Show the differences").click()
    diff = page.locator(".plan-diff")
    expect(diff).to_contain_text("Isometric bridge hold: hold (s) 45 → 30")
    expect(diff).to_contain_text("Bridge: sets 3 → 2")
    expect(diff).to_contain_text("Added Good morning 2 × 8")
    expect(diff).not_to_contain_text("Order changed")

    page.goto(f"{live_server.url}/rehab/plans/{plan.public_id}/print/")
    page.emulate_media(media="print")
    expect(page.locator("header")).to_be_hidden()
    expect(page.locator(".exercise-card").first).to_be_visible()
    assert len(page.pdf()) > 10_000
    physio_context.close()

    patient_context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = patient_context.new_page()
    sign_in(phone, live_server, "jamie@example.test", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/rehab/my-plan/")
    expect(phone.get_by_role("heading", name="Stage 1: settle and protect")).to_be_visible()
    last_change = phone.get_by_role("region", name="What changed last")
    expect(last_change).to_contain_text("Bridge: sets 3 → 2")
    expect(last_change).to_contain_text("Two sets while the pain settles")
    bridge_hold = phone.locator(".exercise-card").filter(has_text="Isometric bridge hold").first
    expect(bridge_hold).to_contain_text(re.compile(r"\d+ × 30 s hold"))
    assert_fits_width(phone)
    patient_context.close()
