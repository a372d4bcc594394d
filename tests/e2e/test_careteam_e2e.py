import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from careteam import services
from careteam.models import Alert, AlertKind, AlertSeverity
from tests.e2e.conftest import assert_fits_width
from tests.e2e.conftest import sign_in as shared_sign_in
from tests.e2e.test_accessibility import violations_on
from tests.factories import ClinicianFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def sign_in(page, live_server, email, password=DEMO_PASSWORD):
    """The shared sign-in (the second factor included for staff), then the landing page's heading."""
    shared_sign_in(page, live_server, email, password)
    # Home welcomes staff; a patient with an active plan lands on Today.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Welcome|Today"))


def sign_out(page):
    page.context.clear_cookies()


def test_the_physio_writes_a_shared_note_that_the_patient_reads(live_server, page, demo_data):
    sign_in(page, live_server, "physio@demo.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My patients").click()
    page.get_by_role("main").get_by_role("link", name="Record of Alex Morgan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Morgan")

    team = page.get_by_role("region", name="Care team")
    for name in ("Priya Shah", "Tom Baker", "Maria Costa", "Sean O'Neill"):
        expect(team.get_by_text(name)).to_be_visible()
    expect(page.get_by_role("region", name="Referrals").get_by_role("link", name="Nutrition")).to_be_visible()
    expect(page.get_by_text("Pain 6/10 the morning after Saturday's session")).to_be_visible()
    expect(page.locator("article.care-note")).to_have_count(6)

    page.get_by_role("link", name="Write a note").click()
    page.get_by_label("Shared with the patient").check()
    page.get_by_label("Subjective").fill("Sat through a two-hour meeting without pain.")
    page.get_by_label("Plan").fill("Keep the **bridges** three times a week.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("Your note is saved.")).to_be_visible()
    expect(page.get_by_text("Sat through a two-hour meeting without pain.")).to_be_visible()

    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeline of Alex Morgan")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Needs attention").click()
    expect(page.get_by_role("heading", name=re.compile("Pain over threshold"))).to_be_visible()

    sign_out(page)
    sign_in(page, live_server, "patient@demo.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My care team").click()
    expect(page.get_by_text("Sat through a two-hour meeting without pain.")).to_be_visible()
    expect(page.get_by_text("Leads your care")).to_be_visible()
    expect(page.get_by_text("Fear of movement score")).to_have_count(0)  # a team-only note


def test_the_chiropractor_sees_the_patient_and_an_outsider_gets_404_everywhere(live_server, page, demo_data):
    patient_id = User.objects.get(email="patient@demo.test").patient_profile.public_id
    sign_in(page, live_server, "chiro@demo.test")
    page.goto(f"{live_server.url}/care/patients/{patient_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Morgan")

    outsider = ClinicianFactory(email="outsider@example.test", password=DEMO_PASSWORD)
    sign_out(page)
    sign_in(page, live_server, outsider.email)
    for path in ("", "timeline/", "notes/new/", "referrals/new/", "team/"):
        response = page.goto(f"{live_server.url}/care/patients/{patient_id}/{path}")
        assert response is not None and response.status == 404, path


def test_the_patient_team_page_fits_a_phone(live_server, phone, demo_data):
    sign_in(phone, live_server, "patient@demo.test")
    phone.goto(f"{live_server.url}/care/team/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("My care team")
    assert_fits_width(phone)


def test_the_patient_page_fits_a_phone(live_server, phone, demo_data):
    patient_id = User.objects.get(email="patient@demo.test").patient_profile.public_id
    sign_in(phone, live_server, "physio@demo.test")
    phone.goto(f"{live_server.url}/care/patients/{patient_id}/")
    assert_fits_width(phone)


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_the_physio_moves_between_the_record_the_plan_builder_and_progress(
    live_server, demo_data, request, screen
):
    tab = request.getfixturevalue(screen)
    patient_id = User.objects.get(email="patient@demo.test").patient_profile.public_id
    sign_in(tab, live_server, "physio@demo.test")
    tab.goto(f"{live_server.url}/care/patients/{patient_id}/")
    plan = tab.get_by_role("region", name="Rehab plan")
    expect(plan.get_by_text(re.compile(r"Stage \d"))).to_be_visible()

    plan.get_by_role("link", name="Open the plan builder").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Rehab plan of Alex Morgan")
    tab.goto(f"{live_server.url}/care/patients/{patient_id}/")
    tab.get_by_role("region", name="Rehab plan").get_by_role("link", name="Progress charts").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Progress of Alex Morgan")

    tab.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Alex Morgan").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Alex Morgan")
    tab.get_by_role("region", name="Rehab plan").get_by_role("link", name="Open the plan builder").click()
    tab.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Alex Morgan").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Alex Morgan")
    assert_fits_width(tab)


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_the_physio_acknowledges_two_alerts_at_once_without_typing(live_server, demo_data, request, screen):
    tab = request.getfixturevalue(screen)
    patient = User.objects.get(email="patient@demo.test")
    services.alert_raise(
        patient=patient,
        kind=AlertKind.MISSED_CHECK_INS,
        severity=AlertSeverity.LOW,
        trigger="Two mornings missed",
    )
    sign_in(tab, live_server, "physio@demo.test")
    tab.goto(f"{live_server.url}/care/alerts/")
    assert violations_on(tab, live_server.url, ["/care/alerts/"]) == []

    acknowledged_before = Alert.objects.filter(patient=patient, acknowledged_at__isnull=False).count()
    ticks = tab.get_by_role("checkbox", name=re.compile("Tick to acknowledge with others"))
    expect(ticks).to_have_count(Alert.objects.filter(patient=patient, acknowledged_at=None).count())
    ticks.nth(0).check()
    ticks.nth(1).check()
    tab.get_by_role("button", name="Acknowledge the ticked alerts").click()
    expect(tab.get_by_text("2 alerts acknowledged.")).to_be_visible()
    acknowledged = Alert.objects.filter(patient=patient, acknowledged_at__isnull=False).count()
    assert acknowledged == acknowledged_before + 2
    assert_fits_width(tab)


def test_my_patients_fits_a_phone_with_every_column_in_its_scroller(live_server, phone, demo_data):
    sign_in(phone, live_server, "physio@demo.test")
    phone.goto(f"{live_server.url}/rehab/patients/")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert_fits_width(phone)
    scroller = phone.get_by_role("region", name="Your patients")
    # Every column is reachable: the scroller scrolls sideways to the last one.
    last_header = scroller.locator("thead th").last
    last_header.scroll_into_view_if_needed()
    expect(last_header).to_be_in_viewport()
