import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from rehab.admin import ExerciseAdminForm, PlanTemplateItemAdminForm
from rehab.models import Exercise
from tests.factories import ExerciseFactory, PlanTemplateItemFactory

pytestmark = pytest.mark.django_db


def exercise_change(client, exercise: Exercise, **changes):
    """POST the admin's change form of `exercise` as the page would send it, with `changes`."""
    data = {
        name: value
        for name, value in model_to_dict(exercise, fields=ExerciseAdminForm._meta.fields).items()
        if value is not None and value is not False
    }
    data.update(changes)
    return client.post(reverse("admin:rehab_exercise_change", args=[exercise.pk]), data)


def test_the_exercise_page_offers_a_checkbox_per_stage_with_the_saved_ones_ticked(client, admin_user):
    exercise = ExerciseFactory(stages=[2, 3])
    client.force_login(admin_user)

    page = client.get(reverse("admin:rehab_exercise_change", args=[exercise.pk])).content.decode()

    assert page.count('type="checkbox" name="stages"') == 4
    assert 'value="2" class="radiolist" id="id_stages_1" checked' in page
    assert 'value="3" class="radiolist" id="id_stages_2" checked' in page
    assert 'value="1" class="radiolist" id="id_stages_0">' in page
    assert "Stage 4: energy storage and return to running" in page
    assert '<textarea name="stages"' not in page


def test_ticked_stages_are_saved_as_a_sorted_json_list(client, admin_user):
    exercise = ExerciseFactory(stages=[1])
    client.force_login(admin_user)

    response = exercise_change(client, exercise, stages=["4", "2", "2"])

    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.stages == [2, 4]


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ([], "Choose at least one stage."),
        (["5"], "5 is not a stage: choose among the stages listed."),
        (["2", "x"], "x is not a stage: choose among the stages listed."),
    ],
)
def test_no_stage_or_an_unknown_one_is_refused_with_a_message(client, admin_user, stages, message):
    exercise = ExerciseFactory(stages=[1, 2], name="Bridge for the test")
    client.force_login(admin_user)

    response = exercise_change(client, exercise, stages=stages, name="Renamed")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the error below." in page
    assert message in page
    exercise.refresh_from_db()
    assert exercise.stages == [1, 2] and exercise.name == "Bridge for the test"


def test_the_exercise_list_shows_readable_columns(client, admin_user, library, django_assert_max_num_queries):
    client.force_login(admin_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:rehab_exercise_changelist"))

    page = response.content.decode()
    assert response.status_code == 200
    for header in (
        "Picture",
        "Name",
        "Stages",
        "Hip flexion",
        "Target",
        "Flare-up set",
        "Clinician&#x27;s choice",
    ):
        assert f">{header}</a>" in page or f"<span>{header}</span>" in page, header
    bridge = Exercise.objects.get(name="Bridge")
    assert bridge.stages == [1, 2]
    row = page[page.index(f"/admin/rehab/exercise/{bridge.pk}/change/") :].split("</tr>")[0]
    assert "1 Settle<br>2 Strength" in row
    assert '<td class="field-compression">Low</td>' in row
    assert "[1, 2]" not in page
    assert f'src="/static/{bridge.illustration}" alt=""' in page


def test_the_exercise_list_filters_by_stage(client, admin_user):
    ExerciseFactory(name="Early one", stages=[1])
    ExerciseFactory(name="Both", stages=[1, 3])
    ExerciseFactory(name="Late one", stages=[4])
    client.force_login(admin_user)
    url = reverse("admin:rehab_exercise_changelist")

    stage_one = client.get(url, {"stage": "1"}).content.decode()
    unknown = client.get(url, {"stage": "one"})

    assert "Early one" in stage_one and "Both" in stage_one and "Late one" not in stage_one
    assert unknown.status_code == 200 and "0 exercises" in unknown.content.decode()


def test_a_template_exercise_s_days_are_checkboxes_saved_as_a_json_list(client, admin_user):
    item = PlanTemplateItemFactory(days_of_week=[0, 2, 4])
    template = item.template
    client.force_login(admin_user)
    url = reverse("admin:rehab_plantemplate_change", args=[template.pk])

    page = client.get(url).content.decode()
    data = {
        **{key: value for key, value in model_to_dict(template).items() if key != "id"},
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "1", "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000", "items-0-id": str(item.pk), "items-0-template": str(template.pk),
        **{
            f"items-0-{name}": value
            for name, value in model_to_dict(item, fields=PlanTemplateItemAdminForm._meta.fields).items()
            if value is not None
        },
    }  # fmt: skip
    data["items-0-days_of_week"] = ["6", "1"]
    response = client.post(url, data)

    assert page.count('type="checkbox" name="items-0-days_of_week"') == 7
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.days_of_week == [1, 6]
    data["items-0-days_of_week"] = []
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Choose at least one day." in refused.content.decode()


def test_the_exercise_list_filters_are_titled_in_plain_words(client, admin_user):
    ExerciseFactory()
    client.force_login(admin_user)

    page = client.get(reverse("admin:rehab_exercise_changelist")).content.decode()

    for title in ("By body position", "By isometric hold", "By clinician&#x27;s choice only"):
        assert title in page, title
    assert "By is isometric" not in page
