import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from careteam.models import Note

pytestmark = pytest.mark.django_db


def test_a_clinician_opening_a_record_is_audited_with_who_what_whom_when_and_where(client, world):
    client.force_login(world.lead)
    client.get(reverse("careteam:patient_detail", args=[world.patient_id]), REMOTE_ADDR="203.0.113.9")
    event = AuditEvent.objects.get(patient__isnull=False)
    assert (event.actor, event.action, event.patient) == (world.lead, "patient.view", world.patient)
    assert event.ip == "203.0.113.9" and event.at is not None


def test_an_admin_reading_a_record_is_audited_too(client, world):
    client.force_login(world.admin)
    client.get(reverse("careteam:timeline", args=[world.patient_id]))
    assert AuditEvent.objects.filter(
        actor=world.admin, action="timeline.view", patient=world.patient
    ).exists()


def test_writing_a_note_is_audited_with_the_note_named(client, world):
    client.force_login(world.lead)
    client.post(
        reverse("careteam:note_create", args=[world.patient_id]), {"visibility": "team", "plan": "Rest"}
    )
    note = Note.objects.get(plan="Rest")
    event = AuditEvent.objects.get(action="note.create")
    assert event.patient == world.patient
    assert (event.object_type, event.object_id) == ("careteam.Note", str(note.public_id))


def test_the_patient_viewing_their_own_team_is_not_audited(client, world):
    client.force_login(world.patient)
    assert client.get(reverse("careteam:my_team")).status_code == 200
    assert not AuditEvent.objects.filter(patient__isnull=False).exists()


def test_refused_requests_write_no_audit_rows(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("careteam:patient_detail", args=[world.patient_id])).status_code == 404
    assert not AuditEvent.objects.filter(patient=world.patient).exists()


def test_lists_of_patients_audit_each_patient_shown(client, world):
    client.force_login(world.lead)
    client.get(reverse("careteam:alert_list"))
    client.get(reverse("rehab:patient_list"))
    actions = set(AuditEvent.objects.filter(patient=world.patient).values_list("action", flat=True))
    assert actions == {"alert_inbox.view", "patient_list.view"}


def test_the_audit_log_is_read_only_in_the_admin(client, world):
    client.force_login(world.lead)
    client.get(reverse("careteam:patient_detail", args=[world.patient_id]))
    event = AuditEvent.objects.get(action="patient.view")
    client.force_login(world.admin)
    changelist = client.get(reverse("admin:accounts_auditevent_changelist"), {"action": "patient.view"})
    assert changelist.status_code == 200 and "patient.view" in changelist.content.decode()
    assert (
        client.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
