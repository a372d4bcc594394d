"""Two-factor sign-in in the browser: the demo physio's second step, and axe over the two-factor pages."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from accounts.two_factor import current_code
from tests.e2e.axe import axe_violations
from tests.e2e.conftest import assert_fits_width
from tests.factories import TEST_PASSWORD, ClinicianFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_from_the_demo_secret() -> str:
    """What an authenticator app set up with the README's demo secret shows now."""
    return f"{TOTP(base64.b32decode(DEMO_TOTP_SECRET)).token():06d}"


def password_step(page, base_url: str, email: str, password: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_the_demo_physio_is_asked_for_a_code_and_then_reaches_their_patients(
    live_server, demo_data, screen, request
):
    page = request.getfixturevalue(screen)
    page.goto(f"{live_server.url}/rehab/patients/")
    password_step(page, live_server.url, "physio@demo.test", DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/\?next=/rehab/patients/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the 6-digit code from your authenticator app"
    )
    expect(page.get_by_role("link", name="My patients")).to_have_count(0)  # nothing opens before the code
    assert_fits_width(page)
    found = axe_violations(page)

    page.get_by_label("Code").fill("12")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Enter the 6 digits your authenticator app shows")).to_be_visible()
    found += axe_violations(page)

    page.get_by_label("Code").fill(code_from_the_demo_secret())
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/rehab/patients/")
    expect(page.get_by_role("main").get_by_text("Alex Morgan").first).to_be_visible()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_clinician_sets_up_two_factor_on_accessible_pages(live_server, demo_data, screen, request):
    page = request.getfixturevalue(screen)
    clinician = ClinicianFactory(email="new.physio@example.test")
    page.goto(f"{live_server.url}/accounts/sign-in/")
    password_step(page, live_server.url, clinician.email, TEST_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    qr_code = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate(
        "img => img.complete && img.naturalWidth > 0"
    )  # the CSP lets the data: image load
    found = axe_violations(page)
    secret = page.locator("#secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    page.get_by_label("6-digit code from the app").fill(current_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.locator(".backup-codes li")).to_have_count(10)
    found += axe_violations(page)
    assert_fits_width(page)

    page.get_by_role("link", name="I have saved my backup codes").click()
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/two-factor/")
    expect(page.get_by_text("You have 10 unused backup codes.")).to_be_visible()
    found += axe_violations(page)
    assert not found, "\n".join(found)
