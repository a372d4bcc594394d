"""A patient's data rights: "Download my data" and "Close my account", and the admin completing a closure."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import GOALS_MAX_LENGTH, AccountClosureRequest, AuditEvent, PatientProfile
from careteam.models import Alert, AlertKind
from careteam.selectors import alert_inbox
from conditions.models import RedFlagScreen, SymptomCheck
from portal.data_rights import HTML_NAME, JSON_NAME
from rehab.services import plans
from reminders.models import Notification
from tests.factories import (
    TEST_PASSWORD,
    CareTeamMembershipFactory,
    ConditionFactory,
    MorningCheckInFactory,
    NoteAddendumFactory,
    NoteFactory,
    OutcomeMeasureFactory,
    PatientFactory,
    PlanTemplateFactory,
    ReminderSettingsFactory,
    ReminderTimeFactory,
    SessionLogFactory,
)


@pytest.fixture
def lead(patient, clinician):
    CareTeamMembershipFactory(patient=patient, clinician=clinician, role="lead")
    return clinician


@pytest.fixture
def full_record(patient, lead):
    """One of everything on the patient's record, and another patient with a record of their own."""
    plan = plans.plan_assign(
        patient=patient, template=PlanTemplateFactory(stage=1), by=lead, condition=ConditionFactory(),
        start_date=datetime.date(2026, 11, 2), goals="Sit through a film",
    )  # fmt: skip
    SessionLogFactory(plan=plan, note="Felt strong today")
    MorningCheckInFactory(plan=plan, pain_on_waking=3)
    OutcomeMeasureFactory(patient=patient, score=61)
    shared = NoteFactory(patient=patient, author=lead, visibility="shared", body="Shared: keep loading")
    NoteAddendumFactory(note=shared, body="Addendum: both sides")
    NoteFactory(patient=patient, author=lead, visibility="team", body="Team only: query referral")
    ReminderSettingsFactory(user=patient, nudge_time=datetime.time(19, 30))
    ReminderTimeFactory(user=patient, time=datetime.time(7, 45))
    Notification.objects.create(user=patient, title="Time for your exercises")
    SymptomCheck.objects.create(patient=patient, answers={"sitting_pain": True}, result_kind="assess")
    RedFlagScreen.objects.create(patient=patient, source="weekly", answers={"numbness": False})
    other = PatientFactory(email="someone.else@example.test")
    NoteFactory(patient=other, visibility="shared", body="Other patient's shared note")
    return plan


def download(client, patient):
    client.force_login(patient)
    response = client.post(reverse("data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-rehab-data-')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted([JSON_NAME, HTML_NAME])
    return json.loads(archive.read(JSON_NAME)), archive.read(HTML_NAME).decode()


def test_the_download_holds_every_part_of_the_patients_record(client, patient, full_record):
    data, html = download(client, patient)

    assert data["profile"]["email"] == patient.email
    assert data["profile"]["goals"] == "Run 10 km without pain"
    [plan] = data["plans"]
    assert plan["goals"] == "Sit through a film"
    assert [revision["number"] for revision in plan["revisions"]] == [1]
    assert plan["revisions"][0]["snapshot"]
    assert [session["note"] for session in data["sessions"]] == ["Felt strong today"]
    assert [check_in["pain_on_waking"] for check_in in data["check_ins"]] == [3]
    assert [outcome["score"] for outcome in data["questionnaires"]] == ["61.0"]
    assert data["reminders"]["settings"]["nudge_time"] == "19:30:00"
    assert [time["time"] for time in data["reminders"]["times"]] == ["07:45:00"]
    assert [n["title"] for n in data["reminders"]["notifications"]] == ["Time for your exercises"]
    assert [check["answers"] for check in data["self_checks"]] == [{"sitting_pain": True}]
    assert [screen["answers"] for screen in data["red_flag_screens"]] == [{"numbness": False}]
    for text in ("Sit through a film", "Felt strong today", "Shared: keep loading", "Addendum: both sides"):
        assert text in html


def test_the_download_holds_only_notes_shared_with_the_patient(client, patient, full_record):
    data, html = download(client, patient)

    assert [note["text"] for note in data["shared_notes"]] == ["Shared: keep loading"]
    assert [addendum["text"] for addendum in data["shared_notes"][0]["addenda"]] == ["Addendum: both sides"]
    assert "Team only" not in json.dumps(data)
    assert "Team only" not in html


def test_the_download_holds_nothing_of_another_patient(client, patient, full_record):
    data, html = download(client, patient)

    for text in (
        "someone.else@example.test",
        "Other patient's shared note",
        "Other patient&#x27;s shared note",
    ):
        assert text not in json.dumps(data)
        assert text not in html


def test_the_calendar_feed_key_is_not_in_the_download(client, patient, full_record):
    data, html = download(client, patient)

    key = patient.reminder_settings.feed_token
    assert key not in json.dumps(data)
    assert key not in html


def test_the_summary_escapes_what_people_wrote(client, patient, lead):
    NoteFactory(patient=patient, author=lead, visibility="shared", body="<script>alert('x')</script>")

    data, html = download(client, patient)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert data["shared_notes"][0]["text"] == "<script>alert('x')</script>"


def test_the_summary_needs_no_file_from_elsewhere(client, patient, full_record):
    _, html = download(client, patient)

    for reference in ("<link", "<script", "src=", "@import", "url("):
        assert reference not in html


def test_a_download_is_audited(client, patient, full_record):
    download(client, patient)

    event = AuditEvent.objects.get(action="patient.data_export")
    assert (event.actor, event.patient) == (patient, patient)


def test_the_page_explains_the_download_without_making_one(client, patient):
    client.force_login(patient)

    response = client.get(reverse("data_export"))

    assert response.status_code == 200
    assert b"Download my data" in response.content
    assert not AuditEvent.objects.filter(action="patient.data_export").exists()


@pytest.mark.parametrize("name", ["data_export", "account_close"])
def test_the_data_rights_pages_are_for_patients_only(client, clinician, admin_user, name):
    for person in (clinician, admin_user):
        client.force_login(person)
        assert client.get(reverse(name)).status_code == 404
        assert client.post(reverse(name)).status_code == 404
    client.logout()
    assert client.get(reverse(name)).status_code == 302


def test_the_account_page_links_to_both(client, patient):
    client.force_login(patient)

    page = client.get(reverse("accounts:details")).content.decode()

    assert reverse("data_export") in page
    assert reverse("account_close") in page


def close(client, patient, **changes):
    client.force_login(patient)
    form = {"confirm": "on", "password": TEST_PASSWORD, "reason": "Moving away"} | changes
    return client.post(reverse("account_close"), form)


def test_closing_the_account_stops_sign_in_at_once(client, patient):
    response = close(client, patient)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_closed")
    patient.refresh_from_db()
    assert not patient.is_active
    assert client.get(reverse("accounts:details")).status_code == 302  # this session is over
    sign_in = client.post(reverse("accounts:login"), {"username": patient.email, "password": TEST_PASSWORD})
    assert sign_in.status_code in (200, 400, 403)  # the sign-in page again, with a message
    assert "_auth_user_id" not in client.session
    closure = AccountClosureRequest.objects.get(patient=patient)
    assert (closure.reason, closure.completed_at) == ("Moving away", None)


def test_closing_ends_the_patients_other_sessions(client, patient):
    other_device = Client()
    other_device.force_login(patient)
    assert other_device.get(reverse("accounts:details")).status_code == 200

    close(client, patient)

    assert other_device.get(reverse("accounts:details")).status_code == 302


def test_the_care_team_is_told_of_the_closure(client, patient, lead):
    close(client, patient)

    alert = Alert.objects.get(patient=patient, kind=AlertKind.ACCOUNT_CLOSURE)
    assert alert in alert_inbox(lead)


def test_the_closure_request_is_audited(client, patient):
    close(client, patient)

    event = AuditEvent.objects.get(action="patient.account_closure")
    assert (event.actor, event.patient) == (patient, patient)


@pytest.mark.parametrize(
    "changes",
    [
        {"password": "not-my-password"},
        {"password": ""},
        {"confirm": ""},
        {"reason": "x" * 1001},
        {"password": "p" * 5000},
    ],
    ids=["wrong password", "no password", "not confirmed", "reason too long", "password too long"],
)
def test_a_refused_closure_gives_400_and_changes_nothing(client, patient, changes):
    response = close(client, patient, **changes)

    assert response.status_code == 400
    patient.refresh_from_db()
    assert patient.is_active
    assert not AccountClosureRequest.objects.exists()
    assert not Alert.objects.filter(kind=AlertKind.ACCOUNT_CLOSURE).exists()
    assert not AuditEvent.objects.filter(action="patient.account_closure").exists()


def test_the_closure_page_says_what_is_kept(client, patient):
    client.force_login(patient)

    page = client.get(reverse("account_close")).content.decode()

    assert "not deleted" in page
    assert "The law requires" in page


def complete(client, admin_user, closure):
    client.force_login(admin_user)
    return client.post(
        reverse("admin:accounts_accountclosurerequest_changelist"),
        {"action": "complete_closure", "_selected_action": [closure.pk], "index": 0},
    )


def test_an_admin_completes_the_closure_and_the_records_are_kept_and_marked_closed(
    client, patient, full_record, admin_user
):
    close(client, patient)
    closure = AccountClosureRequest.objects.get(patient=patient)

    response = complete(client, admin_user, closure)

    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.completed_by == admin_user
    assert closure.completed_at is not None
    assert PatientProfile.objects.get(user=patient).closed_at == closure.completed_at
    assert patient.rehab_plans.exists()
    assert patient.clinical_notes.count() == 2
    event = AuditEvent.objects.get(action="admin.account_closure_complete")
    assert (event.actor, event.patient) == (admin_user, patient)


def test_completing_a_closure_twice_keeps_the_first_completion(client, patient, admin_user):
    close(client, patient)
    closure = AccountClosureRequest.objects.get(patient=patient)
    complete(client, admin_user, closure)
    closure.refresh_from_db()
    first = (closure.completed_by, closure.completed_at)

    complete(client, admin_user, closure)

    closure.refresh_from_db()
    assert (closure.completed_by, closure.completed_at) == first
    assert AuditEvent.objects.filter(action="admin.account_closure_complete").count() == 1


def test_goals_longer_than_the_limit_are_refused(patient):
    profile = patient.patient_profile
    profile.goals = "g" * (GOALS_MAX_LENGTH + 1)

    with pytest.raises(ValidationError, match="at most 2000 characters"):
        profile.full_clean()


def test_the_download_takes_as_many_queries_for_a_long_record_as_for_a_short_one(
    client, patient, full_record, lead, django_assert_max_num_queries
):
    for day in range(2, 30):
        SessionLogFactory(plan=full_record, date=datetime.date(2026, 11, 1) + datetime.timedelta(days=day))
        NoteFactory(patient=patient, author=lead, visibility="shared")
    client.force_login(patient)
    with django_assert_max_num_queries(30):
        assert client.post(reverse("data_export")).status_code == 200
