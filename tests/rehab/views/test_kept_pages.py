"""Pages kept for a signed-in person (common/private_page_cache.py): served again only while nothing they show
has changed, whoever changed it, and never to anyone else."""

import datetime

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from careteam.models import CareTeamMembership
from common.private_page_cache import KeptPage
from conditions import red_flags
from rehab.models import Exercise
from rehab.services import screening
from reminders.models import Notification
from tests.factories import (
    AlertFactory,
    CareTeamMembershipFactory,
    ClinicianFactory,
    PatientFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.django_db

TODAY = reverse("rehab:today")
MY_PATIENTS = reverse("rehab:patient_list")
INBOX = reverse("careteam:alert_list")


def record_of(patient: User) -> str:
    return reverse("careteam:patient_detail", args=[patient.patient_profile.public_id])


def builder_of(patient: User) -> str:
    return reverse("rehab:plan_builder", args=[patient.patient_profile.public_id])


def kept_view(client, url: str):
    """The page viewed three times: the first view sets the CSRF cookie that the key needs, the second is
    drawn and kept, the third is served kept. Returns the third response, and the query counts of drawing
    and of serving kept."""
    client.get(url)
    with CaptureQueriesContext(connection) as drawing:
        drawn = client.get(url)
    assert drawn.context is not None
    with CaptureQueriesContext(connection) as serving:
        kept = client.get(url)
    assert kept.status_code == 200
    assert kept.context is None, "the page was drawn again, not served kept"
    assert kept.content == drawn.content
    return kept, (len(drawing), len(serving))


def test_today_is_served_kept_with_fewer_queries_than_drawing_it(client, stage_one_plan, patient):
    client.force_login(patient)
    _, (drawing, serving) = kept_view(client, TODAY)
    assert serving < drawing


def test_a_session_saved_elsewhere_shows_on_the_very_next_view(client, stage_one_plan, patient):
    client.force_login(patient)
    kept_view(client, TODAY)
    SessionLogFactory(plan=stage_one_plan, date=timezone.localtime(timezone=patient.zone).date())
    assert client.get(TODAY).context is not None


def test_a_red_flag_hold_shows_on_the_very_next_view_of_a_kept_today(client, stage_one_plan, patient, team):
    client.force_login(patient)
    kept, _ = kept_view(client, TODAY)
    assert "Your exercises are on hold" not in kept.content.decode()
    answers = {**dict.fromkeys(red_flags.RED_FLAG_CODES, False), "night_pain": True}
    screening.weekly_check_record(plan=stage_one_plan, patient=patient, answers=answers)
    assert "Your exercises are on hold" in client.get(TODAY).content.decode()


def test_a_new_notification_shows_on_the_bell_at_once(client, stage_one_plan, patient):
    client.force_login(patient)
    kept, _ = kept_view(client, TODAY)
    assert "none unread" in kept.content.decode()
    Notification.objects.create(user=patient, title="Time for your exercises", body="", url="")
    assert "1 unread" in client.get(TODAY).content.decode()


def test_a_library_edit_in_the_admin_shows_on_the_next_view(client, stage_one_plan, patient):
    client.force_login(patient)
    kept_view(client, TODAY)
    prescribed = stage_one_plan.prescriptions.select_related("exercise").first().exercise
    Exercise.objects.filter(pk=prescribed.pk).update(name="Bridge hold, heels on a step")
    assert "Bridge hold, heels on a step" in client.get(TODAY).content.decode()


def test_another_patient_never_gets_a_page_kept_for_someone_else(client, stage_one_plan, patient):
    client.force_login(patient)
    kept_view(client, TODAY)
    other = PatientFactory(first_name="Ngozi")
    client.force_login(other)
    client.get(TODAY)
    page = client.get(TODAY).content.decode()
    assert "Ngozi" in page and patient.first_name not in page


def test_a_page_with_a_message_waiting_is_drawn_so_that_it_shows_the_message(patient):
    def request_with(*waiting: str):
        request = RequestFactory().get(TODAY)
        request.user, request.session = patient, SessionStore()
        request.META["CSRF_COOKIE"] = "a" * 32
        request._messages = FallbackStorage(request)
        for text in waiting:
            messages.success(request, text)
        return request

    assert KeptPage(request_with()).key is not None
    assert KeptPage(request_with("Your session is saved.")).key is None


def test_an_address_with_a_parameter_the_page_does_not_read_is_drawn_and_not_kept(
    client, stage_one_plan, patient
):
    client.force_login(patient)
    kept_view(client, TODAY)
    for _ in range(2):
        assert client.get(TODAY, {"utm_source": "newsletter"}).context is not None


def test_a_change_to_the_persons_own_row_as_signed_in_is_a_different_page(patient):
    """The middleware reads the person before the counters; the key holds that row as read, so a role or
    name read a moment before a change never reaches a page kept under the counts after it."""

    def key_with(**changes):
        request = RequestFactory().get(TODAY)
        request.user, request.session = patient, SessionStore()
        for name, value in changes.items():
            setattr(patient, name, value)
        request.META["CSRF_COOKIE"] = "a" * 32
        request._messages = FallbackStorage(request)
        return KeptPage(request).key

    assert key_with() == key_with()
    assert key_with(first_name="Renamed") != key_with(first_name="Original")
    assert key_with(is_active=False) != key_with(is_active=True)


def test_a_quarter_hour_later_the_page_is_drawn_again(client, stage_one_plan, patient, monkeypatch):
    client.force_login(patient)
    kept_view(client, TODAY)
    later = timezone.now() + datetime.timedelta(minutes=15)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(TODAY).context is not None


def test_an_htmx_request_is_never_served_a_kept_page(client, stage_one_plan, clinician, team, patient):
    client.force_login(clinician)
    kept_view(client, builder_of(patient))
    htmx = {"HX-Request": "true", "HX-Target": "exercise-results"}
    fragment = client.get(builder_of(patient), headers=htmx)
    assert fragment.context is not None


def test_a_kept_record_is_audited_on_every_view_and_refused_once_the_team_ends(
    client, patient, clinician, team
):
    client.force_login(clinician)
    kept_view(client, record_of(patient))
    views = AuditEvent.objects.filter(actor=clinician, action="patient.view", patient=patient)
    before = views.count()
    client.get(record_of(patient))
    assert views.count() == before + 1
    CareTeamMembership.objects.filter(pk=team.pk).update(
        active_from=datetime.date(2020, 1, 1), active_to=datetime.date(2020, 2, 1)
    )
    assert client.get(record_of(patient)).status_code == 404


def test_a_kept_caseload_writes_an_audit_row_for_each_patient_it_shows(client, clinician, team, patient):
    second = PatientFactory()
    CareTeamMembershipFactory(patient=second, clinician=clinician)
    client.force_login(clinician)
    kept_view(client, MY_PATIENTS)
    before = AuditEvent.objects.filter(actor=clinician, action="patient_list.view")
    shown = set(before.values_list("patient_id", flat=True))
    count = before.count()
    client.get(MY_PATIENTS)
    after = AuditEvent.objects.filter(actor=clinician, action="patient_list.view")
    assert shown == {patient.pk, second.pk}
    assert after.count() == count + 2


def test_a_new_alert_for_any_patient_of_the_caseload_shows_in_the_inbox_at_once(client, clinician, team):
    second = PatientFactory(last_name="Abernathy")
    CareTeamMembershipFactory(patient=second, clinician=clinician)
    client.force_login(clinician)
    kept, _ = kept_view(client, INBOX)
    assert "Abernathy" not in kept.content.decode()
    AlertFactory(patient=second, trigger="Pain 7/10 during the session.")
    page = client.get(INBOX).content.decode()
    assert "Abernathy" in page
    audited = AuditEvent.objects.filter(actor=clinician, action="alert_inbox.view", patient=second)
    assert audited.exists()


def test_an_alert_for_any_patient_of_the_caseload_shows_on_my_patients_at_once(client, clinician, team):
    second = PatientFactory(last_name="Abernathy")
    CareTeamMembershipFactory(patient=second, clinician=clinician)
    client.force_login(clinician)
    kept, _ = kept_view(client, MY_PATIENTS)
    flagged = 'text-bg-danger">Needs attention'
    assert flagged not in kept.content.decode()
    AlertFactory(patient=second, trigger="Pain 7/10 during the session.")
    assert flagged in client.get(MY_PATIENTS).content.decode()


def test_a_patient_joining_or_leaving_the_caseload_shows_on_my_patients_at_once(client, clinician, team):
    client.force_login(clinician)
    kept_view(client, MY_PATIENTS)
    joining = CareTeamMembershipFactory(patient=PatientFactory(last_name="Abernathy"), clinician=clinician)
    assert "Abernathy" in client.get(MY_PATIENTS).content.decode()
    client.get(MY_PATIENTS)  # kept again
    joining.delete()
    assert "Abernathy" not in client.get(MY_PATIENTS).content.decode()


@pytest.mark.parametrize(
    ("page", "action"),
    [
        (builder_of, "rehab.plan.view"),
        (
            lambda patient: reverse("rehab:patient_progress", args=[patient.patient_profile.public_id]),
            "rehab.progress.view",
        ),
    ],
)
def test_a_kept_builder_or_progress_page_is_audited_on_every_view(
    client, stage_one_plan, clinician, team, patient, page, action
):
    client.force_login(clinician)
    kept_view(client, page(patient))
    views = AuditEvent.objects.filter(actor=clinician, action=action, patient=patient)
    before = views.count()
    client.get(page(patient))
    assert views.count() == before + 1


def test_another_clinician_is_refused_a_record_kept_for_the_team(client, patient, clinician, team):
    outsider = ClinicianFactory()
    client.force_login(clinician)
    kept_view(client, record_of(patient))
    client.force_login(outsider)
    client.get(record_of(patient))
    assert client.get(record_of(patient)).status_code == 404


def test_an_admins_caseload_and_inbox_are_drawn_every_time(client, admin_user, team, patient):
    """An admin's lists are every patient's, not only those the admin follows (on care teams)."""
    client.force_login(admin_user)
    for url in (MY_PATIENTS, INBOX):
        client.get(url)
        assert client.get(url).context is not None
        assert client.get(url).context is not None
