"""The security headers on every kind of response, the 404 and 500 pages included (ASVS 8.2.1, 3.4).

Responses to a signed-in person, and the sign-in and password pages, are never stored by a browser or a
proxy; public pages and static files keep their caching. The 500 page comes from a view that fails, added
to the portal's own URLs by this module (`pytest.mark.urls(__name__)`), with DEBUG off as in production.
"""

import pytest
from django.test import Client
from django.urls import path, reverse
from django.utils.cache import get_max_age

from portal import urls as portal_urls
from portal.middleware import PERMISSIONS_POLICY

FAILING_PATH = "/test-only/fails/"


def fails(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path(FAILING_PATH.strip("/") + "/", fails), *portal_urls.urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def error_client():
    """A 500 comes back as the page a browser would get, instead of raising in the test."""
    return Client(raise_request_exception=False)


def cache_directives(response) -> set[str]:
    return {
        part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()
    }


def assert_security_headers(response) -> None:
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def assert_never_stored(response) -> None:
    assert {"no-store", "no-cache", "private"} <= cache_directives(response), response.get("Cache-Control")
    assert get_max_age(response) == 0


def test_a_patient_page_is_never_stored(error_client, patient):
    error_client.force_login(patient)
    response = error_client.get(reverse("careteam:my_team"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert_never_stored(response)


def test_a_clinician_page_is_never_stored(error_client, clinician):
    error_client.force_login(clinician)
    response = error_client.get(reverse("rehab:patient_list"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert_never_stored(response)


def test_an_admin_page_is_never_stored(error_client, admin_user):
    error_client.force_login(admin_user)
    response = error_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert_never_stored(response)


def test_the_404_page_of_a_signed_in_person_is_never_stored(error_client, patient):
    error_client.force_login(patient)
    response = error_client.get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response)
    assert_never_stored(response)


def test_the_500_page_of_a_signed_in_person_is_never_stored(error_client, clinician):
    error_client.force_login(clinician)
    response = error_client.get(FAILING_PATH)
    assert response.status_code == 500
    assert_security_headers(response)
    assert_never_stored(response)


def test_a_redirect_for_a_signed_in_person_is_never_stored(error_client, patient):
    error_client.force_login(patient)
    response = error_client.get(reverse("accounts:login"))  # already signed in: sent on to the home page
    assert response.status_code == 302
    assert_security_headers(response)
    assert_never_stored(response)


def test_an_htmx_fragment_for_a_signed_in_person_is_never_stored(error_client, patient):
    error_client.force_login(patient)
    response = error_client.get(reverse("careteam:my_team"), HTTP_HX_REQUEST="true")
    assert_never_stored(response)


@pytest.mark.parametrize(
    "url_name", ["accounts:login", "accounts:password_reset", "accounts:password_reset_done", "admin:login"]
)
def test_the_sign_in_and_password_pages_are_never_stored(error_client, url_name):
    response = error_client.get(reverse(url_name))
    assert response.status_code == 200
    assert_security_headers(response)
    assert_never_stored(response)


def test_a_public_page_keeps_its_caching_for_anonymous_visitors(error_client):
    response = error_client.get(reverse("conditions:list"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" not in cache_directives(response)


def test_the_same_public_page_is_never_stored_for_a_signed_in_person(error_client, patient):
    error_client.force_login(patient)
    response = error_client.get(reverse("conditions:list"))
    assert_never_stored(response)


@pytest.mark.parametrize(("path", "status"), [("/no-such-page/", 404), (FAILING_PATH, 500)])
def test_anonymous_error_pages_carry_the_security_headers(error_client, path, status):
    response = error_client.get(path)
    assert response.status_code == status
    assert_security_headers(response)


@pytest.mark.parametrize("signed_in", [False, True])
def test_static_files_keep_their_caching_and_carry_the_permissions_policy(
    error_client, patient, settings, signed_in
):
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ without collectstatic, as `make run` does
    if signed_in:
        error_client.force_login(patient)
    response = error_client.get("/static/css/portal.css")
    response.close()  # WhiteNoise streams the file
    assert response.status_code == 200
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "no-store" not in cache_directives(response)
    assert get_max_age(response)


def test_the_permissions_policy_denies_what_the_portal_never_uses_and_keeps_what_it_needs():
    policy = dict(directive.split("=", 1) for directive in PERMISSIONS_POLICY.split(", "))
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    ):
        assert policy[feature] == "()"
    assert policy["screen-wake-lock"] == "(self)"
    assert policy["publickey-credentials-get"] == "(self)"
