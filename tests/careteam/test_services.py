import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from accounts.audit import AuditContext
from accounts.models import AuditEvent
from careteam import access, services
from careteam.models import Alert, CareTeamMembership, Note, ReferralStatus
from common.clinic_time import clinic_today
from tests.factories import (
    AlertFactory,
    CareTeamMembershipFactory,
    ClinicianFactory,
    PatientFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db


def test_a_second_lead_is_refused_with_a_message_naming_the_current_one():
    patient = PatientFactory()
    lead = ClinicianFactory(first_name="Priya", last_name="Shah")
    services.membership_add(patient=patient, clinician=lead, role="lead", by=None)
    with pytest.raises(ValidationError, match="Priya Shah already leads this care team"):
        services.membership_add(patient=patient, clinician=ClinicianFactory(), role="lead", by=None)


def test_a_clinician_is_on_a_team_once_and_in_their_own_discipline():
    patient = PatientFactory()
    chiro = ClinicianFactory(profile__discipline="chiropractic")
    membership = services.membership_add(patient=patient, clinician=chiro, by=None)
    assert membership.discipline == "chiropractic"
    with pytest.raises(ValidationError, match="already on this patient's care team"):
        services.membership_add(patient=patient, clinician=chiro, by=None)


def test_ending_a_membership_now_ends_access_to_the_patient():
    membership = CareTeamMembershipFactory()
    assert access.may_view_patient(membership.clinician, membership.patient)
    services.membership_end(membership=membership, by=membership.clinician)
    membership.refresh_from_db()
    assert membership.active_to == clinic_today() - datetime.timedelta(days=1)
    assert not access.may_view_patient(membership.clinician, membership.patient)


def test_a_membership_cannot_end_in_the_past_or_twice():
    membership = CareTeamMembershipFactory()
    with pytest.raises(ValidationError, match="earlier than yesterday"):
        services.membership_end(
            membership=membership,
            by=membership.clinician,
            last_day=clinic_today() - datetime.timedelta(days=5),
        )
    services.membership_end(membership=membership, by=membership.clinician)
    with pytest.raises(ValidationError, match="already ended"):
        services.membership_end(membership=membership, by=membership.clinician)


def test_accepting_a_referral_by_name_puts_the_clinician_on_the_team():
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    referral = ReferralFactory(discipline="nutrition", to_clinician=nutritionist)
    assert not access.may_view_patient(nutritionist, referral.patient)

    services.referral_accept(referral=referral, clinician=nutritionist)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.responded_by == nutritionist
    membership = CareTeamMembership.objects.active().get(patient=referral.patient, clinician=nutritionist)
    assert membership.discipline == "nutrition" and membership.role == "member"
    assert access.may_view_patient(nutritionist, referral.patient)


def test_the_referral_runs_open_accepted_completed():
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    referral = ReferralFactory(discipline="nutrition", to_clinician=nutritionist)
    services.referral_accept(referral=referral, clinician=nutritionist)
    services.referral_complete(referral=referral, clinician=nutritionist)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.completed_by == nutritionist and referral.completed_at is not None


def test_a_declined_referral_keeps_its_reason_and_adds_nobody():
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    referral = ReferralFactory(discipline="nutrition", to_clinician=nutritionist)
    with pytest.raises(ValidationError, match="Say why"):
        services.referral_decline(referral=referral, clinician=nutritionist, reason="  ")
    services.referral_decline(referral=referral, clinician=nutritionist, reason="Outside my scope")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.decline_reason == "Outside my scope"
    assert not CareTeamMembership.objects.filter(clinician=nutritionist).exists()


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        ("accepted", "accept", "only an open referral can be accepted"),
        ("declined", "accept", "only an open referral can be accepted"),
        ("completed", "decline", "only an open referral can be declined"),
        ("open", "complete", "only an accepted referral can be completed"),
        ("declined", "complete", "only an accepted referral can be completed"),
    ],
)
def test_invalid_referral_transitions_are_refused(status, action, message):
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    referral = ReferralFactory(
        discipline="nutrition",
        to_clinician=nutritionist,
        status=status,
        responded_by=nutritionist,
        decline_reason="No" if status == "declined" else "",
    )
    calls = {
        "accept": lambda: services.referral_accept(referral=referral, clinician=nutritionist),
        "decline": lambda: services.referral_decline(referral=referral, clinician=nutritionist, reason="No"),
        "complete": lambda: services.referral_complete(referral=referral, clinician=nutritionist),
    }
    with pytest.raises(ValidationError, match=message):
        calls[action]()
    referral.refresh_from_db()
    assert referral.status == status


def test_only_the_named_clinician_or_the_discipline_may_answer_a_referral():
    named = ClinicianFactory(profile__discipline="nutrition", first_name="Nadia", last_name="Haddad")
    other_nutritionist = ClinicianFactory(profile__discipline="nutrition")
    to_named = ReferralFactory(discipline="nutrition", to_clinician=named)
    with pytest.raises(ValidationError, match="Only Nadia Haddad can accept"):
        services.referral_accept(referral=to_named, clinician=other_nutritionist)
    to_discipline = ReferralFactory(discipline="nutrition")
    with pytest.raises(ValidationError, match="Only a clinician of nutrition can accept"):
        services.referral_accept(
            referral=to_discipline, clinician=ClinicianFactory(profile__discipline="massage")
        )


def test_a_named_clinician_must_belong_to_the_discipline_referred_to():
    with pytest.raises(ValidationError, match="is not a clinician of nutrition"):
        services.referral_create(
            patient=PatientFactory(),
            referred_by=ClinicianFactory(),
            discipline="nutrition",
            reason="Diet",
            to_clinician=ClinicianFactory(profile__discipline="massage"),
        )


def test_alert_raise_with_a_dedupe_key_raises_once():
    patient = PatientFactory()
    first = services.alert_raise(
        patient=patient,
        kind="missed_sessions",
        severity="low",
        trigger="No session for 5 days",
        dedupe_key="week-47",
    )
    again = services.alert_raise(
        patient=patient,
        kind="missed_sessions",
        severity="low",
        trigger="No session for 5 days",
        dedupe_key="week-47",
    )
    assert first is not None and again is None
    assert Alert.objects.filter(patient=patient).count() == 1


def test_alert_raise_without_a_key_or_with_another_key_raises_again():
    patient = PatientFactory()
    for key in ("", "", "week-47", "week-48"):
        assert services.alert_raise(
            patient=patient, kind="flare_up", severity="medium", trigger="x", dedupe_key=key
        )
    other_kind = services.alert_raise(
        patient=patient, kind="pain_rising", severity="medium", trigger="x", dedupe_key="week-47"
    )
    assert other_kind is not None
    assert Alert.objects.filter(patient=patient).count() == 5


def test_alert_raise_refuses_unknown_kinds_severities_and_non_patients():
    patient = PatientFactory()
    with pytest.raises(ValidationError):
        services.alert_raise(patient=patient, kind="boredom", severity="low", trigger="x")
    with pytest.raises(ValidationError):
        services.alert_raise(patient=patient, kind="red_flag", severity="apocalyptic", trigger="x")
    with pytest.raises(ValidationError):
        services.alert_raise(patient=ClinicianFactory(), kind="red_flag", severity="high", trigger="x")
    assert not Alert.objects.exists()


def test_an_alert_is_acknowledged_once_with_a_comment():
    alert = services.alert_raise(
        patient=PatientFactory(), kind="red_flag", severity="high", trigger="Night pain"
    )
    assert alert is not None
    clinician = ClinicianFactory()
    services.alert_acknowledge(alert=alert, by=clinician, comment="Booked an urgent review")
    with pytest.raises(ValidationError, match="already acknowledged"):
        services.alert_acknowledge(alert=alert, by=clinician, comment="Again")
    alert.refresh_from_db()
    assert alert.acknowledge_comment == "Booked an urgent review" and alert.acknowledged_by == clinician


def test_a_note_keeps_the_discipline_its_author_had_when_writing():
    patient = PatientFactory()
    author = ClinicianFactory(profile__discipline="massage")
    note = services.note_create(patient=patient, author=author, subjective="Tight hamstrings")
    author.clinician_profile.discipline = "kinesiology"
    author.clinician_profile.save()
    note.refresh_from_db()
    assert note.author_discipline == "massage"


def test_an_empty_note_is_refused():
    with pytest.raises(ValidationError, match="at least one"):
        services.note_create(patient=PatientFactory(), author=ClinicianFactory(), subjective="   ")


def test_a_membership_that_began_today_ended_now_was_never_active():
    membership = CareTeamMembershipFactory(active_from=clinic_today())
    services.membership_end(membership=membership, by=membership.clinician)
    membership.refresh_from_db()
    assert membership.active_to == membership.active_from - datetime.timedelta(days=1)
    assert not membership.is_active
    assert not access.may_view_patient(membership.clinician, membership.patient)


def test_a_note_written_without_a_request_is_still_audited_for_its_author():
    patient = PatientFactory()
    author = ClinicianFactory()
    note = services.note_create(patient=patient, author=author, subjective="Written by a task")
    event = AuditEvent.objects.get(action="note.create")
    assert (event.actor, event.patient) == (author, patient)
    assert (event.object_type, event.object_id) == ("careteam.Note", str(note.public_id))
    assert (event.ip, event.user_agent) == (None, "")


def test_a_note_is_not_saved_when_its_audit_row_cannot_be(monkeypatch):
    def audit_fails(**kwargs):
        raise DatabaseError("the audit log is unavailable")

    monkeypatch.setattr(services, "audit_record", audit_fails)
    with pytest.raises(DatabaseError):
        services.note_create(patient=PatientFactory(), author=ClinicianFactory(), subjective="Unaudited")
    assert not Note.objects.exists()


def test_the_request_audit_context_reaches_the_audit_row_of_a_write():
    alert = AlertFactory()
    clinician = ClinicianFactory()
    request = AuditContext(ip="203.0.113.7", user_agent="Clinic tablet")
    services.alert_acknowledge(alert=alert, by=clinician, audit=request, comment="Called the patient")
    event = AuditEvent.objects.get(action="alert.acknowledge")
    assert (event.actor, event.patient) == (clinician, alert.patient)
    assert (event.ip, event.user_agent) == ("203.0.113.7", "Clinic tablet")


def test_accepting_a_referral_audits_the_answer_and_the_new_team_membership():
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    referral = ReferralFactory(discipline="nutrition", to_clinician=nutritionist)
    services.referral_accept(referral=referral, clinician=nutritionist)
    actions = AuditEvent.objects.filter(actor=nutritionist, patient=referral.patient).values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["membership.add", "referral.accept"]


def test_raising_an_alert_writes_no_audit_row_of_its_own():
    services.alert_raise(patient=PatientFactory(), kind="flare_up", severity="medium", trigger="Flare-up")
    assert not AuditEvent.objects.exists()


def test_a_clinician_whose_future_membership_was_withdrawn_comes_back_only_through_the_lead():
    lead = CareTeamMembershipFactory(role="lead")
    patient = lead.patient
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    soon = services.membership_add(
        patient=patient,
        clinician=nutritionist,
        by=lead.clinician,
        active_from=clinic_today() + datetime.timedelta(days=7),
    )
    services.membership_end(membership=soon, by=lead.clinician)  # withdrawn before its first day
    referral = ReferralFactory(patient=patient, discipline="nutrition", to_clinician=nutritionist)

    services.referral_accept(referral=referral, clinician=nutritionist)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_LEAD
    assert not access.may_view_patient(nutritionist, patient)

    services.referral_confirm(referral=referral, by=lead.clinician)
    assert access.may_view_patient(nutritionist, patient)


def test_a_withdrawn_future_membership_does_not_stop_the_lead_adding_the_clinician_again():
    lead = CareTeamMembershipFactory(role="lead")
    massage = ClinicianFactory(profile__discipline="massage")
    soon = services.membership_add(
        patient=lead.patient,
        clinician=massage,
        by=lead.clinician,
        active_from=clinic_today() + datetime.timedelta(days=7),
    )
    services.membership_end(membership=soon, by=lead.clinician)
    services.membership_add(patient=lead.patient, clinician=massage, by=lead.clinician)
    assert access.may_view_patient(massage, lead.patient)
