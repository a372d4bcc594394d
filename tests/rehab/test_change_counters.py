"""The change counters' triggers (common/change_counters.py, portal/change_tracking.py), on each database."""

import pytest
from django.apps import apps
from django.db import connection

from accounts.models import User
from common.change_counters import EVERYONE, TRIGGER_PREFIX, counts_of
from common.models import ChangeCounter
from portal.change_tracking import UNTRACKED, tracked_models
from rehab.models import ExerciseDone, Prescription, SessionLog
from tests.factories import (
    CareTeamMembershipFactory,
    ClinicianFactory,
    ExerciseFactory,
    PatientFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.django_db


def count_of(person: User | int) -> int:
    scope = person if isinstance(person, int) else person.pk
    counter = ChangeCounter.objects.filter(scope=scope).first()
    return counter.n if counter else 0


def triggers_on(table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table]
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        return {name for (name,) in cursor.fetchall() if name.startswith(TRIGGER_PREFIX)}


def test_every_model_is_tracked_or_said_to_be_untracked_and_why():
    every_model = {model._meta.label for model in apps.get_models(include_auto_created=True)}
    tracked = {each.model._meta.label for each in tracked_models()}
    assert not tracked & set(UNTRACKED), "a model is both tracked and untracked"
    assert every_model - tracked - set(UNTRACKED) == set(), "track these models or say why not"
    assert set(UNTRACKED) <= every_model, "an untracked model no longer exists"
    assert all(reason for reason in UNTRACKED.values())


def test_every_tracked_table_has_its_triggers_in_the_database():
    expected = 2 if connection.vendor == "postgresql" else 3  # per operation on SQLite
    missing = [each.table for each in tracked_models() if len(triggers_on(each.table)) != expected]
    assert missing == []


def test_writes_through_the_orm_update_and_sql_each_count_for_the_patient(stage_one_plan, patient):
    before = count_of(patient)
    session = SessionLogFactory(plan=stage_one_plan)
    after_insert = count_of(patient)
    SessionLog.objects.filter(pk=session.pk).update(note="Felt fine")
    after_update = count_of(patient)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE rehab_sessionlog SET effort = 6 WHERE id = %s", [session.pk])
    after_sql = count_of(patient)
    SessionLog.objects.filter(pk=session.pk).delete()
    assert before < after_insert < after_update < after_sql < count_of(patient)


def test_a_row_reached_through_its_plan_or_session_counts_for_that_patient(stage_one_plan, patient):
    other = PatientFactory()
    prescription = stage_one_plan.prescriptions.first()
    before = count_of(patient), count_of(other)
    Prescription.objects.filter(pk=prescription.pk).update(sets=5)
    session = SessionLogFactory(plan=stage_one_plan)
    after_session = count_of(patient)
    exercise = prescription.exercise
    ExerciseDone.objects.create(
        session=session, prescription=prescription, exercise=exercise, sets_done=3, sets_prescribed=3
    )
    assert count_of(patient) > after_session > before[0] + 1
    assert count_of(other) == before[1]


def test_signing_in_counts_for_nobody_but_a_new_name_counts_for_everyone(patient):
    everyone = count_of(EVERYONE)
    User.objects.filter(pk=patient.pk).update(last_login="2026-11-30T08:00:00Z")
    assert count_of(EVERYONE) == everyone
    User.objects.filter(pk=patient.pk).update(last_name="Okafor-Reyes")
    assert count_of(EVERYONE) == everyone + 1


def test_the_exercise_library_counts_for_everyone():
    everyone = count_of(EVERYONE)
    ExerciseFactory(name="Long-lever bridge")
    assert count_of(EVERYONE) == everyone + 1


def test_the_digest_of_a_caseload_changes_when_one_patient_is_swapped_for_another():
    clinician = ClinicianFactory()
    first, second, third = PatientFactory(), PatientFactory(), PatientFactory()
    CareTeamMembershipFactory(patient=first, clinician=clinician)
    leaving = CareTeamMembershipFactory(patient=second, clinician=clinician)

    def caseload():
        counts, _ = counts_of(clinician.pk, among=clinician.care_team_memberships.values("patient"))
        return counts

    before = caseload()
    leaving.delete()
    CareTeamMembershipFactory(patient=third, clinician=clinician)
    after = caseload()
    assert after != before
    assert caseload() == after  # reading changes nothing
