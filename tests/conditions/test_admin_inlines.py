"""The admin pages that edit content with inlines: every form control has a label of its own (axe's "label"
rule), the fields of tabular inlines included, whose only visible label is their column's header; and a save
with many rows checks their ids and foreign keys in one query per column, not one per row."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from conditions.models import Condition, RelatedCondition, Section
from tests.factories import PlanTemplateFactory, PlanTemplateItemFactory

pytestmark = pytest.mark.django_db


class FormControls(HTMLParser):
    """The ids of the form controls a page shows, and the ids its labels are for."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labelled: set[str] = set()
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"])
        # The row that "Add another" copies is hidden; its copies are checked in the browser.
        shown = attributes.get("type") != "hidden" and "__prefix__" not in attributes.get("id", "")
        if tag in ("input", "select", "textarea") and shown and attributes.get("id"):
            self.controls.append(attributes["id"])
            if attributes.get("aria-label"):
                self.labelled.add(attributes["id"])

    def unlabelled(self) -> list[str]:
        return [control for control in self.controls if control not in self.labelled]


def test_every_field_of_a_condition_and_its_inlines_has_a_label(client, admin_user, shipped_conditions):
    condition = Condition.objects.get(slug="hamstring-tendinopathy")
    client.force_login(admin_user)

    page = client.get(reverse("admin:conditions_condition_change", args=[condition.pk])).content.decode()

    controls = FormControls(page)
    assert "id_red_flags-0-sign" in controls.controls and "id_references-0-DELETE" in controls.controls
    assert controls.unlabelled() == []
    assert '<label class="portal-visually-hidden" for="id_red_flags-0-sign">Sign</label>' in page


def test_every_field_of_a_plan_template_and_its_exercises_has_a_label(client, admin_user):
    template = PlanTemplateFactory(stage=2)
    PlanTemplateItemFactory(template=template, days_of_week=[0, 3])
    client.force_login(admin_user)

    page = client.get(reverse("admin:rehab_plantemplate_change", args=[template.pk])).content.decode()

    controls = FormControls(page)
    assert "id_items-0-days_of_week_6" in controls.controls
    assert controls.unlabelled() == []


def change_form_data(response) -> dict:
    """What the admin change page in `response` sends when saved untouched, its inlines included."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data


def test_a_condition_saves_with_all_its_inline_rows_without_a_query_per_row(
    client, admin_user, shipped_conditions
):
    """django-zeal fails the request if the rows' ids or foreign keys are looked up one row at a time."""
    condition = Condition.objects.get(slug="hamstring-tendinopathy")
    sections = list(Section.objects.filter(condition=condition))
    client.force_login(admin_user)
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    data = change_form_data(client.get(url))
    assert len(sections) > 5 and RelatedCondition.objects.filter(from_condition=condition).count() > 1
    data["sections-0-title"] = "Changed through the inline"

    response = client.post(url, data)

    assert response.status_code == 302
    assert Section.objects.filter(condition=condition, title="Changed through the inline").count() == 1


@pytest.mark.parametrize("field", ["sections-1-id", "related-0-to_condition"])
def test_an_inline_row_that_names_an_unknown_row_or_condition_is_refused(
    client, admin_user, shipped_conditions, field
):
    condition = Condition.objects.get(slug="hamstring-tendinopathy")
    client.force_login(admin_user)
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    data = change_form_data(client.get(url)) | {field: "999999", "sections-0-title": "Not saved"}

    response = client.post(url, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the errors below." in page or "Please correct the error below." in page
    if field == "related-0-to_condition":
        assert "Select a valid choice" in page
    assert not Section.objects.filter(title="Not saved").exists()
