import datetime

import pytest
from django.db import IntegrityError, transaction

from careteam.models import CareTeamMembership, Note, NoteAddendum
from common.clinic_time import clinic_today
from common.models import AppendOnlyError
from tests.factories import (
    CareTeamMembershipFactory,
    ClinicianFactory,
    NoteAddendumFactory,
    NoteFactory,
    PatientFactory,
)

pytestmark = pytest.mark.django_db


def test_a_saved_note_refuses_to_be_saved_again():
    note = NoteFactory(subjective="As written")
    note.subjective = "Silently edited"
    with pytest.raises(AppendOnlyError):
        note.save()
    assert Note.objects.get(pk=note.pk).subjective == "As written"


def test_a_note_refuses_to_be_deleted_one_by_one_or_in_bulk():
    note = NoteFactory()
    with pytest.raises(AppendOnlyError):
        note.delete()
    with pytest.raises(AppendOnlyError):
        Note.objects.filter(pk=note.pk).delete()
    with pytest.raises(AppendOnlyError):
        Note.objects.filter(pk=note.pk).update(subjective="Changed in bulk")
    assert Note.objects.get(pk=note.pk).subjective == note.subjective


def test_an_addendum_is_append_only_too():
    addendum = NoteAddendumFactory()
    addendum.body = "Changed"
    with pytest.raises(AppendOnlyError):
        addendum.save()
    with pytest.raises(AppendOnlyError):
        addendum.delete()
    with pytest.raises(AppendOnlyError):
        NoteAddendum.objects.all().update(body="Changed")
    assert NoteAddendum.objects.get(pk=addendum.pk).body == "The right side, not the left."


def test_the_database_allows_only_one_open_lead_per_patient():
    patient = PatientFactory()
    CareTeamMembershipFactory(patient=patient, role="lead")
    with pytest.raises(IntegrityError), transaction.atomic():
        CareTeamMembershipFactory(patient=patient, role="lead")
    CareTeamMembershipFactory(patient=patient, role="member")
    assert CareTeamMembership.objects.filter(patient=patient, role="lead").count() == 1


def test_an_ended_lead_does_not_block_a_new_one():
    patient = PatientFactory()
    yesterday = clinic_today() - datetime.timedelta(days=1)
    CareTeamMembershipFactory(patient=patient, role="lead", active_to=yesterday)
    CareTeamMembershipFactory(patient=patient, role="lead")
    assert CareTeamMembership.objects.active().filter(patient=patient, role="lead").count() == 1


def test_a_membership_is_active_from_its_first_to_its_last_day_inclusive():
    today = clinic_today()
    clinician = ClinicianFactory()
    starts_tomorrow = CareTeamMembershipFactory(
        clinician=clinician, active_from=today + datetime.timedelta(days=1)
    )
    ends_today = CareTeamMembershipFactory(clinician=clinician, active_to=today)
    ended_yesterday = CareTeamMembershipFactory(
        clinician=clinician, active_to=today - datetime.timedelta(days=1)
    )
    active = set(CareTeamMembership.objects.active().filter(clinician=clinician))
    assert active == {ends_today}
    assert not starts_tomorrow.is_active and ends_today.is_active and not ended_yesterday.is_active
