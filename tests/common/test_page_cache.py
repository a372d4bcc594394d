"""Public pages kept whole for visitors who are not signed in (common/page_cache.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import INFO
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils.cache import add_never_cache_headers

from common import page_cache
from common.page_cache import cache_public_page
from conditions.models import Section
from tests.factories import ExerciseFactory, PatientFactory

pytestmark = pytest.mark.django_db

ARTICLE = "/conditions/hamstring-tendinopathy/"
LIST = "/conditions/"


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_a_visitor_gets_the_article_from_the_cache_the_second_time(
    client, shipped_conditions, django_assert_num_queries
):
    first = client.get(ARTICLE)
    with django_assert_num_queries(0):
        second = client.get(ARTICLE)
    assert second.status_code == 200
    assert second.content == first.content


def test_a_cached_page_keeps_the_security_headers_and_varies_on_the_cookie(client, shipped_conditions):
    client.get(ARTICLE)
    cached = client.get(ARTICLE)
    assert "script-src 'self'" in cached["Content-Security-Policy"]
    assert cached["X-Frame-Options"] == "DENY"
    assert cached["Content-Type"].startswith("text/html")
    assert "Cookie" in cached["Vary"]
    assert "Set-Cookie" not in cached


def test_an_edit_to_a_section_shows_on_the_next_visit(
    client, shipped_conditions, django_capture_on_commit_callbacks
):
    client.get(ARTICLE)
    section = Section.objects.filter(condition__slug="hamstring-tendinopathy").first()
    with django_capture_on_commit_callbacks(execute=True):
        section.body = "A sentence written by the admin just now."
        section.save()
    assert "A sentence written by the admin just now." in client.get(ARTICLE).content.decode()


def test_unpublishing_an_article_takes_it_off_the_cached_pages(client, shipped_conditions):
    assert "Hamstring strain" in main_of(client.get(LIST))
    client.get("/conditions/hamstring-strain/")
    from conditions.models import Condition

    strain = Condition.objects.get(slug="hamstring-strain")
    strain.published = False
    strain.save()
    assert client.get("/conditions/hamstring-strain/").status_code == 404
    assert "Hamstring strain" not in main_of(client.get(LIST))


def test_an_edit_to_an_exercise_forgets_the_kept_pages(client, shipped_conditions):
    client.get(ARTICLE)
    before = page_cache.cache.get(page_cache.VERSION_KEY)
    ExerciseFactory()
    assert page_cache.cache.get(page_cache.VERSION_KEY) != before


def test_a_signed_in_person_never_gets_the_visitors_page_nor_fills_it(
    client, shipped_conditions, django_assert_max_num_queries
):
    visitor = client.get(ARTICLE)
    patient = PatientFactory(first_name="Robin")
    client.force_login(patient)
    signed_in = client.get(ARTICLE)
    assert "Robin" in signed_in.content.decode()
    assert signed_in.content != visitor.content
    client.logout()
    again = client.get(ARTICLE)
    assert "Robin" not in again.content.decode()


def test_each_search_is_its_own_page_and_other_parameters_share_the_plain_one(
    client, shipped_conditions, django_assert_num_queries
):
    sciatica = client.get(LIST, {"q": "sciatica"}).content.decode()
    elbow = client.get(LIST, {"q": "elbow"}).content.decode()
    assert "No articles match" in elbow and "No articles match" not in sciatica
    client.get(LIST)
    with django_assert_num_queries(0):
        tagged = client.get(LIST, {"utm_source": "leaflet"})
    assert "Proximal hamstring tendinopathy" in tagged.content.decode()


def test_a_refused_search_is_not_kept(client, shipped_conditions):
    assert client.get(LIST, {"q": "x" * 101}).status_code == 400
    assert client.get(LIST, {"q": "x" * 101}).status_code == 400


# The rules, on small views of the test's own


def _never_cached(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


def _visitor_get(path: str = "/page/", **extra):
    request = RequestFactory().get(path, **extra)
    request.user = AnonymousUser()
    return request


def _counting(view):
    calls = []

    def counted(request):
        calls.append(request)
        return view(request)

    return cache_public_page()(counted), calls


def test_a_plain_page_is_drawn_once():
    view, calls = _counting(lambda request: HttpResponse("the same for everyone"))
    assert view(_visitor_get()).content == view(_visitor_get()).content == b"the same for everyone"
    assert len(calls) == 1


def test_a_page_with_a_csrf_token_is_never_kept():
    view, calls = _counting(lambda request: HttpResponse(f"<form>{get_token(request)}</form>"))
    first, second = view(_visitor_get()), view(_visitor_get())
    assert len(calls) == 2
    assert first.content != second.content


def test_a_page_that_sets_a_cookie_is_never_kept():
    def sets_cookie(request):
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    view, calls = _counting(sets_cookie)
    view(_visitor_get())
    assert "seen" in view(_visitor_get()).cookies
    assert len(calls) == 2


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse("not found", status=404),
        HttpResponse(status=302, headers={"Location": "/elsewhere/"}),
        _never_cached(HttpResponse("private")),
    ],
    ids=["404", "redirect", "never_cache"],
)
def test_only_a_shareable_200_is_kept(response):
    view, calls = _counting(lambda request: response)
    view(_visitor_get())
    view(_visitor_get())
    assert len(calls) == 2


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page():
    view, calls = _counting(lambda request: HttpResponse("page"))
    view(_visitor_get())
    request = _visitor_get()
    request._messages = CookieStorage(request)
    request._messages.add(INFO, "You were signed out after 15 minutes without activity.")
    view(request)
    assert len(calls) == 2


def test_a_post_is_never_served_from_the_cache():
    view, calls = _counting(lambda request: HttpResponse("page"))
    view(_visitor_get())
    request = RequestFactory().post("/page/")
    request.user = AnonymousUser()
    view(request)
    assert len(calls) == 2


def test_pages_are_drawn_as_usual_when_the_cache_is_down(settings, client, shipped_conditions):
    settings.CACHES = {
        "default": {
            "BACKEND": "common.redis_cache.SharedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = client.get(ARTICLE)
    assert response.status_code == 200
    assert "Proximal hamstring tendinopathy" in response.content.decode()
