import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.e2e.axe import axe_violations
from tests.e2e.conftest import assert_fits_width, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def test_demo_patient_signs_in_and_sees_their_profile(live_server, page, demo_data):
    page.goto(f"{live_server.url}/")  # the landing page for visitors
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill("patient@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/rehab/today/")  # a patient with a plan lands on Today
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    # The link on the page, not the account menu's (hidden until the menu opens, but briefly in the
    # accessibility tree while the stylesheet loads on a busy machine).
    page.get_by_role("main").get_by_role("link", name="My details").click()
    expect(page.get_by_label("Sport or occupation")).to_have_value(re.compile("Club runner"))
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)


def test_wrong_password_in_the_browser_shows_the_error(live_server, page, demo_data):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill("patient@demo.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Please enter a correct email address and password")).to_be_visible()


def test_demo_patient_signs_in_and_out_on_a_phone(live_server, phone, demo_data):
    phone.goto(f"{live_server.url}/accounts/sign-in/")
    phone.get_by_label("Email address").fill("patient@demo.test")
    phone.get_by_label("Password").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Today")

    phone.get_by_role("button", name="Show the menu").click()
    # Bootstrap ignores a click on the dropdown while the menu is still sliding open (class "collapsing").
    expect(phone.locator("#main-nav.show")).to_be_visible()
    phone.get_by_role("button", name="Alex").click()
    phone.get_by_role("button", name="Sign out").click()
    expect(phone).to_have_url(f"{live_server.url}/accounts/sign-in/")
    assert_fits_width(phone)


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_after_a_save_the_focus_is_on_the_message_that_confirms_it(live_server, demo_data, request, screen):
    tab = request.getfixturevalue(screen)
    sign_in(tab, live_server, "patient@demo.test")
    tab.goto(f"{live_server.url}/accounts/details/")
    tab.get_by_label("Sport or occupation").fill("Club runner and hill walker")
    tab.get_by_label("Sport or occupation").press("Enter")
    message = tab.get_by_role("status").filter(has_text="Your details are saved.")
    expect(message).to_be_visible()
    expect(message).to_be_focused()
    # axe over the page as it stands after the save, the focused message included
    assert axe_violations(tab) == []
