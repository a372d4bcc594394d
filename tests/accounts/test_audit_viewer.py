"""The admins' audit viewer (the audit log in the admin), itself audited, and the audited history pages."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST, audit_record
from accounts.models import AuditEvent
from tests.factories import ConditionFactory, PatientFactory

LOG_URL = reverse("admin:accounts_auditevent_changelist")


@pytest.fixture
def events(patient, clinician):
    """A clinician reading the record today, their note ten days ago, and the patient's self-check."""
    read = audit_record(actor=clinician, action="record.view", patient=patient, audit=WITHOUT_REQUEST)
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    old = AuditEvent(actor=clinician, action="note.create", patient=patient, at=ten_days_ago)
    old.save()
    self_check = audit_record(actor=patient, action="selfcheck.submit", patient=None, audit=WITHOUT_REQUEST)
    return {"read": read, "old": old, "self_check": self_check}


def shown(client, **filters) -> set[int]:
    response = client.get(LOG_URL, filters)
    assert response.status_code == 200
    return {event.pk for event in response.context["cl"].result_list}


@pytest.fixture
def admin_client_signed_in(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_admin_sees_every_event_unfiltered(admin_client_signed_in, events):
    assert {event.pk for event in events.values()} <= shown(admin_client_signed_in)


def test_filtering_by_who_acted(admin_client_signed_in, events, patient):
    assert shown(admin_client_signed_in, actor=patient.email) == {events["self_check"].pk}
    assert shown(admin_client_signed_in, actor=f"{patient.first_name} {patient.last_name}") == {
        events["self_check"].pk
    }


def test_filtering_by_patient(admin_client_signed_in, events, patient):
    PatientFactory()  # another patient's events must not show
    expected = {events["read"].pk, events["old"].pk}
    assert shown(admin_client_signed_in, patient=patient.email) == expected


def test_filtering_by_kind_takes_a_name_or_its_start(admin_client_signed_in, events):
    assert shown(admin_client_signed_in, kind="note.create") == {events["old"].pk}
    assert shown(admin_client_signed_in, kind="selfcheck.") == {events["self_check"].pk}


def test_filtering_by_dates_includes_both_days(admin_client_signed_in, events):
    today = timezone.localdate()
    ten_days_ago = today - datetime.timedelta(days=10)

    assert shown(admin_client_signed_in, since=ten_days_ago, until=ten_days_ago) == {events["old"].pk}
    assert events["old"].pk not in shown(admin_client_signed_in, since=today - datetime.timedelta(days=9))
    assert shown(admin_client_signed_in, until=ten_days_ago) == {events["old"].pk}


def test_filters_combine_and_keep_the_search(admin_client_signed_in, events, clinician):
    result = shown(admin_client_signed_in, actor=clinician.email, kind="record.", q=clinician.email)
    assert result == {events["read"].pk}


def test_opening_the_viewer_is_audited_with_its_filters(admin_client_signed_in, admin_user, events, patient):
    shown(admin_client_signed_in, patient=patient.email, kind="record.")

    event = AuditEvent.objects.filter(action="audit.view").get()
    assert event.actor == admin_user
    assert f"patient={patient.email}" in event.detail
    assert "kind=record." in event.detail


def test_opening_one_event_is_audited(admin_client_signed_in, admin_user, events, patient):
    url = reverse("admin:accounts_auditevent_change", args=[events["old"].pk])

    assert admin_client_signed_in.get(url).status_code == 200

    event = AuditEvent.objects.filter(action="audit.view").get()
    assert (event.actor, event.patient, event.object_id) == (admin_user, patient, str(events["old"].pk))


@pytest.mark.parametrize(
    "filters",
    [{"since": "yesterday"}, {"until": "2026-02-30"}, {"since": "2026-05-02", "until": "2026-05-01"},
     {"actor": "a" * 255}, {"kind": "k" * 65}],
    ids=["not a date", "no such day", "dates reversed", "name too long", "kind too long"],
)  # fmt: skip
def test_a_bad_filter_gives_400_with_a_message_and_shows_nothing(admin_client_signed_in, events, filters):
    response = admin_client_signed_in.get(LOG_URL, filters)

    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert events["self_check"].action.encode() not in response.content
    assert not AuditEvent.objects.filter(action="audit.view").exists()


def test_clinicians_and_patients_cannot_open_the_viewer(client, clinician, patient, events):
    for person in (clinician, patient):
        client.force_login(person)
        response = client.get(LOG_URL)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
    assert not AuditEvent.objects.filter(action="audit.view").exists()


def test_the_viewer_needs_as_many_queries_for_many_events_as_for_few(
    admin_client_signed_in, clinician, django_assert_max_num_queries
):
    for _ in range(60):
        audit_record(actor=clinician, action="record.view", patient=PatientFactory(), audit=WITHOUT_REQUEST)
    with django_assert_max_num_queries(12):
        assert admin_client_signed_in.get(LOG_URL).status_code == 200


def test_every_admin_history_page_is_audited():
    for model_admin in admin.site._registry.values():
        assert getattr(model_admin.history_view, "audited", False), model_admin


def test_opening_a_patients_history_in_the_admin_is_audited(admin_client_signed_in, admin_user, patient):
    url = reverse("admin:accounts_user_history", args=[patient.pk])

    assert admin_client_signed_in.get(url).status_code == 200

    event = AuditEvent.objects.get(action="admin.history_view")
    assert (event.actor, event.patient, event.object_id) == (admin_user, patient, str(patient.pk))


def test_opening_the_history_of_content_is_audited_without_a_patient(admin_client_signed_in, admin_user):
    condition = ConditionFactory()
    url = reverse("admin:conditions_condition_history", args=[condition.pk])

    assert admin_client_signed_in.get(url).status_code == 200

    event = AuditEvent.objects.get(action="admin.history_view")
    assert (event.actor, event.patient) == (admin_user, None)
    assert event.detail == f"conditions.Condition {condition.pk}"
