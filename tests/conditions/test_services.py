import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditEvent
from conditions.content import SHIPPED_ARTICLES, SHIPPED_ON
from conditions.models import FAQ, Condition, RedFlag, Reference, RelatedCondition, Section, SymptomCheck
from conditions.services import condition_mark_reviewed, conditions_load, symptom_check_record
from tests.conditions.test_selfcheck import answers
from tests.factories import AdminFactory, ClinicianFactory, ConditionFactory, PatientFactory

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Condition, Section, RedFlag, RelatedCondition, FAQ, Reference)
    }


def test_load_conditions_twice_creates_each_article_once(settings):
    out = StringIO()
    call_command("load_conditions", stdout=out)
    first = _counts()
    call_command("load_conditions", stdout=out)

    assert _counts() == first
    assert first["Condition"] == len(SHIPPED_ARTICLES) == 6
    assert "6 created" in out.getvalue() and "6 left as they were" in out.getvalue()


def test_load_conditions_keeps_admin_edits_unless_asked_to_update():
    call_command("load_conditions", stdout=StringIO())
    section = Section.objects.get(condition__slug="hamstring-tendinopathy", kind="overview")
    section.body = "Edited by an admin."
    section.save()
    Condition.objects.filter(slug="sciatica").update(published=False, name="Sciatica (edited)")
    FAQ.objects.filter(condition__slug="hamstring-tendinopathy").first().delete()

    call_command("load_conditions", stdout=StringIO())
    section.refresh_from_db()
    assert section.body == "Edited by an admin."

    out = StringIO()
    call_command("load_conditions", "--update", stdout=out)
    assert "6 updated" in out.getvalue()
    section = Section.objects.get(condition__slug="hamstring-tendinopathy", kind="overview")
    assert section.body.startswith("Proximal hamstring tendinopathy is a painful problem")
    sciatica = Condition.objects.get(slug="sciatica")
    assert sciatica.name == "Sciatica" and sciatica.published is False
    fresh = _counts()
    call_command("load_conditions", "--update", stdout=StringIO())
    assert _counts() == fresh


def test_load_recreates_a_shipped_article_an_admin_deleted():
    conditions_load(articles=SHIPPED_ARTICLES, shipped_on=SHIPPED_ON)
    Condition.objects.filter(slug="ischial-bursitis").delete()

    report = conditions_load(articles=SHIPPED_ARTICLES, shipped_on=SHIPPED_ON)

    assert report.created == ["ischial-bursitis"]
    main = Condition.objects.get(slug="hamstring-tendinopathy")
    assert main.related.count() == 4  # the main article was left as it was
    assert RelatedCondition.objects.filter(from_condition__slug="ischial-bursitis").count() == 1


def test_shipped_articles_are_dated_but_never_marked_reviewed_by_the_loader():
    conditions_load(articles=SHIPPED_ARTICLES, shipped_on=SHIPPED_ON)
    assert set(Condition.objects.values_list("content_date", flat=True)) == {SHIPPED_ON}
    assert set(Condition.objects.values_list("last_reviewed", "reviewed_by")) == {(None, None)}


def test_reloading_the_shipped_text_clears_a_review_of_the_text_it_replaces():
    conditions_load(articles=SHIPPED_ARTICLES, shipped_on=SHIPPED_ON)
    condition = Condition.objects.get(slug="sciatica")
    condition_mark_reviewed(condition=condition, by=ClinicianFactory())

    conditions_load(articles=SHIPPED_ARTICLES, shipped_on=SHIPPED_ON, update=True)

    condition.refresh_from_db()
    assert (condition.reviewed_by, condition.last_reviewed) == (None, None)


def test_a_clinician_marks_an_article_reviewed_today_and_it_is_audited_without_a_patient():
    clinician = ClinicianFactory()
    condition = ConditionFactory()

    condition_mark_reviewed(condition=condition, by=clinician)

    condition.refresh_from_db()
    assert condition.reviewed_by == clinician and condition.last_reviewed == timezone.localdate()
    event = AuditEvent.objects.get(action="condition.review")
    assert (event.actor, event.patient, event.object_id) == (clinician, None, str(condition.pk))


@pytest.mark.parametrize("role", ["patient", "admin without a clinician profile"])
def test_only_a_clinician_may_mark_an_article_reviewed(role):
    user = PatientFactory() if role == "patient" else AdminFactory()
    condition = ConditionFactory()
    with pytest.raises(PermissionDenied):
        condition_mark_reviewed(condition=condition, by=user)
    condition.refresh_from_db()
    assert condition.last_reviewed is None
    assert not AuditEvent.objects.filter(action="condition.review").exists()


def test_a_review_date_without_a_reviewer_is_refused():
    condition = ConditionFactory()
    condition.last_reviewed = datetime.date(2026, 11, 1)
    with pytest.raises(ValidationError, match="both the clinician"):
        condition.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        condition.save()


def test_a_related_link_to_a_missing_article_stops_the_load_and_saves_nothing():
    broken = {**SHIPPED_ARTICLES[1], "related": [{"slug": "not-an-article", "difference": "x"}]}
    with pytest.raises(ValueError, match="not-an-article"):
        conditions_load(articles=[broken], shipped_on=SHIPPED_ON)
    assert not Condition.objects.exists()


def test_symptom_check_record_keeps_a_red_flag_result(patient):
    check = symptom_check_record(patient=patient, answers=answers(sudden_pop=True, weight_bearing=True))

    check.refresh_from_db()
    assert check.has_red_flags and check.result_kind == "red_flags"
    assert check.red_flags == ["sudden_pop", "weight_bearing"]
    assert check.severity == "" and check.score is None
    assert check.answers["sudden_pop"] is True


def test_a_red_flag_result_raises_one_alert_for_the_care_team_as_urgent_as_its_flag(patient):
    from careteam.models import Alert
    from careteam.selectors import alert_inbox
    from conditions.models import RedFlagScreen
    from tests.factories import CareTeamMembershipFactory

    lead = CareTeamMembershipFactory(patient=patient, role="lead").clinician
    symptom_check_record(patient=patient, answers=answers(numbness_tingling=True))

    alert = Alert.objects.get(patient=patient)
    screen = RedFlagScreen.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == ("red_flag", "medium")
    assert "Numbness or tingling down the leg" in alert.trigger
    assert alert.dedupe_key == f"red-flag-screen:{screen.public_id}"
    assert (screen.source, screen.flags, screen.urgency) == ("self_check", ["numbness_tingling"], "soon")
    assert list(alert_inbox(lead)) == [alert]


def test_a_result_without_red_flags_raises_no_alert(patient):
    from careteam.models import Alert

    symptom_check_record(patient=patient, answers=answers(impact="sport"))
    assert not Alert.objects.exists()


def test_symptom_check_record_keeps_a_severity_result(patient):
    check = symptom_check_record(patient=patient, answers=answers(impact="sport"))
    assert (check.has_red_flags, check.result_kind, check.severity, check.score) == (
        False,
        "severity",
        "moderate",
        3,
    )


def test_symptom_check_record_refuses_incomplete_answers_and_non_patients(patient, clinician):
    incomplete = answers()
    del incomplete["duration"]
    with pytest.raises(ValueError):
        symptom_check_record(patient=patient, answers=incomplete)
    with pytest.raises(ValueError):
        symptom_check_record(patient=clinician, answers=answers())
    assert not SymptomCheck.objects.exists()


def test_a_reference_doi_is_checked_and_a_pasted_link_is_trimmed(shipped_conditions):
    condition = Condition.objects.get(slug="hamstring-tendinopathy")
    reference = Reference(condition=condition, citation="X", doi="https://doi.org/10.1000/abc")
    reference.full_clean()
    assert reference.doi == "10.1000/abc" and reference.doi_url == "https://doi.org/10.1000/abc"
    with pytest.raises(ValidationError):
        Reference(condition=condition, citation="X", doi="javascript:alert(1)").full_clean()


def test_a_recorded_symptom_check_is_audited_as_the_patients_own_write(patient):
    from accounts.audit import AuditContext
    from accounts.models import AuditEvent

    check = symptom_check_record(
        patient=patient, answers=answers(), audit=AuditContext(ip="192.0.2.8", user_agent="Phone")
    )
    event = AuditEvent.objects.get(action="symptom_check.create")
    assert (event.actor, event.patient) == (patient, patient)
    assert (event.object_id, event.ip) == (str(check.public_id), "192.0.2.8")
