"""The doors to patient data audit the staff reads they hand out, and nothing else."""

import pytest
from django.http import Http404

from accounts.audit import AuditContext
from accounts.models import AuditEvent
from careteam import access

pytestmark = pytest.mark.django_db

FROM_THE_WARD = AuditContext(ip="198.51.100.4", user_agent="Ward PC")


def test_a_door_audits_the_staff_read_it_hands_out_with_where_it_came_from(world):
    patient = access.patient_record_for_user(
        world.lead, world.patient_id, audit=FROM_THE_WARD, action="patient.view"
    )
    assert patient == world.patient
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.patient) == (world.lead, "patient.view", world.patient)
    assert (event.ip, event.user_agent) == ("198.51.100.4", "Ward PC")


def test_a_door_names_the_record_it_hands_out(world):
    access.referral_for_user(world.admin, world.referral.public_id, audit=FROM_THE_WARD)
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == (
        "referral.view",
        "careteam.Referral",
        str(world.referral.public_id),
    )


def test_a_door_that_refuses_writes_no_audit_row(world):
    with pytest.raises(Http404):
        access.patient_for_note_writer(world.outsider, world.patient_id, audit=FROM_THE_WARD)
    with pytest.raises(Http404):
        access.patient_for_team_manager(world.member, world.patient_id, audit=FROM_THE_WARD)
    assert not AuditEvent.objects.exists()


def test_the_inbox_audits_each_patient_it_shows_once(world):
    inbox = access.inbox_for_user(world.lead, page=1, per_page=25, audit=FROM_THE_WARD)
    assert [alert.patient for alert in inbox.alerts] == [world.patient]
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.patient) == (world.lead, "alert_inbox.view", world.patient)


def test_the_inbox_is_for_staff_only(world):
    with pytest.raises(Http404):
        access.inbox_for_user(world.patient, page=1, per_page=25, audit=FROM_THE_WARD)


def test_the_inbox_shows_a_named_referral_to_its_clinician_only_and_a_discipline_one_without_the_patient(
    world,
):
    from tests.factories import ClinicianFactory, ReferralFactory

    named_one = ClinicianFactory(profile__discipline="nutrition")
    colleague = ClinicianFactory(profile__discipline="nutrition")
    named = ReferralFactory(patient=world.patient, referred_by=world.lead, to_clinician=named_one)

    theirs = access.inbox_for_user(named_one, page=1, per_page=25, audit=FROM_THE_WARD)
    assert theirs.referrals == [named] and theirs.discipline_referrals == [world.referral]
    other = access.inbox_for_user(colleague, page=1, per_page=25, audit=FROM_THE_WARD)
    assert other.referrals == [] and other.discipline_referrals == [world.referral]
    # Only the inbox that names the patient counts as a read of their record.
    assert AuditEvent.objects.filter(actor=named_one, patient=world.patient).exists()
    assert not AuditEvent.objects.filter(actor=colleague, patient=world.patient).exists()
