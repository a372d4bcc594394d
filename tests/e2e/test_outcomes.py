"""The questionnaires in a real browser: every page passes axe, each 0-10 item's direction and anchors are
read out with its radio group, and a later PSFS keeps the earlier activities.

Built from factories rather than the demo data, so that a patient with one earlier PSFS is all there is.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rehab import outcomes
from rehab.models import OutcomeMeasure
from rehab.outcome_forms import HIGHER_IS_BETTER
from rehab.services.outcomes import outcome_record
from tests.e2e.axe import axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, PatientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EARLIER = ["Sitting through a meeting", "Running 5 km", "Driving for an hour"]
PAGES = [
    "/rehab/outcomes/",
    "/rehab/outcomes/visa-h/",
    "/rehab/outcomes/psfs/",
    "/rehab/outcomes/pain-rating/",
]


@pytest.fixture
def patient_with_a_psfs(db):
    patient = PatientFactory()
    outcome_record(
        patient=patient,
        kind="psfs",
        answers={"activities": [(name, 4) for name in EARLIER]},
        now=timezone.now() - datetime.timedelta(days=14),
    )
    return patient


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_the_questionnaire_pages_pass_wcag_aa(live_server, patient_with_a_psfs, screen, request):
    page = request.getfixturevalue(screen)
    sign_in(page, live_server, patient_with_a_psfs.email, TEST_PASSWORD)
    found = []
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        found += axe_violations(page, where=path)
    assert not found, "\n".join(found)


def test_each_visa_h_item_is_read_out_with_its_direction_and_anchors(live_server, patient_with_a_psfs, page):
    sign_in(page, live_server, patient_with_a_psfs.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/rehab/outcomes/visa-h/")
    for number, item in enumerate(outcomes.VISA_H_SCALE_ITEMS, start=1):
        group = page.get_by_role("group", name=f"{number}. {item.text}", exact=True)
        expect(group).to_have_accessible_description(f"{HIGHER_IS_BETTER} 0 = {item.low} 10 = {item.high}")
        expect(group.get_by_role("radio", name=f"{number}. {item.text}: 0 = {item.low}")).to_have_count(1)
        expect(group.get_by_role("radio", name=f"{number}. {item.text}: 10 = {item.high}")).to_have_count(1)


def test_a_later_psfs_rates_the_same_activities_again_and_adds_one(live_server, patient_with_a_psfs, phone):
    sign_in(phone, live_server, patient_with_a_psfs.email, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/rehab/outcomes/psfs/")
    for n, name in enumerate(EARLIER, start=1):
        row = phone.get_by_role("group", name=f"Activity {n}: {name}", exact=True)
        expect(row.get_by_role("textbox")).to_have_count(0)
        row.locator(f"label[for='psfs-rating_{n}-6']").click()
    new = phone.get_by_role("group", name="Activity 4 (optional)", exact=True)
    new.get_by_label("What is the activity?").fill("Climbing stairs")
    new.locator("label[for='psfs-rating_4-3']").click()
    phone.get_by_role("button", name="Save my answers").click()
    expect(phone.get_by_text("Thank you. Your Patient-Specific Functional Scale score: 5.3.")).to_be_visible()
    latest = OutcomeMeasure.objects.filter(kind="psfs").order_by("-taken_on").first()
    assert [row["activity"] for row in latest.answers["activities"]] == [*EARLIER, "Climbing stairs"]
