import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_patient_home_shows_their_profile_and_no_administration(client, patient):
    client.force_login(patient)
    page = client.get(reverse("home")).content.decode()
    assert patient.email in page
    assert patient.patient_profile.sport_or_occupation in page
    assert "Affected side" in page
    assert reverse("admin:index") not in page


def test_clinician_home_shows_their_discipline_and_registration(client, clinician):
    client.force_login(clinician)
    page = client.get(reverse("home")).content.decode()
    assert "Physiotherapy" in page
    assert clinician.clinician_profile.registration_number in page
    assert "Affected side" not in page


def test_admin_navigation_leads_to_the_admin_site(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("admin:index")}"' in page
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_patients_are_kept_out_of_the_admin_site(client, patient):
    client.force_login(patient)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_every_page_has_a_skip_link_the_disclaimer_and_no_inline_script(client, patient):
    client.force_login(patient)
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert 'href="#main"' in page and 'id="main"' in page
    assert "it is not medical advice" in page
    assert "<script>" not in page and "style=" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def _main_navigation(page: str) -> str:
    start = page.index('aria-label="Main"')
    return page[start : page.index("</nav>", start)]


def test_a_patient_has_one_menu_entry_for_today_and_one_for_questionnaires(client, patient):
    client.force_login(patient)
    navigation = _main_navigation(client.get(reverse("rehab:today")).content.decode())
    assert f'href="{reverse("rehab:today")}"' in navigation
    assert ">Home<" not in navigation
    assert f'href="{reverse("rehab:my_outcomes")}"' in navigation
    assert ">Questionnaires<" in navigation


def test_clinicians_keep_home_and_get_no_patient_entries(client, clinician):
    client.force_login(clinician)
    navigation = _main_navigation(client.get(reverse("home")).content.decode())
    assert ">Home<" in navigation
    assert ">Today<" not in navigation and ">Questionnaires<" not in navigation
