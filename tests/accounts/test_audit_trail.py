import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.audit import WITHOUT_REQUEST, audit_staff_read, client_ip
from accounts.models import AuditEvent
from tests.factories import CareTeamMembershipFactory, ClinicianFactory, NoteFactory, PatientFactory


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded", "expected"),
    [
        (True, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the proxy appends the real address last
        (True, "not-an-ip", "10.0.0.1"),
        (True, "", "10.0.0.1"),
        (False, "198.51.100.7", "10.0.0.1"),  # without our proxy the header is the client's own words
    ],
)
def test_the_audit_address_is_the_one_our_proxy_saw(settings, behind_proxy, forwarded, expected):
    settings.BEHIND_TLS_PROXY = behind_proxy
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_a_malformed_forwarded_header_cannot_break_an_audited_page(client, settings, admin_user):
    settings.BEHIND_TLS_PROXY = True
    note = NoteFactory()
    client.force_login(admin_user)
    response = client.get(
        reverse("careteam:patient_detail", args=[note.patient.patient_profile.public_id]),
        HTTP_X_FORWARDED_FOR="not-an-ip",
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(actor=admin_user, patient=note.patient).exists()


@pytest.mark.django_db
def test_an_admin_reading_patient_records_in_the_admin_site_is_audited(client, admin_user):
    note = NoteFactory()
    client.force_login(admin_user)
    assert client.get(reverse("admin:careteam_note_change", args=[note.pk])).status_code == 200
    assert client.get(reverse("admin:careteam_note_changelist")).status_code == 200
    actions = set(
        AuditEvent.objects.filter(actor=admin_user, patient=note.patient).values_list("action", flat=True)
    )
    assert actions == {"admin.note.view", "admin.note.list"}


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def audit_a_staff_read() -> list[str]:
    """The SQL of one staff read's audit rows, as written."""
    clinician, patient = ClinicianFactory(), PatientFactory()
    with CaptureQueriesContext(connection) as queries:
        audit_staff_read(actor=clinician, action="patient.view", patient=patient, audit=WITHOUT_REQUEST)
    assert AuditEvent.objects.filter(actor=clinician, patient=patient, action="patient.view").count() == 1
    return [query["sql"] for query in queries.captured_queries]


@pytest.fixture
def commits_wait_for_the_disk():
    """As a production server is set (the tests' own is not, for speed)."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO on")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET synchronous_commit")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("commits_wait_for_the_disk")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_a_staff_reads_audit_rows_alone_commit_without_waiting_for_the_disk_unless_the_clinic_asks(settings):
    settings.AUDIT_READS_WAIT_FOR_DISK = False
    assert any("set_config('synchronous_commit', 'off', true)" in sql for sql in audit_a_staff_read())
    assert synchronous_commit() == "on", "only for the audit rows' own transaction"
    settings.AUDIT_READS_WAIT_FOR_DISK = True
    assert not any("synchronous_commit" in sql for sql in audit_a_staff_read())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("commits_wait_for_the_disk")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_a_staff_read_inside_a_write_waits_for_the_disk_with_the_write(settings):
    settings.AUDIT_READS_WAIT_FOR_DISK = False
    with transaction.atomic():
        assert not any("synchronous_commit" in sql for sql in audit_a_staff_read())
        assert synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True)
def test_a_kept_record_view_is_audited_in_its_own_committed_transaction(client, settings):
    settings.AUDIT_READS_WAIT_FOR_DISK = False
    note = NoteFactory()
    clinician = note.author
    CareTeamMembershipFactory(patient=note.patient, clinician=clinician)
    client.force_login(clinician)
    url = reverse("careteam:patient_detail", args=[note.patient.patient_profile.public_id])
    views = AuditEvent.objects.filter(actor=clinician, patient=note.patient, action="patient.view")
    for expected in (1, 2, 3):
        assert client.get(url).status_code == 200
        assert views.count() == expected
