"""Done when: the demo patient does today's exercises on a phone, logs pain 6 and is told to ease off; the
physio sees the alert, the charts and the readiness checklist."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.conftest import assert_fits_width, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def choose(page, field_id: str, score: int) -> None:
    """Tap a number on a 0-10 scale (a label drawn as a button over a visually hidden radio button)."""
    page.locator(f"label[for='{field_id}-{score}']").click()
    expect(page.locator(f"#{field_id}-{score}")).to_be_checked()


def test_the_patient_logs_today_on_a_phone_and_the_physio_sees_it(live_server, browser, demo_data):
    phone_context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    phone = phone_context.new_page()
    sign_in(phone, live_server, "patient@demo.test")
    expect(phone).to_have_url(f"{live_server.url}/rehab/today/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Today")

    # Yesterday's session was logged, so this morning's check-in comes first.
    check_in = phone.locator("#check-in")
    choose(check_in, "check-in-pain_on_waking", 0)
    choose(check_in, "check-in-load_test_pain", 1)
    check_in.get_by_role("button", name="Save this morning's check-in").click()
    expect(phone.locator("#check-in-result")).to_contain_text("On track")

    now = phone.locator("#now")
    expect(now.get_by_role("link", name=re.compile("How to")).first).to_be_visible()
    now.get_by_role("button", name="All done").click()
    expect(phone.get_by_text("Now say how it went")).to_be_visible()

    rate = phone.locator("#rate")
    choose(rate, "rate-pain_during", 6)
    choose(rate, "rate-pain_after", 4)
    choose(rate, "rate-effort", 7)
    rate.get_by_label("Anything to add?").fill("Sat in the car for two hours first.")
    rate.get_by_role("button", name="Save how it went").click()

    suggestion = phone.locator("#suggestion")
    expect(suggestion).to_contain_text("Ease off")
    expect(suggestion).to_contain_text("Your pain reached 6/10")
    expect(phone.get_by_role("heading", name="Done today")).to_be_visible()
    assert_fits_width(phone)
    phone_context.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(desk, live_server, "physio@demo.test")
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Needs attention").click()
    expect(desk.get_by_text(re.compile("session of .*Pain during 6/10, after 4/10"))).to_be_visible()

    patient_id = User.objects.get(email="patient@demo.test").patient_profile.public_id
    desk.goto(f"{live_server.url}/rehab/patients/{patient_id}/plan/")
    readiness = desk.get_by_role("region", name="Ready for stage 3?")
    expect(readiness).to_contain_text("Pain during exercise 3/10 or less in every session")
    expect(readiness).to_contain_text("Highest 6/10")  # today's session counts against it
    expect(readiness.get_by_role("button", name="Approve the move to stage 3")).to_be_visible()

    desk.get_by_role("link", name="Progress charts: pain, adherence, VISA-H and PSFS").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Progress of Alex Morgan")
    for name in ("Pain over time", "Sessions done each week", "VISA-H score"):
        expect(desk.get_by_role("heading", name=name)).to_be_visible()
    assert desk.locator("svg[role=img]").count() == 4
    desk.get_by_text("Pain over time: the figures as a table").click()
    expect(desk.locator("table caption").first).to_have_text("Daily pain out of 10 (the highest of the day)")
    desk.context.close()
