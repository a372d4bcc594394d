"""My patients: 25 a page, searched, filtered and sorted, with every page link keeping the choices."""

import re

import pytest
from django.urls import reverse

from careteam.models import CareTeamMembership
from rehab.access import PATIENTS_PER_PAGE
from tests.factories import AlertFactory, ClinicianFactory, PatientFactory

pytestmark = pytest.mark.django_db

URL = "/rehab/patients/"


@pytest.fixture
def caseload(library, condition):
    """A physio with 30 patients, Patient00 to Patient29, the last of them with an open alert."""
    physio = ClinicianFactory()
    patients = [PatientFactory(first_name="Sam", last_name=f"Patient{n:02d}") for n in range(30)]
    for patient in patients:
        CareTeamMembership.objects.create(
            patient=patient, clinician=physio, discipline="physiotherapy", role="lead"
        )
    AlertFactory(patient=patients[-1])
    return physio, patients


def names(response) -> list[str]:
    """The patients' names in the order of the rows (each row names its patient more than once)."""
    return list(dict.fromkeys(re.findall(r"Patient\d\d", response.content.decode())))


def test_the_list_shows_25_patients_a_page(client, caseload):
    physio, _ = caseload
    client.force_login(physio)
    first = client.get(URL)
    assert PATIENTS_PER_PAGE == 25
    assert names(first) == [f"Patient{n:02d}" for n in range(25)]
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(URL, {"page": "2"})
    assert names(second) == [f"Patient{n:02d}" for n in range(25, 30)]


def test_page_links_keep_the_search_the_filters_and_the_sort(client, caseload):
    physio, _ = caseload
    client.force_login(physio)
    page = client.get(URL, {"q": "Sam", "sort": "attention"}).content.decode()
    link = re.search(r'<a class="page-link" href="([^"]+)">Next</a>', page).group(1).replace("&amp;", "&")
    assert "q=Sam" in link and "sort=attention" in link and "page=2" in link
    # Sorted by attention, Patient29 (open alert) led page 1, so page 2 goes on from Patient24.
    assert names(client.get(URL + link)) == [f"Patient{n:02d}" for n in range(24, 29)]


def test_sorting_by_attention_puts_the_patient_with_an_open_alert_first(client, caseload):
    physio, _ = caseload
    client.force_login(physio)
    assert names(client.get(URL, {"sort": "attention"}))[0] == "Patient29"


def test_an_unknown_sort_falls_back_to_the_name(client, caseload):
    physio, _ = caseload
    client.force_login(physio)
    assert names(client.get(URL, {"sort": "password"}))[0] == "Patient00"


@pytest.mark.parametrize(
    "asked, shown", [("99", 2), ("0", 2), ("-1", 2), ("abc", 1), ("1.5", 1), ("9" * 40, 2)]
)
def test_a_page_that_does_not_exist_shows_the_nearest_one_and_says_so(client, caseload, asked, shown):
    physio, _ = caseload
    client.force_login(physio)
    response = client.get(URL, {"page": asked})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Page {shown} of 2" in page
    assert "There is no page" in page and "this is page" in page


def test_a_patient_is_never_listed_to_a_clinician_outside_the_team(client, caseload):
    client.force_login(ClinicianFactory())
    response = client.get(reverse("rehab:patient_list"))
    assert names(response) == []
