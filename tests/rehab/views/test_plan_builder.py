"""The clinician's plan builder: the library search, the dosage grid, the seeded reason, and the printout
during a flare-up."""

import html
import importlib
import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from crispy_forms.utils import render_crispy_form
from django.apps import apps
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rehab.content.exercises import EXERCISES
from rehab.forms import ExerciseSearchForm, PlanSettingsForm, PrescriptionForm
from rehab.models import BodyPosition, Exercise, PlanRevision
from rehab.services import daily, plans
from tests.factories import CareTeamMembershipFactory, ExerciseFactory

pytestmark = pytest.mark.django_db

PROGRESSED = "Progressed load: pain ≤ 3 after sessions"


@pytest.fixture
def team(patient, clinician):
    return CareTeamMembershipFactory(patient=patient, clinician=clinician, role="lead")


@pytest.fixture
def builder(client, team, stage_one_plan, clinician):
    """The signed-in lead clinician, and a GET of the builder with a query."""
    client.force_login(clinician)
    url = reverse("rehab:plan_builder", args=[stage_one_plan.patient.patient_profile.public_id])
    return lambda query=None, **headers: client.get(url, query or {}, headers=headers)


def found(page: str) -> list[str]:
    """The names of the exercises in the search results, in order."""
    results = page.split('id="exercise-search-results"', 1)[1]
    return [
        html.unescape(name)
        for name in re.findall(r'<h3 class="h6 mb-1" id="result-\d+"><a [^>]+>([^<]+)</a>', results)
    ]


def reason_box(page: str, box_id: str) -> str:
    """The value the reason box with `box_id` is filled with."""
    tag = re.search(rf'<(?:input|textarea)[^>]*id="{re.escape(box_id)}"[^>]*>', page)
    assert tag, box_id
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def dosage_post(rx, version, **changes) -> dict:
    data = {
        "sets": rx.sets,
        "reps": rx.reps or "",
        "hold_seconds": rx.hold_seconds or "",
        "rest_seconds": rx.rest_seconds,
        "load": rx.load,
        "times_per_day": rx.times_per_day,
        "days_of_week": rx.days_of_week,
        "note_to_patient": rx.note_to_patient,
        "in_flare_up_set": "on" if rx.in_flare_up_set else "",
        "version": version,
        "reason": "",
    } | changes
    return {f"rx-{rx.public_id}-{name}": value for name, value in data.items()}


# --- the library search ---------------------------------------------------------------------------------


def test_the_search_starts_at_the_next_stage_with_thumbnails_and_marks_what_the_plan_has(builder):
    page = builder().content.decode()
    stage_two = sorted(exercise.name for exercise in Exercise.objects.all() if 2 in exercise.stages)
    assert found(page) == stage_two
    assert "Nordic hamstring curl" not in found(page)
    assert 'src="/static/rehab/exercises/band-knee-flexion.svg"' in page
    in_both = [name for name in stage_two if 1 in Exercise.objects.get(name=name).stages]
    assert len(in_both) == page.count("<strong>Already in the plan.</strong>") == 4


def test_filters_narrow_the_search_and_each_result_adds_itself_to_the_plan(builder, stage_one_plan):
    page = builder({"q": "", "stage": "3", "compression": "high", "target": "hamstring"}).content.decode()
    assert found(page) == [
        "Bent-knee hamstring stretch (clinician's choice)",
        "Deadlift (hip hinge)",
        "Good morning",
        "Slow single-leg deadlift",
    ]
    add = reverse("rehab:prescription_add", args=[stage_one_plan.public_id])
    deadlift = Exercise.objects.get(slug="deadlift")
    form = re.search(
        rf'<form method="post" action="{add}".*?</form>', page.split("Deadlift (hip hinge)</a>", 1)[1], re.S
    )
    assert form and f'name="exercise" value="{deadlift.pk}"' in form.group(0)
    assert "Next step to build on your progress" in form.group(0)

    words = builder(
        {"q": "Resistance BAND"}
    ).content.decode()  # every word, in the name, summary or equipment
    assert found(words) == ["Knee bend against a band", "Standing hip extension with a band"]
    everything = builder({"stage": ""}).content.decode()
    assert len(found(everything)) == Exercise.objects.count()


def test_the_body_position_filter_finds_only_exercises_done_in_that_position_and_shows_it(builder):
    kneeling = builder({"stage": "", "position": "kneeling"}).content.decode()
    assert found(kneeling) == ["Kneeling hip flexor stretch", "Nordic hamstring curl"]
    results = kneeling.split('id="exercise-search-results"', 1)[1]
    assert results.count('<span class="badge text-bg-light border">Kneeling</span>') == 2
    assert '<option value="kneeling" selected>Kneeling</option>' in kneeling

    face_down_in_stage_one = builder({"stage": "1", "position": "prone"}).content.decode()
    assert found(face_down_in_stage_one) == [
        "Glute squeeze, lying face down",
        "Hip lift lying face down, knee bent",
    ]
    assert found(builder({"stage": "4", "position": "sitting"}).content.decode()) == []


def test_every_shipped_exercise_has_the_body_position_of_the_library(library):
    positions = dict(Exercise.objects.values_list("slug", "position"))
    assert positions == {entry["slug"]: entry["position"] for entry in EXERCISES}
    assert set(positions.values()) <= set(BodyPosition.values)


def test_the_migration_gives_shipped_exercises_their_position_and_leaves_an_admins_own_blank(library):
    migration = importlib.import_module("rehab.migrations.0008_exercise_position")
    assert migration.SHIPPED_POSITIONS == {entry["slug"]: entry["position"] for entry in EXERCISES}
    Exercise.objects.update(position="")
    own = ExerciseFactory(slug="wall-sit", position="")

    migration.set_shipped_positions(apps, None)

    assert not Exercise.objects.exclude(pk=own.pk).filter(position="").exists()
    assert Exercise.objects.get(slug="hip-thrust").position == BodyPosition.SUPINE
    own.refresh_from_db()
    assert own.position == ""


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"stage": "9"}, "Choose a stage from the list"),
        ({"stage": "two"}, "Choose a stage from the list"),
        ({"compression": "extreme"}, "Choose low, medium or high compression"),
        ({"target": "calf"}, "Choose the muscles from the list"),
        ({"position": "upside_down"}, "Choose a body position from the list"),
        ({"q": "b" * 101}, "at most 100 characters"),
        ({"q": "bri\x00dge"}, "Null characters are not allowed"),
    ],
)
def test_a_search_value_the_builder_does_not_know_answers_400_with_a_clear_message(builder, query, message):
    response = builder(query)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    partial = builder(query, HX_Request="true", HX_Target="exercise-search-results")
    assert partial.status_code == 400
    assert partial.content.decode().lstrip().startswith('<div id="exercise-search-results"')
    assert message in html.unescape(partial.content.decode())


def test_an_htmx_search_gets_only_the_results_back(builder):
    response = builder({"q": "bridge", "stage": ""}, HX_Request="true", HX_Target="exercise-search-results")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="exercise-search-results"')
    assert "<h1" not in fragment
    assert found(fragment) == ["Bridge", "Isometric bridge hold", "Single-leg bridge"]


def test_adding_from_the_results_saves_the_seeded_reason_and_comes_back_to_the_same_search(
    client, builder, stage_one_plan
):
    nordic = Exercise.objects.get(slug="nordic-hamstring-curl")
    response = client.post(
        reverse("rehab:prescription_add", args=[stage_one_plan.public_id]),
        {
            "exercise": nordic.pk,
            "version": 1,
            "reason": "Next step to build on your progress",
            "q": "nordic",
            "stage": "3",
            "compression": "",
            "target": "",
            "position": "kneeling",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        "/plan/?q=nordic&stage=3&compression=&target=&position=kneeling#exercise-search"
    )
    assert stage_one_plan.prescriptions.filter(exercise=nordic).exists()
    revision = stage_one_plan.revisions.get(number=2)
    assert revision.reason == "Next step to build on your progress"
    page = client.get(response["Location"]).content.decode()
    assert found(page) == ["Nordic hamstring curl"] and "<strong>Already in the plan.</strong>" in page


def test_adding_over_htmx_answers_with_the_plan_and_the_same_results(client, builder, stage_one_plan):
    nordic = Exercise.objects.get(slug="nordic-hamstring-curl")
    response = client.post(
        reverse("rehab:prescription_add", args=[stage_one_plan.public_id]),
        {"exercise": nordic.pk, "version": 1, "reason": "Ready for more", "q": "", "stage": "4"},
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode()
    assert response.status_code == 200 and fragment.lstrip().startswith('<div id="plan-items"')
    assert "Saved as revision 2" in fragment and 'name="version" value="2"' in fragment
    assert "Nordic hamstring curl" in found(fragment)
    assert len(found(fragment)) == sum(1 for exercise in Exercise.objects.all() if 4 in exercise.stages)


@pytest.mark.usefixtures("pages_drawn_every_time")
def test_the_search_takes_the_same_queries_for_three_results_as_for_thirty(builder):
    def add_exercises(count: int) -> None:
        for _ in range(count):
            ExerciseFactory(name=f"Zeta drill {Exercise.objects.count()}", stages=[2, 3])

    add_exercises(3)
    query = {"q": "zeta", "stage": "3", "position": "supine"}
    with CaptureQueriesContext(connection) as three:
        assert len(found(builder(query).content.decode())) == 3
    add_exercises(27)
    with CaptureQueriesContext(connection) as thirty:
        assert len(found(builder(query).content.decode())) == 30
    assert len(thirty.captured_queries) == len(three.captured_queries)


# --- the dosage grid and the reason ---------------------------------------------------------------------


def fields_of_form(page: str, opening: str, button: str) -> str:
    """The fields of the form whose opening tag matches `opening`: between its token and `button`."""
    form = re.search(rf"<form {opening}[^>]*>(.*?)</form>", page, re.S)
    assert form, opening
    fields = form.group(1).split('name="csrfmiddlewaretoken"', 1)[1].split(">", 1)[1]
    return fields.split(button, 1)[0]


def test_the_dosage_forms_are_the_html_their_crispy_layout_draws_with_and_without_errors(
    client, builder, stage_one_plan
):
    """The builder writes the dosage forms as plain HTML, for speed; they must stay what the form's crispy
    layout draws: the same fields, labels, ids, values, errors and aria."""
    rx = stage_one_plan.prescriptions.order_by("order").first()
    opening = rf'method="post" class="mt-2 dosage-form" action="[^"]*/{rx.public_id}/"'
    button = '<button type="submit" class="btn btn-primary btn-sm">Save the change</button>'
    drawn = fields_of_form(builder().content.decode(), opening, button)
    assert parse_html(drawn) == parse_html(
        render_crispy_form(PrescriptionForm.for_prescription(rx, stage_one_plan))
    )

    sent = dosage_post(
        rx, 1, sets=0, reps="", hold_seconds="", days_of_week=[], reason="", load="x" * 201,
        times_per_day="often", note_to_patient="<b>Slowly</b> & \"gently\"", in_flare_up_set="on",
    )  # fmt: skip
    refused = client.post(
        reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id]),
        sent,
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 400
    form = PrescriptionForm.for_prescription(rx, stage_one_plan, data=sent)
    assert not form.is_valid() and form.non_field_errors() and len(form.errors) > 5
    drawn = fields_of_form(refused.content.decode(), opening, button)
    assert parse_html(drawn) == parse_html(render_crispy_form(form))


def test_the_settings_and_search_fields_are_the_html_crispy_draws(builder, stage_one_plan):
    page = builder().content.decode()
    settings = PlanSettingsForm.for_plan(stage_one_plan)
    settings.auto_id = "settings-%s"
    drawn = fields_of_form(page, r'method="post" action="[^"]*/settings/"', "<button")
    assert parse_html(drawn) == parse_html(render_crispy_form(settings))

    query = {"q": "b" * 101, "stage": "9", "compression": "low", "target": "", "position": "kneeling"}
    page = builder(query).content.decode()
    search = ExerciseSearchForm.for_plan(stage_one_plan, query)
    assert not search.is_valid()
    drawn = page.split('<div class="row g-2 align-items-end exercise-search-fields">', 1)[1].split(
        "<button", 1
    )[0]
    crispy = "".join(as_crispy_field(search[name]) for name in search.fields)
    assert parse_html(re.sub(r'<div class="col-[^"]*">', "", drawn).replace("</div></div>", "</div>")) == (
        parse_html(crispy)
    )


def test_the_dosage_fields_sit_on_a_grid_two_to_a_row_on_a_phone(builder, stage_one_plan):
    page = builder().content.decode()
    rx = stage_one_plan.prescriptions.order_by("order").first()
    for name in ("sets", "reps", "hold_seconds", "rest_seconds", "times_per_day"):
        assert re.search(rf'class="col-6 col-md-3"\s*>\s*<div id="div_id_rx-{rx.public_id}-{name}"', page), (
            name
        )
    for name in ("load", "note_to_patient"):
        assert re.search(rf'class="col-12 col-md-6"\s*>\s*<div id="div_id_rx-{rx.public_id}-{name}"', page), (
            name
        )


def test_every_reason_box_starts_with_a_short_suggestion(builder, stage_one_plan):
    page = builder().content.decode()
    rx = stage_one_plan.prescriptions.select_related("exercise").order_by("order").first()
    assert reason_box(page, f"id_rx-{rx.public_id}-reason") == PROGRESSED
    assert reason_box(page, f"remove-reason-{rx.public_id}") == "Not needed for now"
    assert reason_box(page, "settings-reason") == "Updated your goals with you"  # stage, status and goals
    assert reason_box(page, "limits-reason") == "Adjusted your pain limits after our review"
    assert reason_box(page, "advance-reason") == "Ready to move on to stage 2"
    assert reason_box(page, "search-q") == ""


def test_after_a_flare_up_the_dosage_reason_starts_as_reduced(builder, stage_one_plan, patient):
    daily.flare_up_start(plan=stage_one_plan, by=patient)
    page = builder().content.decode()
    rx = stage_one_plan.prescriptions.order_by("order").first()
    assert reason_box(page, f"id_rx-{rx.public_id}-reason") == "Reduced after flare-up"


def test_a_change_to_an_active_plan_without_a_reason_is_refused_with_one_made_from_the_change(
    client, builder, stage_one_plan
):
    rx = stage_one_plan.prescriptions.order_by("order").first()
    url = reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id])
    response = client.post(url, dosage_post(rx, 1, sets=rx.sets - 1, reason="   "))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give a reason for this change" in page
    assert reason_box(page, f"id_rx-{rx.public_id}-reason") == "Reduced the load to let the pain settle"
    assert stage_one_plan.revisions.count() == 1
    rx.refresh_from_db()
    assert rx.sets == 5


def test_the_suggestion_made_before_the_change_is_refused_when_the_change_goes_the_other_way(
    client, builder, stage_one_plan
):
    rx = stage_one_plan.prescriptions.order_by("order").first()
    url = reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id])
    refused = client.post(url, dosage_post(rx, 1, sets=rx.sets - 1, reason=PROGRESSED))
    assert refused.status_code == 400
    assert "suggested before you changed anything" in html.unescape(refused.content.decode())
    assert reason_box(refused.content.decode(), f"id_rx-{rx.public_id}-reason") == (
        "Reduced the load to let the pain settle"
    )
    assert stage_one_plan.revisions.count() == 1

    saved = client.post(url, dosage_post(rx, 1, sets=rx.sets + 1, reason=PROGRESSED))
    assert saved.status_code == 302
    assert stage_one_plan.revisions.get(number=2).reason == PROGRESSED


def test_a_paused_plan_takes_a_change_without_a_reason(client, builder, stage_one_plan, clinician):
    plans.plan_update(
        plan=stage_one_plan,
        status="paused",
        signed=plans.Signed(by=clinician, reason="Away for a month", expected_version=1),
    )
    rx = stage_one_plan.prescriptions.order_by("order").first()
    response = client.post(
        reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id]),
        dosage_post(rx, 2, sets=rx.sets - 1),
    )
    assert response.status_code == 302
    assert stage_one_plan.revisions.get(number=3).reason == "Plan edited while not active."


def test_adding_or_removing_without_a_reason_is_refused_and_the_suggestion_filled_in(
    client, builder, stage_one_plan
):
    nordic = Exercise.objects.get(slug="nordic-hamstring-curl")
    added = client.post(
        reverse("rehab:prescription_add", args=[stage_one_plan.public_id]),
        {
            "exercise": nordic.pk,
            "version": 1,
            "reason": "",
            "q": "nordic",
            "stage": "",
            "compression": "",
            "target": "",
        },
    )
    assert added.status_code == 400
    page = added.content.decode()
    assert "Give a reason for this change" in page
    assert reason_box(page, f"add-reason-{nordic.pk}") == "Next step to build on your progress"
    beside = re.search(rf'id="add-reason-error-{nordic.pk}">([^<]+)<', page)
    assert beside and beside.group(1).startswith("Give a reason for this change")

    rx = stage_one_plan.prescriptions.select_related("exercise").order_by("order").first()
    removed = client.post(
        reverse("rehab:prescription_remove", args=[stage_one_plan.public_id, rx.public_id]),
        {"version": 1, "reason": ""},
    )
    assert removed.status_code == 400
    page = removed.content.decode()
    assert "Give a reason for this change" in page
    assert reason_box(page, f"remove-reason-{rx.public_id}") == "Not needed for now"
    assert stage_one_plan.prescriptions.count() == 5
    assert PlanRevision.objects.filter(plan=stage_one_plan).count() == 1


def test_a_stage_change_under_the_goals_suggestion_is_offered_its_own(client, builder, stage_one_plan):
    response = client.post(
        reverse("rehab:plan_settings", args=[stage_one_plan.public_id]),
        {"stage": 2, "status": "active", "goals": stage_one_plan.goals, "version": 1,
         "reason": "Updated your goals with you"},
    )  # fmt: skip
    assert response.status_code == 400
    assert reason_box(response.content.decode(), "settings-reason") == "Moved to Stage 2: build strength"
    stage_one_plan.refresh_from_db()
    assert stage_one_plan.stage == 1


# --- printing during a flare-up -------------------------------------------------------------------------


def test_during_a_flare_up_the_whole_plan_prints_with_the_flare_up_set_marked(
    client, builder, stage_one_plan, patient
):
    daily.flare_up_start(plan=stage_one_plan, by=patient)
    builder_page = builder().content.decode()
    printout = reverse("rehab:plan_print", args=[stage_one_plan.public_id])
    assert f'href="{printout}?show=all">Print the whole plan<' in builder_page
    flare_up_set = {"Isometric bridge hold", "Glute squeeze, lying face down"}
    names = set(stage_one_plan.prescriptions.values_list("exercise__name", flat=True))
    assert flare_up_set < names

    client.force_login(patient)
    assert f'href="{printout}?show=all"' in client.get(reverse("rehab:my_plan")).content.decode()
    assert 'href="?show=all"' in client.get(printout).content.decode()
    page = client.get(printout, {"show": "all"}).content.decode()
    assert "During the flare-up: only the flare-up set" in page
    for name in names:
        assert f'<th scope="row">{html.escape(name)}</th>' in page, name
    marked = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td>[^<]*</td>\s*<td><span class="badge[^"]*">Flare-up set', page
    )
    assert {html.unescape(name) for name in marked} == flare_up_set
    assert page.count('<article class="card mb-3 exercise-card">') == len(names)


def test_the_whole_plan_prints_the_fallback_first_when_no_exercise_is_set_aside(
    client, team, plan_without_a_flare_up_set, patient
):
    daily.flare_up_start(plan=plan_without_a_flare_up_set, by=patient)
    client.force_login(patient)
    page = client.get(
        reverse("rehab:plan_print", args=[plan_without_a_flare_up_set.public_id]), {"show": "all"}
    ).content.decode()
    rows = re.findall(r'<th scope="row">([^<]+)</th>', page)
    assert rows[0] == "Isometric bridge hold"
    assert len(rows) == plan_without_a_flare_up_set.prescriptions.count() + 1
    assert page.count(">Flare-up set</span>") == 2  # in the table and above its card


@pytest.mark.parametrize("show", ["everything", "ALL", ""])
def test_the_printout_answers_400_to_an_unknown_choice(client, team, stage_one_plan, patient, show):
    client.force_login(patient)
    response = client.get(reverse("rehab:plan_print", args=[stage_one_plan.public_id]), {"show": show})
    if show:
        assert response.status_code == 400 and "show=all" in response.content.decode()
    else:
        assert response.status_code == 200


def test_a_change_over_htmx_keeps_the_search_of_the_pages_address(client, builder, stage_one_plan):
    rx = stage_one_plan.prescriptions.order_by("order").first()
    plan_url = reverse("rehab:plan_builder", args=[stage_one_plan.patient.patient_profile.public_id])
    response = client.post(
        reverse("rehab:prescription_update", args=[stage_one_plan.public_id, rx.public_id]),
        dosage_post(rx, 1, sets=rx.sets + 1, reason=PROGRESSED),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{plan_url}?q=nordic&stage="},
    )
    assert response.status_code == 200
    assert found(response.content.decode()) == ["Nordic hamstring curl"]
