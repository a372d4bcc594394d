"""Every free-text field of the care team has a length limit, in the model and in the form: an over-long value
gets a 400 with a message, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from careteam import services
from careteam.models import NOTE_TEXT_MAX, REASON_MAX, Alert, Note, NoteAddendum, Referral, ReferralStatus
from tests.factories import ClinicianFactory, ReferralFactory

pytestmark = pytest.mark.django_db

TOO_LONG_NOTE = "\\[" * (NOTE_TEXT_MAX // 2) + "x"
TOO_LONG_REASON = "r" * (REASON_MAX + 1)


def _refused(response, limit: int) -> None:
    assert response.status_code == 400
    assert f"at most {limit:,}".replace(",", "") in response.content.decode().replace(",", "")


@pytest.mark.parametrize("field", ["subjective", "objective", "assessment", "plan", "body"])
def test_an_over_long_note_field_is_refused_and_nothing_is_saved(client, world, field):
    client.force_login(world.lead)
    before = Note.objects.count()
    response = client.post(
        reverse("careteam:note_create", args=[world.patient_id]), {"visibility": "team", field: TOO_LONG_NOTE}
    )
    _refused(response, NOTE_TEXT_MAX)
    assert Note.objects.count() == before


def test_a_note_field_at_the_limit_is_saved(client, world):
    client.force_login(world.lead)
    response = client.post(
        reverse("careteam:note_create", args=[world.patient_id]),
        {"visibility": "team", "body": "b" * NOTE_TEXT_MAX},
    )
    assert response.status_code == 302
    assert Note.objects.filter(body="b" * NOTE_TEXT_MAX).exists()


def test_an_over_long_addendum_is_refused_and_nothing_is_saved(client, world):
    client.force_login(world.lead)
    url = reverse("careteam:note_addendum", args=[world.note.public_id])
    _refused(client.post(url, {"reason": "Correction", "body": TOO_LONG_NOTE}), NOTE_TEXT_MAX)
    _refused(client.post(url, {"reason": "r" * 301, "body": "Fine"}), 300)
    assert not NoteAddendum.objects.exists()


def test_an_over_long_referral_reason_is_refused_and_nothing_is_saved(client, world):
    client.force_login(world.lead)
    before = Referral.objects.count()
    response = client.post(
        reverse("careteam:referral_create", args=[world.patient_id]),
        {"discipline": "kinesiology", "urgency": "routine", "reason": TOO_LONG_REASON},
    )
    _refused(response, REASON_MAX)
    assert Referral.objects.count() == before


def test_over_long_decline_reasons_are_refused_and_the_referral_stays_as_it_was(client, world):
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    named = ReferralFactory(patient=world.patient, referred_by=world.lead, to_clinician=nutritionist)
    client.force_login(nutritionist)
    _refused(
        client.post(
            reverse("careteam:referral_decline", args=[named.public_id]), {"reason": TOO_LONG_REASON}
        ),
        REASON_MAX,
    )
    assert Referral.objects.get(pk=named.pk).status == ReferralStatus.OPEN

    waiting = ReferralFactory(patient=world.patient, referred_by=world.lead, discipline="nutrition")
    services.referral_accept(referral=waiting, clinician=nutritionist)
    client.force_login(world.lead)
    url = reverse("careteam:referral_decline_acceptance", args=[waiting.public_id])
    _refused(client.post(url, {"reason": TOO_LONG_REASON}), REASON_MAX)
    assert Referral.objects.get(pk=waiting.pk).status == ReferralStatus.AWAITING_LEAD


def test_an_over_long_acknowledgement_is_refused_and_the_alert_stays_open(client, world):
    client.force_login(world.lead)
    response = client.post(
        reverse("careteam:alert_acknowledge", args=[world.alert.public_id]), {"comment": TOO_LONG_REASON}
    )
    _refused(response, REASON_MAX)
    assert Alert.objects.get(pk=world.alert.pk).acknowledged_at is None


def test_the_models_refuse_over_long_text_whoever_calls_the_services(world):
    with pytest.raises(ValidationError, match="at most 10000"):
        services.note_create(patient=world.patient, author=world.lead, body=TOO_LONG_NOTE)
    with pytest.raises(ValidationError, match="at most 2000"):
        services.referral_create(
            patient=world.patient, referred_by=world.lead, discipline="nutrition", reason=TOO_LONG_REASON
        )
    with pytest.raises(ValidationError, match="at most 2000"):
        services.alert_acknowledge(alert=world.alert, by=world.lead, comment=TOO_LONG_REASON)
    assert not Note.objects.filter(body=TOO_LONG_NOTE).exists()
    assert not Referral.objects.filter(reason=TOO_LONG_REASON).exists()
