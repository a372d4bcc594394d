import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.audit import client_ip
from accounts.models import AuditEvent
from tests.factories import NoteFactory


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded", "expected"),
    [
        (True, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the proxy appends the real address last
        (True, "not-an-ip", "10.0.0.1"),
        (True, "", "10.0.0.1"),
        (False, "198.51.100.7", "10.0.0.1"),  # without our proxy the header is the client's own words
    ],
)
def test_the_audit_address_is_the_one_our_proxy_saw(settings, behind_proxy, forwarded, expected):
    settings.BEHIND_TLS_PROXY = behind_proxy
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_a_malformed_forwarded_header_cannot_break_an_audited_page(client, settings, admin_user):
    settings.BEHIND_TLS_PROXY = True
    note = NoteFactory()
    client.force_login(admin_user)
    response = client.get(
        reverse("careteam:patient_detail", args=[note.patient.patient_profile.public_id]),
        HTTP_X_FORWARDED_FOR="not-an-ip",
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(actor=admin_user, patient=note.patient).exists()


@pytest.mark.django_db
def test_an_admin_reading_patient_records_in_the_admin_site_is_audited(client, admin_user):
    note = NoteFactory()
    client.force_login(admin_user)
    assert client.get(reverse("admin:careteam_note_change", args=[note.pk])).status_code == 200
    assert client.get(reverse("admin:careteam_note_changelist")).status_code == 200
    actions = set(
        AuditEvent.objects.filter(actor=admin_user, patient=note.patient).values_list("action", flat=True)
    )
    assert actions == {"admin.note.view", "admin.note.list"}
