"""axe-core (the copy shipped inside axe-playwright-python) over the pages of the three journeys.

Every WCAG 2.1 A and AA rule must pass on every page, for the public, the patient and the clinician, at
desktop and phone widths.
"""

import pytest

from accounts.models import User
from rehab.models import RehabPlan
from tests.e2e.axe import axe_violations
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/accounts/sign-in/",
    "/accounts/password/reset/",
    "/conditions/",
    "/conditions/?q=sitting",
    "/conditions/hamstring-tendinopathy/",
    "/conditions/sciatica/",
    "/conditions/hamstring-tendinopathy/check/",
]
PATIENT_PAGES = [
    "/rehab/today/",
    "/rehab/today/flare-up/",
    "/rehab/my-plan/",
    "/rehab/progress/",
    "/rehab/outcomes/",
    "/rehab/outcomes/visa-h/",
    "/care/team/",
    "/accounts/details/",
    "/accounts/password/",
    "/reminders/my-reminders/",
    "/reminders/notifications/",
]


def clinician_pages() -> list[str]:
    patient = User.objects.get(email="patient@demo.test")
    patient_id = patient.patient_profile.public_id
    plan = RehabPlan.objects.get(patient=patient, status="active")
    return [
        "/",
        "/rehab/patients/",
        f"/rehab/patients/{patient_id}/plan/",
        f"/rehab/patients/{patient_id}/progress/",
        f"/rehab/plans/{plan.public_id}/history/?from=1&to=3",
        f"/rehab/plans/{plan.public_id}/print/",
        "/rehab/pain-rules/",
        f"/care/patients/{patient_id}/",
        f"/care/patients/{patient_id}/timeline/",
        f"/care/patients/{patient_id}/notes/new/",
        f"/reminders/patients/{patient_id}/suggest/",
        "/care/alerts/",
        "/reminders/notifications/",
    ]


def violations_on(page, base_url: str, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        found += axe_violations(page, where=path)
    return found


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_public_pages_pass_wcag_aa(live_server, demo_data, screen, request):
    page = request.getfixturevalue(screen)
    found = violations_on(page, live_server.url, PUBLIC_PAGES)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_patient_pages_pass_wcag_aa(live_server, demo_data, screen, request):
    page = request.getfixturevalue(screen)
    sign_in(page, live_server, "patient@demo.test")
    found = violations_on(page, live_server.url, PATIENT_PAGES)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_clinician_pages_pass_wcag_aa(live_server, demo_data, screen, request):
    page = request.getfixturevalue(screen)
    sign_in(page, live_server, "physio@demo.test")
    found = violations_on(page, live_server.url, clinician_pages())
    assert not found, "\n".join(found)
