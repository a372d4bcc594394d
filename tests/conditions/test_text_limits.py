"""Every free-text field of the condition library has a length limit that the model, the admin form and the
public search form enforce."""

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse

from common import text_limits
from conditions.models import FAQ, Condition, RedFlag, RedFlagScreen, Reference, RelatedCondition, Section
from tests.factories import ConditionFactory, FAQFactory, SectionFactory

pytestmark = pytest.mark.django_db

BOUNDED_TEXT = [
    (Condition, "aliases", text_limits.NOTE),
    (Condition, "summary", text_limits.NOTE),
    (Condition, "illustration_alt", text_limits.SHORT_TEXT),
    (Section, "body", text_limits.ARTICLE_SECTION),
    (RedFlag, "sign", text_limits.SHORT_TEXT),
    (RedFlag, "action", text_limits.SHORT_TEXT),
    (RelatedCondition, "difference", text_limits.SHORT_TEXT),
    (FAQ, "answer", text_limits.LONG_TEXT),
    (Reference, "citation", text_limits.SHORT_TEXT),
    (RedFlagScreen, "release_note", text_limits.NOTE),
]
INLINES = ("sections", "red_flags", "related", "faqs", "references")


@pytest.mark.parametrize(("model", "name", "limit"), BOUNDED_TEXT, ids=lambda v: getattr(v, "__name__", v))
def test_the_model_field_refuses_one_character_more_than_its_limit(model, name, limit):
    field = model._meta.get_field(name)
    assert field.max_length == limit
    assert any(isinstance(v, MaxLengthValidator) and v.limit_value == limit for v in field.validators)
    field.run_validators("x" * limit)
    with pytest.raises(ValidationError, match=f"at most {limit} characters"):
        field.run_validators("x" * (limit + 1))


def test_no_free_text_field_of_the_library_is_left_without_a_limit():
    bounded = {(model, name) for model, name, _ in BOUNDED_TEXT}
    for model in (Condition, Section, RedFlag, RelatedCondition, FAQ, Reference, RedFlagScreen):
        for field in model._meta.get_fields():
            if field.get_internal_type() == "TextField":
                assert (model, field.name) in bounded, f"{model.__name__}.{field.name}"


def test_full_clean_refuses_an_over_long_section_and_faq_answer():
    section = SectionFactory.build(condition=ConditionFactory(), body="x" * (text_limits.ARTICLE_SECTION + 1))
    with pytest.raises(ValidationError) as refused:
        section.full_clean()
    assert "body" in refused.value.message_dict
    faq = FAQFactory.build(condition=section.condition, answer="x" * (text_limits.LONG_TEXT + 1))
    with pytest.raises(ValidationError) as refused:
        faq.full_clean()
    assert "answer" in refused.value.message_dict


def _change_form(condition: Condition, **changes) -> dict:
    """The admin change form of `condition` (saved without inlines), with `changes` on top."""
    data = {
        "name": condition.name,
        "slug": condition.slug,
        "aliases": condition.aliases,
        "summary": condition.summary,
        "illustration_path": condition.illustration_path,
        "illustration_alt": condition.illustration_alt,
        "published": "on" if condition.published else "",
    }
    for prefix in INLINES:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | changes


def _with_section(body: str) -> dict:
    return {
        "sections-TOTAL_FORMS": "1",
        "sections-0-order": "1",
        "sections-0-kind": "overview",
        "sections-0-title": "What it is",
        "sections-0-body": body,
    }


@pytest.fixture
def admin_change(client, admin_user):
    condition = ConditionFactory(summary="Short.")
    client.force_login(admin_user)
    return condition, reverse("admin:conditions_condition_change", args=[condition.pk])


def test_an_admin_section_body_over_the_limit_is_refused_with_the_limit_named(client, admin_change):
    condition, url = admin_change
    too_long = "x" * (text_limits.ARTICLE_SECTION + 1)
    response = client.post(url, _change_form(condition, **_with_section(too_long)))
    page = response.content.decode()
    assert response.status_code == 200 and "Please correct the error" in page
    assert (
        f"at most {text_limits.ARTICLE_SECTION} characters (it has {text_limits.ARTICLE_SECTION + 1})" in page
    )
    assert not Section.objects.filter(condition=condition).exists()


def test_an_admin_section_body_of_exactly_the_limit_is_saved(client, admin_change):
    condition, url = admin_change
    response = client.post(url, _change_form(condition, **_with_section("x" * text_limits.ARTICLE_SECTION)))
    assert response.status_code == 302
    assert len(Section.objects.get(condition=condition).body) == text_limits.ARTICLE_SECTION


def test_an_over_long_summary_in_the_admin_leaves_the_article_as_it_was(client, admin_change):
    condition, url = admin_change
    response = client.post(url, _change_form(condition, summary="y" * (text_limits.NOTE + 1)))
    assert response.status_code == 200
    assert f"at most {text_limits.NOTE} characters" in response.content.decode()
    condition.refresh_from_db()
    assert condition.summary == "Short."


def test_the_admin_form_tells_the_browser_the_limit(client, admin_change):
    _, url = admin_change
    page = client.get(url).content.decode()
    assert f'maxlength="{text_limits.NOTE}"' in page  # aliases and summary


def test_an_over_long_library_search_answers_400_with_the_limit(client):
    response = client.get(reverse("conditions:list"), {"q": "hamstring " * 20})
    assert response.status_code == 400
    assert "Please use at most 100 characters." in response.content.decode()
