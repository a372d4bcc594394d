import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from rehab import selectors
from rehab.models import Exercise, PlanRevision, PlanTemplate
from rehab.services import plans
from tests.factories import CareTeamMembershipFactory, ClinicianFactory, PatientFactory, SessionLogFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(patient, clinician):
    return CareTeamMembershipFactory(patient=patient, clinician=clinician, role="lead")


def builder_url(patient):
    return reverse("rehab:plan_builder", args=[patient.patient_profile.public_id])


def test_a_team_clinician_assigns_a_stage_one_plan_from_the_page(
    client, team, library, condition, patient, clinician
):
    client.force_login(clinician)
    page = client.get(builder_url(patient))
    assert "Assign a plan" in page.content.decode()
    response = client.post(
        reverse("rehab:plan_assign", args=[patient.patient_profile.public_id]),
        {
            "template": PlanTemplate.objects.get(stage=1).pk,
            "start_date": "2026-11-20",
            "goals": "Sit at work",
        },
    )
    assert response.status_code == 302
    plan = patient.rehab_plans.get()
    assert (plan.stage, plan.goals, plan.lead_clinician) == (1, "Sit at work", clinician)
    assert AuditEvent.objects.filter(actor=clinician, patient=patient, action="rehab.plan.assign").exists()


def test_assigning_with_a_start_date_far_away_is_refused_with_a_400(
    client, team, library, condition, patient, clinician
):
    client.force_login(clinician)
    response = client.post(
        reverse("rehab:plan_assign", args=[patient.patient_profile.public_id]),
        {"template": PlanTemplate.objects.get(stage=1).pk, "start_date": "2031-01-01"},
    )
    assert response.status_code == 400
    assert "within a year of today" in response.content.decode()
    assert not patient.rehab_plans.exists()


def _dosage_post(rx, version, **changes):
    prefix = f"rx-{rx.public_id}"
    data = {
        "sets": rx.sets,
        "reps": rx.reps or "",
        "hold_seconds": rx.hold_seconds or "",
        "rest_seconds": rx.rest_seconds,
        "load": rx.load,
        "times_per_day": rx.times_per_day,
        "days_of_week": rx.days_of_week,
        "note_to_patient": rx.note_to_patient,
        "version": version,
        "reason": "",
    }
    data.update(changes)
    return {f"{prefix}-{name}": value for name, value in data.items()}


def test_an_inline_dosage_change_over_htmx_returns_the_refreshed_plan(
    client, team, stage_one_plan, clinician
):
    client.force_login(clinician)
    rx = stage_one_plan.prescriptions.order_by("order").first()
    response = client.post(
        reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id]),
        _dosage_post(rx, 1, sets=4, reason="Ready for one more set"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="plan-items"')
    assert "Saved as revision 2" in fragment
    assert 'name="version" value="2"' in fragment
    rx.refresh_from_db()
    assert rx.sets == 4


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sets", 11, "less than or equal to 10"),
        ("reps", 0, "greater than or equal to 1"),
        ("hold_seconds", 301, "less than or equal to 300"),
        ("times_per_day", 5, "less than or equal to 4"),
        ("days_of_week", [], "Choose at least one day."),
    ],
)
def test_dosage_out_of_bounds_is_refused_with_its_message_and_nothing_saved(
    client, team, stage_one_plan, clinician, field, value, message
):
    client.force_login(clinician)
    rx = stage_one_plan.prescriptions.order_by("order").first()
    response = client.post(
        reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id]),
        _dosage_post(rx, 1, reason="Try", **{field: value}),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PlanRevision.objects.filter(plan=stage_one_plan).count() == 1


def test_a_change_without_a_reason_is_refused(client, team, stage_one_plan, clinician):
    client.force_login(clinician)
    rx = stage_one_plan.prescriptions.order_by("order").first()
    response = client.post(
        reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id]),
        _dosage_post(rx, 1, sets=rx.sets + 1),
    )
    assert response.status_code == 400
    assert "Give a reason for this change" in response.content.decode()
    assert stage_one_plan.revisions.count() == 1


def test_the_second_of_two_simultaneous_saves_is_told_and_sees_the_new_version(
    client, team, stage_one_plan, clinician
):
    rx = stage_one_plan.prescriptions.order_by("order").first()
    colleague = ClinicianFactory()
    CareTeamMembershipFactory(patient=stage_one_plan.patient, clinician=colleague)
    plans.prescription_update(
        plan=stage_one_plan,
        prescription=rx,
        changes={"sets": 2},
        signed=plans.Signed(by=colleague, reason="Colleague first", expected_version=1),
    )
    client.force_login(clinician)
    response = client.post(
        reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id]),
        _dosage_post(rx, 1, sets=7, reason="Mine"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed by someone else" in page
    assert 'name="version" value="2"' in page
    rx.refresh_from_db()
    assert rx.sets == 2


def test_moving_and_removing_exercises_from_the_page(client, team, stage_one_plan, clinician):
    client.force_login(clinician)
    first, second = stage_one_plan.prescriptions.order_by("order")[:2]
    client.post(
        reverse("rehab:prescription_move", args=[stage_one_plan.public_id, second.public_id, "up"]),
        {"version": 1, "reason": "Changed the order of the exercises"},
    )
    assert list(stage_one_plan.prescriptions.order_by("order")[:2]) == [second, first]
    response = client.post(
        reverse("rehab:prescription_remove", args=[stage_one_plan.public_id, first.public_id]),
        {"version": 2, "reason": "Not needed now"},
    )
    assert response.status_code == 302
    assert not stage_one_plan.prescriptions.filter(pk=first.pk).exists()
    assert stage_one_plan.revisions.count() == 3


def test_history_shows_the_difference_between_any_two_revisions(client, team, stage_one_plan, clinician):
    rx = stage_one_plan.prescriptions.order_by("order").first()
    plans.prescription_update(
        plan=stage_one_plan,
        prescription=rx,
        changes={"sets": 4},
        signed=plans.Signed(by=clinician, reason="More", expected_version=1),
    )
    plans.plan_update(
        plan=stage_one_plan,
        stage=2,
        signed=plans.Signed(by=clinician, reason="Calm fortnight", expected_version=2),
    )
    client.force_login(clinician)
    page = client.get(
        reverse("rehab:plan_history", args=[stage_one_plan.public_id]), {"from": 1, "to": 3}
    ).content.decode()
    assert f"{rx.exercise.name}: sets {rx.sets} → 4" in page
    assert "Stage: Stage 1: settle and protect → Stage 2: build strength" in page
    bad = client.get(reverse("rehab:plan_history", args=[stage_one_plan.public_id]), {"from": "x", "to": 3})
    assert bad.status_code == 400


def test_the_patient_sees_their_plan_the_last_change_and_why(
    client, team, stage_one_plan, clinician, patient
):
    rx = stage_one_plan.prescriptions.order_by("order").first()
    plans.prescription_update(
        plan=stage_one_plan,
        prescription=rx,
        changes={"hold_seconds": 50},
        signed=plans.Signed(by=clinician, reason="Your holds look strong", expected_version=1),
    )
    client.force_login(patient)
    page = client.get(reverse("rehab:my_plan")).content.decode()
    assert "Your holds look strong" in page
    assert "Stage 1: settle and protect" in page
    for prescription in stage_one_plan.prescriptions.select_related("exercise"):
        assert prescription.exercise.name in page
        assert prescription.exercise.illustration_alt in page


def test_the_printable_programme_lists_every_exercise_with_its_steps(client, team, stage_one_plan, patient):
    client.force_login(patient)
    page = client.get(reverse("rehab:plan_print", args=[stage_one_plan.public_id])).content.decode()
    assert "rehab/print.css" in page
    for prescription in stage_one_plan.prescriptions.select_related("exercise"):
        assert prescription.exercise.step_list[0] in page


def test_outsiders_get_404_on_every_plan_page(client, stage_one_plan):
    outsider = ClinicianFactory()
    other_patient = PatientFactory()
    rx = stage_one_plan.prescriptions.first()
    urls = [
        builder_url(stage_one_plan.patient),
        reverse("rehab:plan_history", args=[stage_one_plan.public_id]),
        reverse("rehab:plan_print", args=[stage_one_plan.public_id]),
    ]
    for user in (outsider, other_patient):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        response = client.post(
            reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id]),
            _dosage_post(rx, 1, sets=9, reason="Sneaky"),
        )
        assert response.status_code == 404


@pytest.mark.usefixtures("pages_drawn_every_time")
def test_my_patients_query_count_does_not_grow_with_fifty_patients(
    client, clinician, library, condition, django_assert_max_num_queries
):
    def add_patients(count):
        for _ in range(count):
            patient = PatientFactory()
            CareTeamMembershipFactory(patient=patient, clinician=clinician)
            plans.plan_assign(
                patient=patient,
                template=PlanTemplate.objects.get(stage=2),
                by=clinician,
                condition=condition,
                start_date=condition.content_date,
            )

    client.force_login(clinician)
    add_patients(2)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("rehab:patient_list"))
    add_patients(48)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("rehab:patient_list"))
    assert page.content.decode().count("<td>Stage 2</td>") == 25  # the first page of 25


@pytest.mark.usefixtures("pages_drawn_every_time")
def test_plan_pages_query_count_does_not_grow_with_twenty_prescriptions(
    client, team, stage_one_plan, clinician, patient, django_assert_max_num_queries
):
    client.force_login(clinician)
    pages = [builder_url(patient), reverse("rehab:plan_print", args=[stage_one_plan.public_id])]
    counts = {}
    for url in pages:
        with django_assert_max_num_queries(30) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    extra = list(Exercise.objects.all()[:20])
    version = stage_one_plan.version
    while stage_one_plan.prescriptions.count() < 20:
        exercise = extra[stage_one_plan.prescriptions.count() % len(extra)]
        plans.prescription_add(
            plan=stage_one_plan,
            exercise=exercise,
            signed=plans.Signed(by=clinician, reason="More", expected_version=version),
        )
        version += 1
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
    client.force_login(patient)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("rehab:my_plan"))
    assert page.status_code == 200


def test_plan_revisions_appear_on_the_patient_timeline(client, team, stage_one_plan, clinician, patient):
    rx = stage_one_plan.prescriptions.order_by("order").first()
    plans.prescription_update(
        plan=stage_one_plan,
        prescription=rx,
        changes={"hold_seconds": 50},
        signed=plans.Signed(by=clinician, reason="Longer holds", expected_version=1),
    )
    client.force_login(clinician)
    page = client.get(reverse("careteam:timeline", args=[patient.patient_profile.public_id])).content.decode()
    assert "Plan revision 2" in page and "Reason: Longer holds" in page
    assert "Plan revision 1" in page


def test_my_patients_shows_each_patients_sessions_done_over_the_last_week(
    client, team, library, condition, patient, clinician
):
    today = timezone.localtime(timezone=patient.zone).date()
    stage_one_plan = plans.plan_assign(
        patient=patient,
        template=PlanTemplate.objects.get(stage=1),
        by=clinician,
        condition=condition,
        start_date=today - datetime.timedelta(days=10),
        now=timezone.now() - datetime.timedelta(days=10),
    )
    for days_ago in (1, 2, 3):
        SessionLogFactory(plan=stage_one_plan, date=today - datetime.timedelta(days=days_ago))
    SessionLogFactory(plan=stage_one_plan, date=today - datetime.timedelta(days=9))  # outside the week

    client.force_login(clinician)
    page = client.get(reverse("rehab:patient_list")).content.decode()

    # Stage 1 is a twice-a-day plan, every day: 14 sessions were due over the last 7 days, 3 were done.
    expected = selectors.recent_adherence([stage_one_plan.patient])[stage_one_plan.patient.pk]
    assert (expected.done, expected.prescribed) == (3, 14)
    assert "21 %" in page and "(3 of 14)" in page


def test_a_plan_change_from_the_builder_is_audited_with_the_address_and_browser(
    client, team, stage_one_plan, clinician
):
    rx = stage_one_plan.prescriptions.first()
    client.force_login(clinician)
    response = client.post(
        reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id]),
        _dosage_post(rx, 1, sets=rx.sets + 1, reason="More sets"),
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 (clinic desk)",
    )
    assert response.status_code == 302
    revision = stage_one_plan.revisions.get(number=2)
    change = AuditEvent.objects.get(action="rehab.plan.change")
    assert (change.actor, change.object_id) == (clinician, str(revision.public_id))
    assert (change.ip, change.user_agent) == ("203.0.113.7", "Mozilla/5.0 (clinic desk)")
    read = AuditEvent.objects.get(action="rehab.plan.view")
    assert read.ip == "203.0.113.7"


def test_the_record_leads_to_the_plan_builder_and_progress_and_progress_leads_back(
    client, team, stage_one_plan, clinician, patient
):
    public_id = patient.patient_profile.public_id
    record_url = reverse("careteam:patient_detail", args=[public_id])
    progress_url = reverse("rehab:patient_progress", args=[public_id])
    client.force_login(clinician)

    record = client.get(record_url).content.decode()
    assert "Stage 1: settle and protect" in record
    assert f'href="{builder_url(patient)}"' in record and f'href="{progress_url}"' in record

    assert f'href="{record_url}"' in client.get(builder_url(patient)).content.decode()
    progress = client.get(progress_url).content.decode()
    assert f'href="{record_url}"' in progress and f'href="{builder_url(patient)}"' in progress


def test_the_record_of_a_patient_without_a_plan_offers_to_assign_one(client, team, clinician, patient):
    client.force_login(clinician)
    record = client.get(reverse("careteam:patient_detail", args=[patient.patient_profile.public_id]))
    page = record.content.decode()
    assert "has no active rehab plan" in page
    assert f'href="{builder_url(patient)}">Assign a plan<' in page
