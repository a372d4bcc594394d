"""Playwright driving the system Chromium against pytest-django's live server. Nothing leaves localhost."""

import os
import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.two_factor import authenticator_for, two_factor_required
from tests.e2e.chromium import CHROMIUM_ARGS

LOCAL_HOSTS = {"localhost", "127.0.0.1"}


@pytest.fixture(scope="module")
def browser(django_db_setup):
    """One Chromium per test module. While it runs, Playwright's sync API keeps an event loop in this thread,
    so Django's guard against ORM calls from async code is lifted until the browser is closed."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                headless=True,
                args=CHROMIUM_ARGS,
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _only_localhost(route):
    if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", _only_localhost)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A phone-sized screen, 375 px wide, with touch."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    context.route("**/*", _only_localhost)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_data(settings):
    """What `make run` shows: the demo accounts, teams, articles and plans."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def assert_fits_width(page) -> None:
    """Nothing on the page pans sideways beyond its viewport, measured once its stylesheets have applied
    (before they have, a table or a long line is as wide as its text)."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def sign_in(page, live_server, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the pages, the second factor included for staff (and patients who turned it on)."""
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    user = User.objects.get(email__iexact=email)
    # Made before the password step, so that staff made by a factory have a device to verify with (without
    # one they would be sent to set one up).
    code = fresh_backup_code(user) if two_factor_required(user) else None
    page.get_by_role("button", name="Sign in").click()
    if code is not None:
        page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Continue").click()
    # Home, or Today for a patient with an active plan (home sends them there).
    page.wait_for_url(lambda url: url in (f"{live_server.url}/", f"{live_server.url}/rehab/today/"))


def fresh_backup_code(user: User) -> str:
    """A new one-time backup code for `user`, who gets an authenticator first if they have none. Unlike an app
    code, which works once per 30-second step, a fresh backup code always works, however quickly tests sign in
    one after another."""
    if authenticator_for(user) is None:
        TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Backup codes", "confirmed": True}
    )
    return StaticToken.objects.create(device=device, token=StaticToken.random_token()).token
