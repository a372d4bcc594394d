"""The shipped articles: complete, and safe once rendered."""

import re

import pytest
from django.contrib.staticfiles import finders

from common.markdown import render_markdown
from conditions.content import SHIPPED_ARTICLES
from conditions.content.hamstring_tendinopathy import CONDITION
from conditions.models import Condition, SectionKind
from tests.common.test_markdown import FORBIDDEN

MAIN_ARTICLE_KINDS = {
    "overview",
    "anatomy",
    "tendon",
    "symptoms",
    "severity",
    "causes",
    "assessment",
    "treatment",
    "phases",
    "care_team",
    "prevention",
    "when_to_see",
}
RELATED_SLUGS = {
    "hamstring-strain",
    "sciatica",
    "piriformis-syndrome",
    "gluteal-tendinopathy",
    "ischial-bursitis",
}


def _markdown_of(article):
    yield from (section["body"] for section in article["sections"])
    yield from (faq["answer"] for faq in article["faqs"])


def test_every_section_kind_is_in_the_shipped_article_in_order_and_once():
    kinds = [section["kind"] for section in CONDITION["sections"]]
    assert set(kinds) == MAIN_ARTICLE_KINDS
    assert len(kinds) == len(MAIN_ARTICLE_KINDS)
    assert kinds[0] == "overview" and kinds[-1] == "when_to_see"


def test_every_shipped_section_kind_is_a_model_choice():
    for article in SHIPPED_ARTICLES:
        for section in article["sections"]:
            assert section["kind"] in SectionKind.values


def test_five_short_related_articles_ship_each_with_what_it_is_the_difference_and_when_to_get_assessed():
    related = {article["slug"]: article for article in SHIPPED_ARTICLES if article is not CONDITION}
    assert set(related) == RELATED_SLUGS
    for article in related.values():
        assert [section["kind"] for section in article["sections"]] == [
            "overview",
            "differences",
            "when_to_see",
        ]
    assert {item["slug"] for item in CONDITION["related"]} == RELATED_SLUGS


def test_severity_section_has_the_table_with_the_three_recovery_ranges():
    severity = next(section["body"] for section in CONDITION["sections"] if section["kind"] == "severity")
    html = render_markdown(severity)
    assert "<table>" in html
    for level, recovery in [
        ("Mild", "6–8 weeks"),
        ("Moderate", "3–6 months"),
        ("Severe", "6–12 months or longer"),
    ]:
        assert re.search(rf"<td>{level}</td>.*?<td>{recovery}</td>", html, re.S), level


def test_where_the_sources_disagree_is_said_plainly():
    treatment = next(section["body"] for section in CONDITION["sections"] if section["kind"] == "treatment")
    for topic in ("Ice or heat?", "Anti-inflammatory medicines?", "Stretching early on?"):
        assert topic in treatment


def test_at_least_eight_faqs_and_the_five_references_of_the_digest():
    assert len(CONDITION["faqs"]) >= 8
    assert len(CONDITION["references"]) == 5
    dois = {reference["doi"] for reference in CONDITION["references"] if reference["doi"]}
    assert dois == {"10.1136/bmj.b296", "10.1136/bjsports-2015-095245", "10.1136/bjsports-2016-096030"}


def test_the_anatomy_illustration_exists_and_has_alt_text():
    illustration = CONDITION["illustration"]
    assert finders.find(illustration["path"])
    assert (
        "ischial tuberosity" in illustration["alt"].lower()
        and "biceps femoris" in illustration["alt"].lower()
    )


@pytest.mark.parametrize("article", SHIPPED_ARTICLES, ids=lambda article: article["slug"])
def test_shipped_markdown_renders_without_anything_the_sanitiser_forbids(article):
    for text in _markdown_of(article):
        html = render_markdown(text).lower()
        for marker in FORBIDDEN:
            assert marker not in html, f"{marker!r} in {article['slug']}"
        # The sanitiser has nothing to remove from the shipped text: it is plain Markdown.
        assert "<" not in re.sub(r"<[a-z0-9]+[^<>]*>|</[a-z0-9]+>", "", html)


def test_shipped_articles_load_with_all_their_parts(shipped_conditions):
    main = Condition.objects.get(slug="hamstring-tendinopathy")
    assert main.published and main.content_date is not None
    assert main.last_reviewed is None and main.reviewed_by is None  # only a clinician reviews
    assert {section.kind for section in main.sections.all()} == MAIN_ARTICLE_KINDS
    assert main.red_flags.count() == len(CONDITION["red_flags"])
    assert main.faqs.count() == len(CONDITION["faqs"])
    assert [reference.doi_url for reference in main.references.all()][:1] == [
        "https://doi.org/10.1136/bmj.b296"
    ]
    assert {link.to_condition.slug for link in main.related.all()} == RELATED_SLUGS
    assert Condition.objects.filter(slug__in=RELATED_SLUGS, published=True).count() == 5


def _section(kind: str) -> str:
    return next(section["body"] for section in CONDITION["sections"] if section["kind"] == kind)


def _faq(start: str) -> str:
    return next(faq["answer"] for faq in CONDITION["faqs"] if faq["question"].startswith(start))


def test_the_anatomy_puts_the_short_head_on_the_thigh_bone_and_gives_semimembranosus_its_own_tendon():
    anatomy = " ".join(_section("anatomy").split())
    assert "all three muscles start from" not in anatomy
    assert (
        "short head of biceps femoris** is the exception. It starts lower down, on the back of the thigh bone"
        in anatomy
    )
    assert "**Semimembranosus** has a tendon of its own" in anatomy
    assert "one shared tendon" not in CONDITION["illustration"]["alt"]


def test_night_pain_that_wakes_and_does_not_ease_is_sent_for_a_check_within_days():
    symptoms = " ".join(_section("symptoms").split())
    assert "wakes you up and does not ease when you change position" in symptoms
    assert "within a few days" in symptoms
    assert any(
        "wakes you" in flag["sign"] and "few days" in flag["action"] for flag in CONDITION["red_flags"]
    )


def test_causes_are_hedged_as_thought_to():
    causes = " ".join(_section("causes").split())
    assert "thought to come from a mix" in causes
    assert "the hamstrings have to do extra work" not in causes
    assert causes.count("thought to") >= 5


def test_taping_and_acupuncture_are_not_said_to_ease_pain_and_injections_carry_their_caveats():
    treatment = " ".join(_section("treatment").split())
    adjuncts = treatment[treatment.index("Other treatments you may hear about") :]
    assert "ease pain" not in adjuncts[: adjuncts.index("For symptoms that continue")]
    assert "little good evidence that it changes the pain" in treatment  # taping
    assert "little good evidence that it helps this condition" in treatment  # acupuncture
    for text in (treatment, " ".join(_faq("Will I need an injection").split())):
        assert "short time" in text and "may weaken" in text and "uncertain" in text


def test_twice_a_day_is_for_the_gentle_exercises_and_strength_work_has_rest_days_as_in_the_library():
    from rehab.content.exercises import EXERCISES

    treatment = " ".join(_section("treatment").split())
    assert "do your exercises **twice a day**" not in treatment
    assert "**once a day on two to four days a week**" in treatment
    twice = {e["slug"] for e in EXERCISES if e["dosage"]["times_per_day"] == 2}
    strength = [e for e in EXERCISES if e["stages"][0] in (2, 3) and not e["clinician_choice_only"]]
    assert twice and all(e["stages"][0] == 1 for e in EXERCISES if e["slug"] in twice)
    assert all(2 <= e["dosage"]["days_per_week"] <= 4 and e["dosage"]["times_per_day"] == 1 for e in strength)


def test_the_article_gives_pain_limits_as_the_care_teams_not_as_a_fixed_rule():
    texts = [_section("phases"), _faq("Is it OK to feel some pain")]
    for text in texts:
        flat = " ".join(text.split())
        assert "care team sets" in flat or "your care team sets" in flat
        assert "| 0–3 |" not in flat and "Pain up to 3 out of 10 is fine" not in flat
        assert "often 3 out of 10" in flat
