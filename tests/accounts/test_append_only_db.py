"""On PostgreSQL the database itself refuses to change or remove append-only rows, whatever the client.

The ORM refuses too (tests/common); these tests go around it with raw SQL, as a database client or an
injected query would.
"""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.audit import WITHOUT_REQUEST, audit_record
from accounts.models import AuditEvent
from careteam.models import Note, NoteAddendum
from rehab.models import PlanRevision
from rehab.services import plans
from tests.factories import ConditionFactory, NoteAddendumFactory, PlanTemplateFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only triggers exist on PostgreSQL only; SQLite relies on the ORM's refusal",
)

TABLES = [AuditEvent, Note, NoteAddendum, PlanRevision]


@pytest.fixture
def one_row_each(patient, clinician):
    """An audit row, a note with an addendum and a plan's first revision, as the portal writes them."""
    audit_record(actor=clinician, action="test.write", patient=patient, audit=WITHOUT_REQUEST)
    NoteAddendumFactory(note__patient=patient, note__author=clinician, author=clinician)
    plans.plan_assign(
        patient=patient, template=PlanTemplateFactory(stage=1), by=clinician, condition=ConditionFactory(),
        start_date=datetime.date(2026, 11, 2),
    )  # fmt: skip
    for model in TABLES:
        assert model.objects.exists()


def run_sql(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.parametrize("model", TABLES, ids=lambda model: model.__name__)
def test_raw_update_is_refused(one_row_each, model):
    table = connection.ops.quote_name(model._meta.db_table)
    with pytest.raises(DatabaseError, match="pgtrigger: Cannot update or delete rows"):
        run_sql(f"UPDATE {table} SET id = id")  # noqa: S608 - the table name is ours


@pytest.mark.parametrize("model", TABLES, ids=lambda model: model.__name__)
def test_raw_delete_is_refused(one_row_each, model):
    table = connection.ops.quote_name(model._meta.db_table)
    with pytest.raises(DatabaseError, match="pgtrigger: Cannot update or delete rows"):
        run_sql(f"DELETE FROM {table}")  # noqa: S608 - the table name is ours
    assert model.objects.exists()


def test_inserts_still_work(patient, clinician):
    before = AuditEvent.objects.count()
    audit_record(actor=clinician, action="test.write", patient=patient, audit=WITHOUT_REQUEST)
    NoteAddendumFactory(note__patient=patient, note__author=clinician, author=clinician)
    assert AuditEvent.objects.count() == before + 1
    assert NoteAddendum.objects.filter(note__patient=patient).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_test_database_is_still_emptied_between_transactional_tests(patient, clinician):
    """Flushing truncates the tables, which fires no row trigger."""
    audit_record(actor=clinician, action="test.write", patient=patient, audit=WITHOUT_REQUEST)
    assert AuditEvent.objects.filter(action="test.write").count() == 1
