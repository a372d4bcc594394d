from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from careteam.models import Alert, CareTeamMembership, Note, Referral

pytestmark = pytest.mark.django_db


def _counts():
    return [model.objects.count() for model in (CareTeamMembership, Note, Referral, Alert)]


def test_the_demo_patient_has_a_team_notes_referrals_and_an_alert_and_a_rerun_adds_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    team = {
        (m.clinician.email, m.role) for m in CareTeamMembership.objects.active().select_related("clinician")
    }
    assert team == {
        ("physio@demo.test", "lead"),
        ("chiro@demo.test", "member"),
        ("massage@demo.test", "member"),
        ("psychotherapy@demo.test", "member"),
    }
    notes = Note.objects.all()
    assert notes.count() == 6
    assert len({note.author_discipline for note in notes}) == 4
    assert 0 < notes.filter(visibility="shared").count() < 6
    referrals = {
        (r.discipline, r.status, r.to_clinician.email if r.to_clinician else None, r.responded_by)
        for r in Referral.objects.select_related("to_clinician")
    }
    kinesiologist = User.objects.get(email="kinesiology@demo.test")
    assert referrals == {
        ("nutrition", "open", "nutrition@demo.test", None),
        ("kinesiology", "awaiting_lead", None, kinesiologist),
    }
    assert Alert.objects.filter(acknowledged_at__isnull=True).count() == 1

    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
