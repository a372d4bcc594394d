import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, PatientFactory

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")


def test_patient_signs_in_with_their_email_in_any_case(client, patient):
    response = client.post(SIGN_IN, {"username": patient.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == patient


def test_wrong_password_is_refused_with_a_message_and_a_400(client, patient):
    response = client.post(SIGN_IN, {"username": patient.email, "password": "not-the-password"})
    assert response.status_code == 400
    assert "Please enter a correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_cannot_sign_in(client):
    user = PatientFactory(is_active=False)
    response = client.post(SIGN_IN, {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("accounts:details"))
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/accounts/details/"


def test_sign_out_needs_a_post_and_ends_the_session(client, patient):
    client.force_login(patient)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:details")).status_code == 302


def test_password_change_needs_the_old_password(client, patient):
    client.force_login(patient)
    url = reverse("accounts:password_change")
    refused = client.post(
        url,
        {"old_password": "wrong", "new_password1": "n3w-secret-phrase", "new_password2": "n3w-secret-phrase"},
    )
    assert refused.status_code == 400
    patient.refresh_from_db()
    assert patient.check_password(TEST_PASSWORD)
    accepted = client.post(
        url,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "n3w-secret-phrase",
            "new_password2": "n3w-secret-phrase",
        },
    )
    assert accepted["Location"] == reverse("accounts:password_change_done")
    patient.refresh_from_db()
    assert patient.check_password("n3w-secret-phrase")


def _reset_link_from_outbox() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_password_reset_works_end_to_end_through_the_email_outbox(client, patient):
    response = client.post(reverse("accounts:password_reset"), {"email": patient.email.upper()})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox[0].to == [patient.email]
    assert mail.outbox[0].subject == "Reset your password for the hamstring rehab portal"

    link = _reset_link_from_outbox()
    set_password_page = client.get(link, follow=True)
    assert set_password_page.context["validlink"] is True
    form_url = set_password_page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": "brand-new-phrase-42", "new_password2": "brand-new-phrase-42"}
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")

    client.logout()
    signed_in = client.post(SIGN_IN, {"username": patient.email, "password": "brand-new-phrase-42"})
    assert signed_in.status_code == 302


def test_a_reset_link_works_only_once(client, patient):
    client.post(reverse("accounts:password_reset"), {"email": patient.email})
    link = _reset_link_from_outbox()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "brand-new-phrase-42", "new_password2": "brand-new-phrase-42"})
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "This link no longer works" in again.content.decode()


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_refuses_a_malformed_address_with_a_400(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "not an email"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_patient_updates_their_details_and_time_zone(client, patient):
    client.force_login(patient)
    response = client.post(
        reverse("accounts:details"),
        {
            "first_name": "Robin",
            "last_name": "Hill",
            "time_zone": "America/New_York",
            "sport_or_occupation": "Football",
            "goals": "Play a full match",
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.first_name, patient.time_zone) == ("Robin", "America/New_York")
    assert patient.patient_profile.goals == "Play a full match"


def test_details_with_an_unknown_time_zone_are_refused_and_nothing_is_saved(client, patient):
    client.force_login(patient)
    before = (patient.first_name, patient.time_zone)
    response = client.post(
        reverse("accounts:details"),
        {
            "first_name": "Changed",
            "last_name": "Hill",
            "time_zone": "Atlantis/Capital",
            "sport_or_occupation": "",
            "goals": "",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    patient.refresh_from_db()
    assert (patient.first_name, patient.time_zone) == before


def test_a_patient_changing_their_details_is_audited_as_a_write_to_their_record(client, patient):
    from accounts.models import AuditEvent

    client.force_login(patient)
    details = {"first_name": "Robin", "last_name": "Hill", "time_zone": "Europe/London"}
    client.post(
        reverse("accounts:details"),
        {**details, "sport_or_occupation": "", "goals": "Sit through a film"},
        REMOTE_ADDR="192.0.2.10",
    )
    event = AuditEvent.objects.get(action="patient.details.update")
    assert (event.actor, event.patient, event.ip) == (patient, patient, "192.0.2.10")
