import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from careteam import services
from careteam.models import Alert, CareTeamMembership, Referral, ReferralStatus
from common.clinic_time import clinic_today
from tests.factories import (
    AlertFactory,
    CareTeamMembershipFactory,
    ClinicianFactory,
    NoteFactory,
    PatientFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db


def test_a_referral_naming_a_clinician_is_accepted_by_them_and_they_join_the_team(client, world):
    kinesiologist = ClinicianFactory(profile__discipline="kinesiology", first_name="Kenji", last_name="Ito")
    client.force_login(world.lead)
    response = client.post(
        reverse("careteam:referral_create", args=[world.patient_id]),
        {
            "to_clinician": kinesiologist.pk,
            "discipline": "kinesiology",
            "urgency": "soon",
            "reason": "Return-to-run screening",
        },
    )
    referral = Referral.objects.get(reason="Return-to-run screening")
    assert referral.to_clinician == kinesiologist
    assert response["Location"] == reverse("careteam:referral_detail", args=[referral.public_id])

    client.force_login(kinesiologist)
    inbox = client.get(reverse("careteam:alert_list")).content.decode()
    assert reverse("careteam:referral_detail", args=[referral.public_id]) in inbox and "Alex Morgan" in inbox
    detail = client.get(reverse("careteam:referral_detail", args=[referral.public_id])).content.decode()
    assert "Return-to-run screening" in detail and "Accept and join the care team" in detail
    accepted = client.post(reverse("careteam:referral_accept", args=[referral.public_id]))
    assert accepted["Location"] == reverse("careteam:patient_detail", args=[world.patient_id])
    assert client.get(accepted["Location"]).status_code == 200
    assert CareTeamMembership.objects.active().filter(patient=world.patient, clinician=kinesiologist).exists()


def test_a_referral_takes_the_named_clinicians_discipline_and_needs_a_clinician_or_a_discipline(
    client, world
):
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    client.force_login(world.lead)
    url = reverse("careteam:referral_create", args=[world.patient_id])
    neither = client.post(url, {"to_clinician": "", "discipline": "", "urgency": "soon", "reason": "Diet"})
    assert neither.status_code == 400
    assert "Choose a discipline, or name a clinician." in neither.content.decode()
    on_team = client.post(url, {"to_clinician": world.member.pk, "urgency": "soon", "reason": "Diet"})
    assert on_team.status_code == 400 and "Select a valid choice" in on_team.content.decode()
    assert (
        client.post(url, {"to_clinician": nutritionist.pk, "urgency": "soon", "reason": "Diet"}).status_code
        == 302
    )
    assert Referral.objects.get(reason="Diet").discipline == "nutrition"


def test_a_referral_to_a_discipline_waits_for_the_lead_and_hides_the_patient_until_then(client, world):
    client.force_login(world.lead)
    client.post(
        reverse("careteam:referral_create", args=[world.patient_id]),
        {"to_clinician": "", "discipline": "kinesiology", "urgency": "soon", "reason": "Gait screening"},
    )
    referral = Referral.objects.get(reason="Gait screening")
    detail_url = reverse("careteam:referral_detail", args=[referral.public_id])

    kinesiologist = ClinicianFactory(profile__discipline="kinesiology")
    client.force_login(kinesiologist)
    inbox = client.get(reverse("careteam:alert_list")).content.decode()
    assert detail_url in inbox and "Referral to kinesiology" in inbox
    assert "Alex Morgan" not in inbox and "Gait screening" not in inbox
    detail = client.get(detail_url).content.decode()
    assert "Alex Morgan" not in detail and "Gait screening" not in detail
    assert "subject to the lead" in detail
    accepted = client.post(reverse("careteam:referral_accept", args=[referral.public_id]))
    assert accepted["Location"] == detail_url
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.AWAITING_LEAD
    record = reverse("careteam:patient_detail", args=[world.patient_id])
    assert client.get(record).status_code == 404

    client.force_login(world.member)
    assert client.post(reverse("careteam:referral_confirm", args=[referral.public_id])).status_code == 400
    client.force_login(world.lead)
    inbox = client.get(reverse("careteam:alert_list")).content.decode()
    assert "Acceptances waiting for your confirmation" in inbox and detail_url in inbox
    assert "Confirm and add to the care team" in client.get(detail_url).content.decode()
    confirmed = client.post(reverse("careteam:referral_confirm", args=[referral.public_id]))
    assert confirmed["Location"] == detail_url
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED

    client.force_login(kinesiologist)
    assert client.get(record).status_code == 200


def test_the_lead_declines_an_acceptance_with_a_reason_and_the_clinician_gets_nothing(client, world):
    referral = ReferralFactory(patient=world.patient, referred_by=world.lead, discipline="kinesiology")
    kinesiologist = ClinicianFactory(profile__discipline="kinesiology")
    client.force_login(kinesiologist)
    client.post(reverse("careteam:referral_accept", args=[referral.public_id]))
    client.force_login(world.lead)
    url = reverse("careteam:referral_decline_acceptance", args=[referral.public_id])
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400 and "This field is required" in empty.content.decode()
    assert client.post(url, {"reason": "We have a kinesiologist in mind"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.reviewed_by == world.lead
    client.force_login(kinesiologist)
    assert client.get(reverse("careteam:referral_detail", args=[referral.public_id])).status_code == 404
    assert client.get(reverse("careteam:patient_detail", args=[world.patient_id])).status_code == 404


def test_accepting_an_accepted_referral_answers_400_with_the_reason(client, world):
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    referral = ReferralFactory(patient=world.patient, referred_by=world.lead, to_clinician=nutritionist)
    client.force_login(nutritionist)
    url = reverse("careteam:referral_accept", args=[referral.public_id])
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 400
    assert "only an open referral can be accepted" in again.content.decode()


def test_declining_needs_a_reason_and_then_shows_it_to_the_team(client, world):
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    referral = ReferralFactory(patient=world.patient, referred_by=world.lead, to_clinician=nutritionist)
    client.force_login(nutritionist)
    url = reverse("careteam:referral_decline", args=[referral.public_id])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Not taking new patients"}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECLINED
    # Once declined, the referral is no longer the nutritionist's to see; the team still sees the reason.
    assert client.get(reverse("careteam:referral_detail", args=[referral.public_id])).status_code == 404
    client.force_login(world.lead)
    page = client.get(reverse("careteam:referral_detail", args=[referral.public_id])).content.decode()
    assert "Not taking new patients" in page


def test_a_referral_to_a_discipline_cannot_be_declined_by_one_of_its_clinicians(client, world):
    client.force_login(ClinicianFactory(profile__discipline="nutrition"))
    response = client.post(
        reverse("careteam:referral_decline", args=[world.referral.public_id]), {"reason": "Busy"}
    )
    assert response.status_code == 400 and "stays open for its other clinicians" in response.content.decode()
    assert Referral.objects.get(pk=world.referral.pk).status == ReferralStatus.OPEN


def test_completing_an_open_referral_answers_400(client, world):
    client.force_login(world.lead)
    response = client.post(reverse("careteam:referral_complete", args=[world.referral.public_id]))
    assert response.status_code == 400
    assert "only an accepted referral can be completed" in response.content.decode()


def test_the_inbox_lists_my_patients_open_alerts_most_severe_then_oldest_first(client, world):
    now = timezone.now()
    world.alert.delete()
    low_old = AlertFactory(patient=world.patient, severity="low", raised_at=now - datetime.timedelta(days=9))
    high_new = AlertFactory(
        patient=world.patient, severity="high", raised_at=now - datetime.timedelta(hours=1)
    )
    high_old = AlertFactory(
        patient=world.patient, severity="high", raised_at=now - datetime.timedelta(days=2)
    )
    medium = AlertFactory(
        patient=world.patient, severity="medium", raised_at=now - datetime.timedelta(days=1)
    )
    AlertFactory(patient=world.patient, severity="high", acknowledged_at=now, acknowledged_by=world.lead)
    AlertFactory(patient=world.other_patient, severity="high")
    client.force_login(world.lead)
    response = client.get(reverse("careteam:alert_list"))
    shown = list(response.context["page"].object_list)
    assert shown == [high_old, high_new, medium, low_old]


def test_an_ended_member_and_an_outsider_see_no_alerts_of_the_patient(client, world):
    for clinician in (world.ended_member, world.outsider):
        client.force_login(clinician)
        assert client.get(reverse("careteam:alert_list")).context["alerts"] == []


def test_acknowledging_an_alert_keeps_the_optional_note_and_removes_it_from_the_inbox(client, world):
    client.force_login(world.member)
    url = reverse("careteam:alert_acknowledge", args=[world.alert.public_id])
    done = client.post(url, {"comment": "Phoned; pain settling", "next": "https://evil.example/"})
    assert done["Location"] == reverse("careteam:alert_list")
    alert = Alert.objects.get(pk=world.alert.pk)
    assert alert.acknowledged_by == world.member and alert.acknowledge_comment == "Phoned; pain settling"
    assert client.get(reverse("careteam:alert_list")).context["alerts"] == []
    assert client.post(url, {"comment": "Again"}).status_code == 400


@pytest.mark.parametrize("target", ["99999-99-99", "alert_list", "//evil.example/", "https://evil.example/"])
def test_acknowledging_goes_back_only_to_a_path_on_this_site(client, world, target):
    client.force_login(world.lead)
    url = reverse("careteam:alert_acknowledge", args=[world.alert.public_id])
    response = client.post(url, {"comment": "Phoned", "next": target})
    assert response.status_code == 302 and response["Location"] == reverse("careteam:alert_list")


def test_acknowledging_goes_back_to_the_record_it_was_sent_from(client, world):
    client.force_login(world.lead)
    record = reverse("careteam:patient_detail", args=[world.patient_id])
    url = reverse("careteam:alert_acknowledge", args=[world.alert.public_id])
    assert client.post(url, {"comment": "Phoned", "next": record})["Location"] == record


def test_the_lead_adds_and_ends_team_members_and_a_member_cannot(client, world):
    massage = ClinicianFactory(profile__discipline="massage", first_name="Maria", last_name="Costa")
    url = reverse("careteam:team_manage", args=[world.patient_id])
    today = clinic_today().isoformat()

    client.force_login(world.member)
    assert (
        client.post(url, {"clinician": massage.pk, "role": "member", "active_from": today}).status_code == 404
    )

    client.force_login(world.lead)
    assert (
        client.post(url, {"clinician": massage.pk, "role": "member", "active_from": today}).status_code == 302
    )
    membership = CareTeamMembership.objects.get(patient=world.patient, clinician=massage)
    second_lead = client.post(url, {"clinician": world.outsider.pk, "role": "lead", "active_from": today})
    assert second_lead.status_code == 400
    assert "Priya Shah already leads this care team" in second_lead.content.decode()

    ended = client.post(reverse("careteam:membership_end", args=[membership.public_id]), {"last_day": ""})
    assert ended.status_code == 302
    client.force_login(massage)
    assert client.get(reverse("careteam:patient_detail", args=[world.patient_id])).status_code == 404


def test_a_first_day_in_the_past_is_refused(client, world):
    client.force_login(world.lead)
    yesterday = (clinic_today() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("careteam:team_manage", args=[world.patient_id]),
        {"clinician": world.outsider.pk, "role": "member", "active_from": yesterday},
    )
    assert response.status_code == 400
    assert "cannot be in the past" in response.content.decode()


def test_the_patient_sees_their_team_with_the_lead_marked(client, world):
    client.force_login(world.patient)
    page = client.get(reverse("careteam:my_team")).content.decode()
    assert "Priya Shah" in page and "Leads your care" in page and "Tom Baker" in page
    assert "Ed Ended" not in page


def test_a_clinician_whose_membership_starts_tomorrow_cannot_see_the_patient_yet(client, world):
    future = ClinicianFactory()
    CareTeamMembershipFactory(
        patient=world.patient, clinician=future, active_from=clinic_today() + datetime.timedelta(days=1)
    )
    client.force_login(future)
    assert client.get(reverse("careteam:patient_detail", args=[world.patient_id])).status_code == 404


def test_an_unknown_patient_id_is_404_even_for_an_admin(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("careteam:patient_detail", args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404


def _grow_record(patient, lead, extra: int) -> None:
    for _ in range(extra):
        note = NoteFactory(patient=patient, author=lead)
        AlertFactory(patient=patient)
        CareTeamMembershipFactory(patient=patient)
        from tests.factories import NoteAddendumFactory, ReferralFactory

        NoteAddendumFactory(note=note)
        ReferralFactory(patient=patient, referred_by=lead)


@pytest.mark.parametrize("extra", [0, 30])
def test_the_patient_page_query_count_does_not_grow_with_the_record(
    client, world, extra, django_assert_max_num_queries
):
    _grow_record(world.patient, world.lead, extra)
    client.force_login(world.lead)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("careteam:patient_detail", args=[world.patient_id]))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_the_lists_query_counts_do_not_grow_with_the_number_of_patients(
    client, world, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        patient = PatientFactory()
        CareTeamMembershipFactory(patient=patient, clinician=world.lead)
        AlertFactory(patient=patient, severity="high")
    client.force_login(world.lead)
    for name in ("rehab:patient_list", "careteam:alert_list"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200
    client.force_login(world.patient)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("careteam:my_team")).status_code == 200


def test_an_alert_is_acknowledged_without_a_note(client, world):
    client.force_login(world.member)
    response = client.post(
        reverse("careteam:alert_acknowledge", args=[world.alert.public_id]), {"comment": ""}
    )
    assert response.status_code == 302
    alert = Alert.objects.get(pk=world.alert.pk)
    assert alert.acknowledged_by == world.member and alert.acknowledge_comment == ""


def test_several_ticked_alerts_are_acknowledged_together_with_one_note(client, world):
    second = AlertFactory(patient=world.patient, kind="red_flag", severity="high", trigger="Night pain")
    untouched = AlertFactory(patient=world.patient, kind="red_flag", severity="low", trigger="Left alone")
    client.force_login(world.member)
    inbox = client.get(reverse("careteam:alert_list")).content.decode()
    assert 'form="bulk-ack"' in inbox and "Acknowledge the ticked alerts" in inbox

    response = client.post(
        reverse("careteam:alerts_acknowledge"),
        {"alert": [str(world.alert.public_id), str(second.public_id)], "comment": "Reviewed on the phone"},
    )
    assert response.status_code == 302
    for alert in (world.alert, second):
        alert.refresh_from_db()
        assert alert.acknowledged_by == world.member and alert.acknowledge_comment == "Reviewed on the phone"
    untouched.refresh_from_db()
    assert untouched.acknowledged_at is None
    assert "2 alerts acknowledged." in client.get(reverse("careteam:alert_list")).content.decode()


@pytest.mark.parametrize(
    "ticked, message",
    [([], "Tick the alerts to acknowledge."), (["not-an-id"], "not an alert of this page")],
)
def test_acknowledging_together_without_a_valid_tick_is_refused_with_a_message(
    client, world, ticked, message
):
    client.force_login(world.member)
    response = client.post(reverse("careteam:alerts_acknowledge"), {"alert": ticked})
    assert response.status_code == 400 and message in response.content.decode()
    assert Alert.objects.get(pk=world.alert.pk).acknowledged_at is None


def test_acknowledging_together_an_alert_of_another_team_changes_nothing(client, world):
    foreign = AlertFactory(kind="red_flag", severity="high", trigger="Not yours")
    client.force_login(world.member)
    response = client.post(
        reverse("careteam:alerts_acknowledge"),
        {"alert": [str(world.alert.public_id), str(foreign.public_id)]},
    )
    assert response.status_code == 404
    assert Alert.objects.get(pk=world.alert.pk).acknowledged_at is None
    assert Alert.objects.get(pk=foreign.pk).acknowledged_at is None


def test_an_alert_someone_else_acknowledged_meanwhile_is_reported_not_refused(client, world):
    second = AlertFactory(patient=world.patient, kind="red_flag", severity="high", trigger="Night pain")
    services.alert_acknowledge(alert=second, by=world.lead, comment="")
    client.force_login(world.member)
    client.post(
        reverse("careteam:alerts_acknowledge"), {"alert": [str(world.alert.public_id), str(second.public_id)]}
    )
    page = client.get(reverse("careteam:alert_list")).content.decode()
    assert "1 alert acknowledged." in page and "1 had already been acknowledged by someone else." in page
    second.refresh_from_db()
    assert second.acknowledged_by == world.lead


def test_the_inbox_names_a_renamed_patient_at_once_and_only_its_cards_have_tick_boxes(client, world):
    """An alert's summary is kept between views by a digest of what it shows; the record's cards have no tick
    box for the inbox's bulk form."""
    client.force_login(world.lead)
    tick = f'id="tick-{world.alert.public_id}"'
    assert tick in client.get(reverse("careteam:alert_list")).content.decode()
    world.patient.first_name = "Renamed"
    world.patient.save(update_fields=["first_name"])
    inbox = client.get(reverse("careteam:alert_list")).content.decode()
    assert f"Renamed {world.patient.last_name}</a>" in inbox and tick in inbox
    record = client.get(reverse("careteam:patient_detail", args=[world.patient_id])).content.decode()
    assert f'action="{reverse("careteam:alert_acknowledge", args=[world.alert.public_id])}"' in record
    assert tick not in record
