"""Done when: a signed-in patient answers a red flag in the self-check, Today holds the plan and says what to
do, the physio reviews it and releases the plan with a note, and the patient reads the note and exercises
again. Every page on the way passes axe."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.conftest import assert_fits_width, sign_in
from tests.e2e.test_accessibility import violations_on
from tests.e2e.test_conditions import EXERCISE_WORDS, answer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_red_flag_holds_the_plan_until_the_physio_releases_it(live_server, browser, demo_data):
    patient = User.objects.get(email="patient@demo.test")
    plan_path = f"/rehab/patients/{patient.patient_profile.public_id}/plan/"

    phone = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    ).new_page()
    sign_in(phone, live_server, "patient@demo.test")
    phone.get_by_role("link", name="Symptom self-check").click()
    answer(phone, red_flag="calf_clot")
    expect(phone.get_by_role("heading", name="Get seen today")).to_be_visible()
    expect(phone.get_by_text("Your care team has been told")).to_be_visible()

    phone.goto(f"{live_server.url}/rehab/today/")
    expect(phone.get_by_role("heading", name="Get seen today")).to_be_visible()
    expect(phone.get_by_role("heading", name="Your exercises are on hold")).to_be_visible()
    expect(phone.get_by_text("Calf swelling or tenderness")).to_be_visible()
    expect(phone.get_by_role("button", name="All done")).to_have_count(0)
    advice = phone.locator(".alert-danger").inner_text().lower()
    assert not [word for word in EXERCISE_WORDS if word in advice]
    assert_fits_width(phone)
    assert not violations_on(phone, live_server.url, ["/rehab/today/", "/rehab/my-plan/"])

    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(desk, live_server, "physio@demo.test")
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Needs attention").click()
    expect(
        desk.get_by_text(re.compile("Red flags answered yes .*Calf swelling or tenderness"))
    ).to_be_visible()
    desk.goto(live_server.url + plan_path)
    hold = desk.get_by_role("region", name="On hold: red flags reported")
    expect(hold).to_contain_text("Calf swelling or tenderness")
    assert not violations_on(desk, live_server.url, [plan_path])

    hold = desk.get_by_role("region", name="On hold: red flags reported")
    hold.get_by_role("button", name="Release the plan").click()
    expect(desk.get_by_text("Write a note for the patient")).to_be_visible()
    desk.get_by_label("Note to the patient").fill("Scanned at the clinic today: no clot. Back to your plan.")
    desk.get_by_role("button", name="Release the plan").click()
    expect(desk.get_by_text("Plan released.")).to_be_visible()
    expect(desk.get_by_role("region", name="On hold: red flags reported")).to_have_count(0)
    expect(desk.get_by_text(re.compile("Released from the red-flag hold"))).to_be_visible()

    phone.goto(f"{live_server.url}/rehab/today/")
    released = phone.get_by_role("status", name="Your exercises are back on")
    expect(released).to_contain_text("Scanned at the clinic today: no clot.")
    expect(phone.get_by_role("heading", name="Your exercises are on hold")).to_have_count(0)
