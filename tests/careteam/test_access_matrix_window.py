"""The access matrix, continued: the membership window in every time zone, and the referral re-entry cases.

Membership windows are decided on the clinic's calendar (settings.CLINIC_TIME_ZONE). A clinician chooses their
own zone on /accounts/details/; whatever they choose, "today" for access stays the clinic's. At any moment
some whole-hour zone from UTC-12 to UTC+14 is on another calendar day than the clinic, so the sweep below
catches a window decided in the user's zone at whatever time it runs.
"""

import datetime
import zoneinfo

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST
from accounts.models import AuditEvent
from careteam import access, selectors, services
from careteam.models import CareTeamMembership, Note, Referral, ReferralStatus
from common.clinic_time import clinic_today
from tests.careteam.conftest import CareWorld, build_world
from tests.factories import CareTeamMembershipFactory, ClinicianFactory, ReferralFactory

pytestmark = pytest.mark.django_db

# Etc/GMT+12 is UTC-12 (the sign is POSIX's, reversed) ... Etc/GMT-14 is UTC+14.
WHOLE_HOUR_ZONES = [f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT" for offset in range(-12, 15)]


def test_the_sweep_covers_every_whole_hour_offset_from_minus_12_to_plus_14():
    now = timezone.now()
    offsets = {now.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() for zone in WHOLE_HOUR_ZONES}
    assert offsets == {datetime.timedelta(hours=h) for h in range(-12, 15)}


def _window_world() -> tuple[CareWorld, object, object]:
    """The care world, plus a clinician whose membership ended yesterday and one added from tomorrow (clinic
    days), each of them in a zone of their own choosing."""
    world = build_world()
    today = clinic_today()
    ended = ClinicianFactory(profile__discipline="massage")
    CareTeamMembershipFactory(
        patient=world.patient,
        clinician=ended,
        active_from=today - datetime.timedelta(days=30),
        active_to=today - datetime.timedelta(days=1),
    )
    future = ClinicianFactory(profile__discipline="kinesiology")
    CareTeamMembershipFactory(
        patient=world.patient, clinician=future, active_from=today + datetime.timedelta(days=1)
    )
    return world, ended, future


def _may_read(user, world: CareWorld) -> bool:
    try:
        access.patient_record_for_user(user, world.patient_id, audit=WITHOUT_REQUEST, action="test.read")
    except Http404:
        return False
    return True


def _may_write(user, world: CareWorld) -> bool:
    try:
        access.patient_for_note_writer(user, world.patient_id, audit=WITHOUT_REQUEST)
    except Http404:
        return False
    return True


def test_in_every_zone_an_ended_or_future_member_gets_nothing_and_a_current_member_keeps_access():
    world, ended, future = _window_world()
    wrong = []
    for zone in WHOLE_HOUR_ZONES:
        with timezone.override(zone):
            for name, user, allowed in (
                ("ended yesterday", ended, False),
                ("added from tomorrow", future, False),
                ("current member", world.member, True),
                ("current lead", world.lead, True),
            ):
                seen = {
                    "read": _may_read(user, world),
                    "write": _may_write(user, world),
                    "permissions": any(vars(access.permissions_for(user, world.patient)).values()),
                    "patient list": selectors.patients_of(user).filter(pk=world.patient.pk).exists(),
                    "alert inbox": selectors.alert_inbox(user).filter(pk=world.alert.pk).exists(),
                    "today's team": selectors.team_of(world.patient).filter(clinician=user).exists(),
                }
                wrong += [f"{zone}, {name}: {what} is {got}" for what, got in seen.items() if got != allowed]
    assert not wrong, "\n".join(wrong)


def test_in_every_zone_ending_a_membership_now_ends_it_on_the_clinics_yesterday():
    world = build_world()
    for zone in WHOLE_HOUR_ZONES:
        membership = CareTeamMembershipFactory(patient=world.patient)
        with timezone.override(zone):
            services.membership_end(membership=membership, by=world.lead)
        membership.refresh_from_db()
        assert membership.active_to == clinic_today() - datetime.timedelta(days=1), zone
        assert not access.may_view_patient(membership.clinician, world.patient), zone


@pytest.mark.parametrize("zone", ["Etc/GMT+12", "Etc/GMT-14", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_choosing_a_far_zone_opens_neither_the_record_nor_the_note_form(client, zone):
    world, ended, future = _window_world()
    record = reverse("careteam:patient_detail", args=[world.patient_id])
    note_form = reverse("careteam:note_create", args=[world.patient_id])
    for clinician, expected, after_post in ((ended, 404, 404), (future, 404, 404), (world.member, 200, 302)):
        clinician.time_zone = zone
        clinician.save(update_fields=["time_zone"])
        client.force_login(clinician)
        assert client.get(record).status_code == expected, (zone, clinician)
        written = client.post(note_form, {"visibility": "team", "subjective": f"Written from {zone}"})
        assert written.status_code == after_post, (zone, clinician)
    assert list(
        Note.objects.filter(subjective__startswith="Written from").values_list("author", flat=True)
    ) == [world.member.pk]


# --- referral re-entry: accepting a referral never re-opens a closed door without the lead ----------------


def _record_status(client, user, world: CareWorld) -> int:
    client.force_login(user)
    return client.get(reverse("careteam:patient_detail", args=[world.patient_id])).status_code


def test_an_ended_member_accepting_a_referral_to_their_discipline_waits_for_the_lead(client):
    world = build_world()
    referral = ReferralFactory(patient=world.patient, referred_by=world.member, discipline="massage")
    client.force_login(world.ended_member)
    response = client.post(reverse("careteam:referral_accept", args=[referral.public_id]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_LEAD
    assert not access.may_view_clinical_record(world.ended_member, world.patient)
    assert _record_status(client, world.ended_member, world) == 404
    # The ended member cannot confirm themself, nor can a member who does not lead.
    for user in (world.ended_member, world.member):
        client.force_login(user)
        assert client.post(reverse("careteam:referral_confirm", args=[referral.public_id])).status_code == 400
    assert _record_status(client, world.ended_member, world) == 404

    client.force_login(world.lead)
    assert client.post(reverse("careteam:referral_confirm", args=[referral.public_id])).status_code == 302
    assert _record_status(client, world.ended_member, world) == 200
    membership = CareTeamMembership.objects.active().get(patient=world.patient, clinician=world.ended_member)
    assert membership.added_by == world.lead


def test_an_ended_member_named_on_a_referral_still_waits_for_the_lead():
    world = build_world()
    referral = ReferralFactory(
        patient=world.patient, referred_by=world.member, discipline="massage", to_clinician=world.ended_member
    )
    services.referral_accept(referral=referral, clinician=world.ended_member)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_LEAD
    assert not access.may_view_clinical_record(world.ended_member, world.patient)


def test_a_member_taken_off_after_being_named_cannot_use_the_open_referral_to_come_back():
    world = build_world()
    massage = ClinicianFactory(profile__discipline="massage")
    referral = services.referral_create(
        patient=world.patient,
        referred_by=world.lead,
        discipline="massage",
        reason="Soft tissue",
        to_clinician=massage,
    )
    membership = services.membership_add(
        patient=world.patient,
        clinician=massage,
        by=world.lead,
        active_from=clinic_today() - datetime.timedelta(days=3),
    )
    services.membership_end(membership=membership, by=world.lead)
    services.referral_accept(referral=referral, clinician=massage)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.AWAITING_LEAD
    assert not access.may_view_patient(massage, world.patient)


def test_an_ended_member_sees_a_discipline_referral_only_briefly_and_others_not_at_all(client):
    world = build_world()
    to_massage = ReferralFactory(patient=world.patient, referred_by=world.member, discipline="massage")
    to_nutrition = world.referral
    client.force_login(world.ended_member)
    brief = client.get(reverse("careteam:referral_detail", args=[to_massage.public_id])).content.decode()
    assert "Alex Morgan" not in brief and to_massage.reason not in brief
    assert client.get(reverse("careteam:referral_detail", args=[to_nutrition.public_id])).status_code == 404
    assert client.post(reverse("careteam:referral_accept", args=[to_nutrition.public_id])).status_code == 404


def test_a_future_member_accepting_a_referral_naming_them_gets_no_access_before_their_first_day():
    world = build_world()
    future = ClinicianFactory(profile__discipline="kinesiology")
    CareTeamMembershipFactory(
        patient=world.patient, clinician=future, active_from=clinic_today() + datetime.timedelta(days=1)
    )
    referral = ReferralFactory(
        patient=world.patient, referred_by=world.lead, discipline="kinesiology", to_clinician=future
    )
    services.referral_accept(referral=referral, clinician=future)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    assert CareTeamMembership.objects.filter(patient=world.patient, clinician=future).count() == 1
    assert not access.may_view_patient(future, world.patient)


def test_accepting_confirming_and_declining_are_audited():
    world = build_world()
    kinesiologist = ClinicianFactory(profile__discipline="kinesiology")
    first = ReferralFactory(patient=world.patient, referred_by=world.lead, discipline="kinesiology")
    second = ReferralFactory(patient=world.patient, referred_by=world.lead, discipline="kinesiology")
    services.referral_accept(referral=first, clinician=kinesiologist)
    services.referral_decline_acceptance(referral=first, by=world.lead, reason="Someone else")
    services.referral_accept(referral=second, clinician=kinesiologist)
    services.referral_confirm(referral=second, by=world.lead)
    events = list(
        AuditEvent.objects.filter(patient=world.patient, action__startswith="referral.")
        .order_by("id")
        .values_list("actor", "action", "detail")
    )
    assert events == [
        (kinesiologist.pk, "referral.accept", "waiting for the lead's confirmation"),
        (world.lead.pk, "referral.decline_acceptance", ""),
        (kinesiologist.pk, "referral.accept", "waiting for the lead's confirmation"),
        (world.lead.pk, "referral.confirm", f"confirmed {kinesiologist.get_full_name()}"),
    ]
    assert AuditEvent.objects.filter(
        patient=world.patient, action="membership.add", actor=world.lead
    ).exists()


def test_a_clinician_already_on_the_team_accepts_a_referral_to_their_discipline_without_the_lead():
    world = build_world()
    referral = ReferralFactory(patient=world.patient, referred_by=world.member, discipline="physiotherapy")
    services.referral_accept(referral=referral, clinician=world.lead)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    assert CareTeamMembership.objects.filter(patient=world.patient, clinician=world.lead).count() == 1
