import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from conditions.red_flags import RED_FLAG_CODES
from tests.e2e.conftest import assert_fits_width

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXERCISE_WORDS = [
    "exercise",
    "strength",
    "stretch",
    "isometric",
    "bridge",
    "squat",
    "lunge",
    "deadlift",
    "loading",
]


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def sign_in(page, base_url):
    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Email address").fill("patient@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")  # home sends a patient with a plan


def answer(page, *, red_flag: str = "", impact: str = "after_exercise"):
    """Answer every question of the self-check: `red_flag` (a code) yes, the other flags no."""
    for code in RED_FLAG_CODES:
        page.locator(f'input[name="{code}"][value="{"yes" if code == red_flag else "no"}"]').check()
    page.locator('input[name="pain_location"][value="sitting_bone"]').check()
    page.locator('input[name="sudden_start"][value="no"]').check()
    page.locator('input[name="aggravators"][value="running"]').check()
    page.locator('input[name="duration"][value="2_to_6_weeks"]').check()
    page.locator(f'input[name="impact"][value="{impact}"]').check()
    page.get_by_role("button", name="See my result").click()


def test_the_article_fits_a_phone_and_its_contents_links_jump(live_server, phone, demo_data):
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="About your condition").click()
    phone.get_by_role("link", name="Proximal hamstring tendinopathy").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Proximal hamstring tendinopathy")
    expect(phone.get_by_role("img", name=re.compile("sitting bone"))).to_be_visible()
    assert_fits_width(phone)

    contents = phone.get_by_role("navigation", name="On this page")
    contents.get_by_role("link", name="Questions people ask").click()
    expect(phone).to_have_url(re.compile(r"#faqs$"))
    expect(phone.get_by_role("heading", name="Questions people ask")).to_be_in_viewport()

    contents.get_by_role("link", name=re.compile("How severe is it")).click()
    expect(phone.locator("#severity table")).to_be_in_viewport()
    phone.get_by_text("Should I use ice or heat?").click()
    expect(phone.get_by_text("Sources disagree.")).to_be_visible()
    assert_fits_width(phone)


def test_signed_out_red_flag_path_says_get_assessed_without_exercise_advice(live_server, phone, demo_data):
    phone.goto(f"{live_server.url}/conditions/hamstring-tendinopathy/check/")
    answer(phone, red_flag="sudden_pop", impact="sport")

    expect(phone.get_by_role("heading", name="Get seen today")).to_be_visible()
    expect(phone.get_by_text("Sudden pain with a pop or snap")).to_be_visible()
    main = phone.locator("main").inner_text().lower()
    assert "information only" in main
    for word in EXERCISE_WORDS:
        assert word not in main, word
    assert_fits_width(phone)


def test_signed_out_mild_path_gives_recovery_and_what_to_do(live_server, phone, demo_data):
    phone.goto(f"{live_server.url}/conditions/hamstring-tendinopathy/check/")
    # The browser itself holds back an empty form (the server's 400 is tested in tests/conditions).
    phone.get_by_role("button", name="See my result").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hamstring symptom self-check")

    answer(phone)

    expect(
        phone.get_by_role("heading", name="Your answers are like those of people with a mild tendinopathy")
    ).to_be_visible()
    expect(phone.get_by_text("6–8 weeks")).to_be_visible()
    expect(phone.get_by_role("heading", name="What to do now")).to_be_visible()
    expect(phone.get_by_text("Information only.")).to_be_visible()
    assert_fits_width(phone)


def test_the_demo_patient_keeps_a_red_flag_and_a_mild_result(live_server, phone, demo_data):
    sign_in(phone, live_server.url)
    phone.get_by_role("link", name="Symptom self-check").click()

    answer(phone, red_flag="numbness_tingling")
    expect(phone).to_have_url(re.compile(r"/conditions/hamstring-tendinopathy/check/[0-9a-f-]{36}/$"))
    expect(phone.get_by_role("heading", name="See a clinician within the next few days")).to_be_visible()
    expect(phone.get_by_text("It is saved to your record.")).to_be_visible()
    main = phone.locator("main").inner_text().lower()
    for word in EXERCISE_WORDS:
        assert word not in main, word
    red_flag_url = phone.url

    phone.get_by_role("link", name="Take the check again").click()
    answer(phone)
    expect(
        phone.get_by_role("heading", name="Your answers are like those of people with a mild tendinopathy")
    ).to_be_visible()
    assert phone.url != red_flag_url
    phone.reload()
    expect(
        phone.get_by_role("heading", name="Your answers are like those of people with a mild tendinopathy")
    ).to_be_visible()

    phone.goto(f"{live_server.url}/conditions/hamstring-tendinopathy/check/")
    expect(phone.get_by_role("heading", name="Your earlier checks")).to_be_visible()
    expect(phone.locator("#earlier-heading + ul li")).to_have_count(2)
    assert_fits_width(phone)


def test_the_article_on_a_desktop_for_the_signed_in_patient(live_server, page, demo_data):
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Conditions", exact=True).click()
    page.get_by_label("Search the condition library").fill("sciatic nerve")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Sciatica")).to_be_visible()
    page.get_by_role("link", name="Sciatica").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sciatica")
    page.get_by_role("link", name="Proximal hamstring tendinopathy").first.click()
    expect(page.get_by_text("Not yet reviewed by a clinician")).to_be_visible()
    page.get_by_role("link", name="Red flags: get assessed promptly").click()
    expect(page.locator("#red-flags")).to_be_in_viewport()
