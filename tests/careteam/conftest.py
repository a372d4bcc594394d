"""A patient with a care team and one of everything on their record, and the people around it.

The personas are the ones the access matrix walks: anonymous, the patient, another patient, a clinician on the
team (the lead), a clinician not on it, an ended team member and an admin.
"""

import dataclasses
import datetime

import pytest

from accounts.models import User
from careteam.models import Alert, CareTeamMembership, Note, Referral
from common.clinic_time import clinic_today
from tests.factories import (
    AdminFactory,
    AlertFactory,
    CareTeamMembershipFactory,
    ClinicianFactory,
    NoteFactory,
    PatientFactory,
    ReferralFactory,
)


@dataclasses.dataclass
class CareWorld:
    patient: User
    other_patient: User
    lead: User
    member: User
    outsider: User
    ended_member: User
    admin: User
    lead_membership: CareTeamMembership
    member_membership: CareTeamMembership
    note: Note
    shared_note: Note
    referral: Referral
    alert: Alert

    @property
    def patient_id(self):
        return self.patient.patient_profile.public_id

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def build_world() -> CareWorld:
    patient = PatientFactory(first_name="Alex", last_name="Morgan")
    lead = ClinicianFactory(first_name="Priya", last_name="Shah", profile__discipline="physiotherapy")
    member = ClinicianFactory(first_name="Tom", last_name="Baker", profile__discipline="chiropractic")
    outsider = ClinicianFactory(first_name="Olga", last_name="Outside", profile__discipline="physiotherapy")
    ended = ClinicianFactory(first_name="Ed", last_name="Ended", profile__discipline="massage")
    lead_membership = CareTeamMembershipFactory(patient=patient, clinician=lead, role="lead")
    member_membership = CareTeamMembershipFactory(patient=patient, clinician=member)
    CareTeamMembershipFactory(
        patient=patient,
        clinician=ended,
        active_from=clinic_today() - datetime.timedelta(days=60),
        active_to=clinic_today() - datetime.timedelta(days=1),
    )
    return CareWorld(
        patient=patient,
        other_patient=PatientFactory(),
        lead=lead,
        member=member,
        outsider=outsider,
        ended_member=ended,
        admin=AdminFactory(),
        lead_membership=lead_membership,
        member_membership=member_membership,
        note=NoteFactory(patient=patient, author=lead, subjective="Team-only observation"),
        shared_note=NoteFactory(
            patient=patient, author=lead, visibility="shared", subjective="Shared advice"
        ),
        referral=ReferralFactory(patient=patient, referred_by=lead, discipline="nutrition"),
        alert=AlertFactory(patient=patient),
    )


@pytest.fixture
def world(db) -> CareWorld:
    return build_world()
