"""The change counters' triggers (common/change_counters.py, portal/change_tracking.py), on each database."""

import pytest
from django.apps import apps
from django.db import connection, transaction

from accounts.models import User
from common.change_counters import (
    EVERYONE,
    FOLLOWERS_TRIGGER,
    PENDING_TABLE,
    TRIGGER_PREFIX,
    counts_of,
    followed_by,
)
from common.models import ChangeCounter
from portal.change_tracking import UNTRACKED, install_change_triggers, tracked_models
from rehab.models import ExerciseDone, Prescription, SessionLog
from tests.factories import (
    AlertFactory,
    CareTeamMembershipFactory,
    ClinicianFactory,
    ExerciseFactory,
    PatientFactory,
    SessionLogFactory,
)
from tests.migrating import migrate_to, migrate_to_latest

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
    if connection.vendor == "postgresql":
        assert triggers_on(PENDING_TABLE) == {FOLLOWERS_TRIGGER}


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


def test_a_write_about_a_patient_counts_once_for_each_clinician_of_their_care_teams(stage_one_plan, patient):
    on_team, other_team, elsewhere = ClinicianFactory(), ClinicianFactory(), ClinicianFactory()
    CareTeamMembershipFactory(patient=patient, clinician=on_team)
    CareTeamMembershipFactory(patient=patient, clinician=other_team)
    CareTeamMembershipFactory(patient=PatientFactory(), clinician=elsewhere)
    scopes = [followed_by(clinician.pk) for clinician in (on_team, other_team, elsewhere)]
    before = [count_of(scope) for scope in scopes]
    SessionLogFactory(plan=stage_one_plan)
    assert [count_of(scope) for scope in scopes] == [before[0] + 1, before[1] + 1, before[2]]


def test_joining_or_leaving_a_care_team_counts_for_the_clinician_themself(patient):
    clinician = ClinicianFactory()
    before = count_of(clinician)
    membership = CareTeamMembershipFactory(patient=patient, clinician=clinician)
    joined = count_of(clinician)
    membership.delete()
    assert before < joined < count_of(clinician)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's writers take turns: counted at once")
def test_on_postgresql_the_followers_are_counted_when_the_transaction_commits():
    patient, clinician = PatientFactory(), ClinicianFactory()
    CareTeamMembershipFactory(patient=patient, clinician=clinician)
    caseload = followed_by(clinician.pk)
    before = count_of(caseload)
    with transaction.atomic():
        AlertFactory(patient=patient)
        assert count_of(caseload) == before
        assert count_of(patient) > 0  # the patient's own counter at once
    assert count_of(caseload) == before + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's writers take turns: counted at once")
def test_a_transaction_about_patients_of_several_clinicians_counts_each_follower_once_at_commit():
    first, second = ClinicianFactory(), ClinicianFactory()
    patients = [PatientFactory() for _ in range(3)]
    for patient in patients:
        CareTeamMembershipFactory(patient=patient, clinician=first)
    CareTeamMembershipFactory(patient=patients[2], clinician=second)
    before = count_of(followed_by(first.pk)), count_of(followed_by(second.pk))
    with transaction.atomic():
        for patient in patients:
            AlertFactory(patient=patient)
            AlertFactory(patient=patient)
    assert (count_of(followed_by(first.pk)), count_of(followed_by(second.pk))) == (
        before[0] + 1,
        before[1] + 1,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {PENDING_TABLE}")  # noqa: S608 (our table)
        assert cursor.fetchone()[0] == 0, "nobody is left noted after the commit"


@pytest.mark.django_db(transaction=True)
def test_triggers_installed_after_migrating_back_follow_the_tables_as_migrated():
    """As `migrate` does after going back to 0005 (before users had `has_authenticator`): the triggers
    name only the columns that exist then, so writing a user still works, and counts."""
    before = [("accounts", "0005_account_closure_and_goals_limit"), ("otp_totp", "0003_add_timestamps")]
    executor = migrate_to(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        install_change_triggers(apps=old_apps)
        everyone = count_of(EVERYONE)
        old_user = old_apps.get_model("accounts", "User")
        old_user.objects.create(email="back@example.com", role="patient", first_name="Ada", last_name="Back")
        assert count_of(EVERYONE) == everyone + 1
    finally:
        migrate_to_latest()


def test_installing_the_triggers_forgets_every_kept_page():
    everyone = count_of(EVERYONE)
    install_change_triggers()
    assert count_of(EVERYONE) == everyone + 1
