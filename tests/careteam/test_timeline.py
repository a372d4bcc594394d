import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from careteam import services, timeline
from careteam.timeline import TimelineEntry, timeline_page
from tests.factories import AlertFactory, ClinicianFactory, NoteAddendumFactory, NoteFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def test_the_timeline_merges_everything_on_the_record_newest_first(world):
    nutritionist = ClinicianFactory(profile__discipline="nutrition")
    NoteAddendumFactory(note=world.note, reason="Adds the scan result")
    services.referral_accept(referral=world.referral, clinician=nutritionist)
    services.alert_acknowledge(alert=world.alert, by=world.lead, comment="Reviewed")

    entries = timeline_page(world.patient).entries

    titles = [entry.title for entry in entries]
    assert any(title.startswith("Physiotherapy note") for title in titles)
    assert "Addendum: Adds the scan result" in titles
    assert "Referred to nutrition" in titles and "Referral to nutrition accepted" in titles
    assert "Medium alert raised: pain over threshold" in titles
    assert "Alert acknowledged: pain over threshold" in titles
    assert any("joined the team as lead clinician" in title for title in titles)
    assert [entry.at for entry in entries] == sorted((entry.at for entry in entries), reverse=True)


def test_the_timeline_shows_the_leads_answer_to_an_acceptance(world):
    kinesiologist = ClinicianFactory(profile__discipline="kinesiology")
    confirmed = ReferralFactory(patient=world.patient, referred_by=world.lead, discipline="kinesiology")
    declined = ReferralFactory(patient=world.patient, referred_by=world.lead, discipline="massage")
    services.referral_accept(referral=confirmed, clinician=kinesiologist)
    services.referral_confirm(referral=confirmed, by=world.lead)
    services.referral_accept(referral=declined, clinician=world.ended_member)
    services.referral_decline_acceptance(referral=declined, by=world.lead, reason="Not this time")

    by_title = {entry.title: entry for entry in timeline_page(world.patient).entries}

    assert "Acceptance of the referral to kinesiology confirmed by the lead" in by_title
    refusal = by_title["Acceptance of the referral to massage therapy declined by the lead"]
    assert refusal.detail == "Not this time" and refusal.actor == "Priya Shah"
    assert "Referral to massage therapy accepted" in by_title


def test_the_timeline_pages_through_a_long_history_without_losing_or_repeating_entries(world):
    start = timezone.now() - datetime.timedelta(days=100)
    for day in range(60):
        NoteFactory(patient=world.patient, author=world.lead, created_at=start + datetime.timedelta(days=day))
    seen = []
    number = 1
    while True:
        page = timeline_page(world.patient, number, page_size=25)
        seen.extend(page.entries)
        if not page.has_next:
            break
        number += 1
    total_notes = 60 + 2
    assert len([entry for entry in seen if entry.category == "Note"]) == total_notes
    assert len(seen) == len(set(seen))
    assert number == -(-len(seen) // 25)


def test_another_app_can_add_a_timeline_source(world):
    at = timezone.now() + datetime.timedelta(minutes=1)

    def sessions(patient, limit):
        return [TimelineEntry(at=at, category="Session", title="Logged a session, pain 2/10")][:limit]

    timeline.register("tests.sessions", sessions)
    try:
        assert timeline_page(world.patient).entries[0].title == "Logged a session, pain 2/10"
    finally:
        timeline._sources.pop("tests.sessions")


@pytest.mark.parametrize("size", [5, 80])
def test_the_timeline_page_query_count_does_not_grow_with_the_history(
    client, world, size, django_assert_max_num_queries
):
    for _ in range(size):
        note = NoteFactory(patient=world.patient, author=world.lead)
        NoteAddendumFactory(note=note)
        ReferralFactory(patient=world.patient, referred_by=world.lead)
        AlertFactory(patient=world.patient)
    client.force_login(world.lead)
    url = reverse("careteam:timeline", args=[world.patient_id])
    # 18 for the page, + 1 for the navbar bell's unread count (reminders/context_processors.py).
    with django_assert_max_num_queries(19):
        first = client.get(url)
    with django_assert_max_num_queries(19):
        third = client.get(url, {"page": 3})
    assert first.status_code == third.status_code == 200
    assert len(first.context["page"].entries) == 25


def test_a_nonsense_page_number_shows_the_first_page(client, world):
    client.force_login(world.lead)
    response = client.get(reverse("careteam:timeline", args=[world.patient_id]), {"page": "lots"})
    assert response.status_code == 200 and response.context["page"].number == 1
