import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careteam.models import Alert
from conditions.models import Condition, Section, SymptomCheck
from tests.common.test_markdown import FORBIDDEN, XSS_PAYLOADS
from tests.conditions.test_selfcheck import CALM, EXERCISE_WORDS
from tests.factories import (
    CareTeamMembershipFactory,
    ConditionFactory,
    FAQFactory,
    PatientFactory,
    ReferenceFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

ARTICLE = "/conditions/hamstring-tendinopathy/"
CHECK = "/conditions/hamstring-tendinopathy/check/"


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def form_data(**changes):
    data = {code: "yes" if value else "no" for code, value in CALM.items() if isinstance(value, bool)}
    data.update(
        pain_location=CALM["pain_location"], aggravators=CALM["aggravators"], duration=CALM["duration"]
    )
    data.update(impact=CALM["impact"])
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# The list and the search


def test_the_library_lists_the_published_articles_to_anyone(client, shipped_conditions):
    response = client.get(reverse("conditions:list"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Proximal hamstring tendinopathy", "Hamstring strain", "Sciatica", "Ischial bursitis"):
        assert name in page
    assert "Information only." in page


def test_search_finds_an_article_by_its_alias(client, shipped_conditions):
    page = client.get(reverse("conditions:list"), {"q": "TENDONITIS"}).content.decode()
    assert "Proximal hamstring tendinopathy" in page
    assert "Piriformis syndrome" not in page


def test_search_finds_an_article_by_words_in_a_section_body(client, shipped_conditions):
    # "Thomas test" appears only in the assessment section of the main article.
    page = client.get(reverse("conditions:list"), {"q": "thomas test"}).content.decode()
    assert "1 article matches" in page and "Proximal hamstring tendinopathy" in page
    assert "Sciatica" not in page.split("search-status")[1]


def test_search_with_no_hit_says_so(client, shipped_conditions):
    response = client.get(reverse("conditions:list"), {"q": "elbow"})
    assert response.status_code == 200
    assert "No articles match “elbow”." in response.content.decode()


def test_an_overlong_search_is_refused_with_a_message(client, shipped_conditions):
    response = client.get(reverse("conditions:list"), {"q": "x" * 101})
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()


def test_search_never_shows_unpublished_articles_to_the_public(client):
    ConditionFactory(name="Hidden draft", aliases="secretword", published=False)
    page = client.get(reverse("conditions:list"), {"q": "secretword"}).content.decode()
    assert "Hidden draft" not in page


def test_the_list_query_count_does_not_grow_with_articles(
    client, django_assert_max_num_queries, shipped_conditions
):
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("conditions:list"), {"q": "hamstring"})
    with_six = len(few)
    ConditionFactory.create_batch(15, summary="More hamstring text")
    with django_assert_max_num_queries(with_six):
        page = client.get(reverse("conditions:list"), {"q": "hamstring"}).content.decode()
    assert page.count('class="card mb-3"') > 15


# The article


def test_the_article_has_a_contents_list_linking_to_every_section(client, shipped_conditions):
    page = client.get(ARTICLE).content.decode()
    for section in Section.objects.filter(condition__slug="hamstring-tendinopathy"):
        assert f'href="#{section.anchor}"' in page
        assert f'id="{section.anchor}"' in page
    for anchor in ("red-flags", "related-conditions", "faqs", "references"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page


def test_the_article_shows_every_part_a_reader_needs(client, shipped_conditions):
    response = client.get(ARTICLE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<table>" in page and "6–12 months or longer" in page
    assert 'class="article-section red-flags-box"' in page
    assert '<a href="/conditions/sciatica/">Sciatica</a>' in page
    assert page.count('<details class="faq">') >= 8 and "<summary>Should I use ice or heat?</summary>" in page
    assert 'href="https://doi.org/10.1136/bmj.b296"' in page
    assert page.count('href="https://doi.org/') == 3  # only references that have a DOI get a link
    assert re.search(r'<img src="/static/conditions/img/hamstring-anatomy.svg" alt="[^"]{80,}"', page)
    assert "Not yet reviewed by a clinician. Text dated 21 November 2026." in page
    assert "Last reviewed" not in page
    assert "Information only." in page
    assert 'href="/static/conditions/print.css" media="print"' in page
    assert "<script>" not in page and "style=" not in page


def test_a_related_article_links_back_and_carries_the_disclaimer(client, shipped_conditions):
    page = client.get("/conditions/gluteal-tendinopathy/").content.decode()
    assert 'href="/conditions/hamstring-tendinopathy/"' in page
    assert "How it differs from hamstring tendinopathy" in page
    assert "Information only." in page


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_section_body_edited_by_an_admin_is_sanitised_on_the_page(client, shipped_conditions, payload):
    Section.objects.filter(condition__slug="hamstring-tendinopathy", kind="overview").update(
        body=f"Before.\n\n{payload}\n\nAfter."
    )
    page = client.get(ARTICLE).content.decode()
    overview = page[page.index('<section id="overview"') : page.index('<section id="anatomy"')].lower()
    assert "before." in overview and "after." in overview
    for marker in FORBIDDEN:
        assert marker not in overview, f"{marker!r} survived"


def test_an_unknown_article_is_404(client):
    assert client.get("/conditions/no-such-thing/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "patient", "clinician"])
def test_an_unpublished_article_is_404_for_everyone_but_admins(client, who, request):
    condition = ConditionFactory(published=False)
    SectionFactory(condition=condition)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(condition.get_absolute_url()).status_code == 404


def test_an_admin_can_read_an_unpublished_article_and_is_told_so(client, admin_user):
    condition = ConditionFactory(published=False)
    client.force_login(admin_user)
    response = client.get(condition.get_absolute_url())
    assert response.status_code == 200
    assert "not published" in response.content.decode()


def _article_queries(client, condition) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(condition.get_absolute_url()).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["anonymous", "patient"])
def test_the_article_query_count_does_not_grow_with_faqs_or_references(
    client, who, request, django_assert_max_num_queries
):
    if who == "patient":
        client.force_login(request.getfixturevalue("patient"))
    condition = ConditionFactory()
    SectionFactory(condition=condition)
    FAQFactory(condition=condition)
    ReferenceFactory(condition=condition)
    before = _article_queries(client, condition)

    FAQFactory.create_batch(25, condition=condition)
    ReferenceFactory.create_batch(25, condition=condition)
    for kind in ("anatomy", "symptoms", "severity", "treatment"):
        SectionFactory(condition=condition, kind=kind, title=kind)
    with django_assert_max_num_queries(before):
        page = client.get(condition.get_absolute_url()).content.decode()
    assert page.count('<details class="faq">') == 26
    assert page.count('href="https://doi.org/') == 26
    # + session read, user, session save and the navbar bell's unread count
    assert before <= (6 if who == "anonymous" else 12)


def test_the_shipped_article_is_read_in_a_bounded_number_of_queries(
    client, shipped_conditions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        client.get(ARTICLE)


# The symptom self-check


def test_the_self_check_form_is_public_and_carries_the_disclaimer(client):
    response = client.get(CHECK)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Information only." in page and "Call 999" in page
    for name in ("sudden_pop", "swelling_bruising", "weight_bearing", "numbness_tingling", "pain_location"):
        assert f'name="{name}"' in page
    assert 'name="aggravators"' in page and 'name="duration"' in page and 'name="impact"' in page


@pytest.mark.parametrize("missing", ["numbness_tingling", "aggravators", "impact"])
def test_an_unanswered_question_gives_errors_and_no_result(client, patient, missing):
    client.force_login(patient)
    response = client.post(CHECK, form_data(**{missing: None}))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please answer every question." in page
    assert "Your answers are like" not in page and "Get seen today" not in page
    assert not SymptomCheck.objects.exists()


def test_an_empty_form_lists_every_question_as_unanswered(client):
    response = client.post(CHECK, {})
    assert response.status_code == 400
    assert "19 questions still need an answer" in response.content.decode()


def test_none_of_these_cannot_be_ticked_with_an_activity(client):
    response = client.post(CHECK, form_data(aggravators=["none", "sitting"]))
    assert response.status_code == 400
    assert "on its own" in response.content.decode()


def test_an_anonymous_red_flag_result_says_get_assessed_and_gives_no_exercise_advice(client):
    response = client.post(CHECK, form_data(sudden_pop="yes", numbness_tingling="yes", impact="sport"))
    main = main_of(response)
    assert response.status_code == 200
    assert "Get seen today" in main  # the pop is the more urgent of the two
    assert "Sudden pain with a pop or snap" in main and "Numbness or tingling down the leg" in main
    assert "Marked swelling or bruising" not in main
    assert "Information only." in main
    for word in EXERCISE_WORDS:
        assert word not in main.lower(), word
    assert not SymptomCheck.objects.exists()


def test_an_anonymous_mild_result_explains_recovery_and_what_to_do(client):
    response = client.post(CHECK, form_data())
    main = main_of(response)
    assert response.status_code == 200
    assert "Your answers are like those of people with a mild tendinopathy" in main and "6–8 weeks" in main
    assert "What to do now" in main and "When to see a clinician" in main and "Information only." in main
    assert not SymptomCheck.objects.exists()


def test_a_severe_result_gives_the_longest_recovery_range(client):
    main = main_of(client.post(CHECK, form_data(impact="work_sleep")))
    assert (
        "Your answers are like those of people with a severe tendinopathy" in main
        and "6–12 months or longer" in main
    )


def test_pain_on_the_outer_hip_points_to_gluteal_tendinopathy(client, shipped_conditions):
    main = main_of(client.post(CHECK, form_data(pain_location="outer_hip")))
    assert 'href="/conditions/gluteal-tendinopathy/"' in main


def test_a_clinicians_check_is_shown_but_not_saved(client, clinician):
    client.force_login(clinician)
    response = client.post(CHECK, form_data(weight_bearing="yes"))
    assert response.status_code == 200 and "Get seen today" in response.content.decode()
    assert not SymptomCheck.objects.exists()


def test_a_patients_red_flag_check_is_saved_and_shown_at_its_own_address(client, patient):
    CareTeamMembershipFactory(patient=patient, role="lead")
    client.force_login(patient)
    response = client.post(CHECK, form_data(swelling_bruising="yes"))

    check = SymptomCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{CHECK}{check.public_id}/"
    assert check.patient == patient and check.has_red_flags and check.red_flags == ["swelling_bruising"]
    result = client.get(response["Location"])
    main = main_of(result)
    assert result.status_code == 200
    assert (
        "Get seen today" in main
        and "Marked swelling or bruising" in main
        and "saved to your record" in main
        and "Your care team has been told" in main
    )
    assert Alert.objects.get(patient=patient).kind == "red_flag"
    assert "Information only." in main
    for word in EXERCISE_WORDS:
        assert word not in main.lower(), word


def test_a_patient_with_no_care_team_is_told_to_contact_the_clinic(client, patient):
    client.force_login(patient)
    response = client.post(CHECK, form_data(numbness_tingling="yes"), follow=True)
    main = main_of(response)
    assert "See a clinician within the next few days" in main
    assert "No clinician is looking after you through the portal yet" in main
    assert "Your care team has been told" not in main


def test_a_patients_severity_check_is_saved_and_listed_on_the_form(client, patient):
    client.force_login(patient)
    response = client.post(CHECK, form_data(impact="daily"))
    check = SymptomCheck.objects.get()
    assert (check.severity, check.has_red_flags) == ("moderate", False)
    assert "3–6 months" in main_of(client.get(response["Location"]))
    assert check.get_absolute_url() in client.get(CHECK).content.decode()


@pytest.mark.parametrize("who", ["anonymous", "other_patient", "clinician", "admin_user"])
def test_only_the_patient_can_open_their_saved_check(client, patient, who, request):
    client.force_login(patient)
    url = client.post(CHECK, form_data())["Location"]
    client.logout()
    if who == "other_patient":
        client.force_login(PatientFactory())
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 404


def test_an_unknown_check_id_is_404(client, patient):
    client.force_login(patient)
    assert client.get(f"{CHECK}{uuid.uuid4()}/").status_code == 404


def test_the_self_check_form_query_count_does_not_grow_with_earlier_checks(
    client, patient, django_assert_max_num_queries
):
    client.force_login(patient)
    client.post(CHECK, form_data())
    with CaptureQueriesContext(connection) as one:
        client.get(CHECK)
    with_one_check = len(one)  # read now: the next request empties the connection's query log
    for _ in range(8):
        client.post(CHECK, form_data(impact="sport"))
    with django_assert_max_num_queries(with_one_check):
        page = client.get(CHECK).content.decode()
    assert page.count(CHECK) >= 5


# Navigation


def test_conditions_are_in_the_navigation_of_every_role(client, patient, clinician, admin_user):
    for user in (patient, clinician, admin_user):
        client.force_login(user)
        assert 'href="/conditions/"' in client.get(reverse("home")).content.decode()


def test_signed_out_visitors_find_the_library_in_the_header(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<a class="public-nav-link ms-auto me-3" href="/conditions/">About your condition</a>' in page


def test_the_stable_address_of_the_main_article(shipped_conditions):
    assert Condition.objects.get(slug="hamstring-tendinopathy").get_absolute_url() == ARTICLE
    assert reverse("conditions:detail", kwargs={"slug": "hamstring-tendinopathy"}) == ARTICLE
