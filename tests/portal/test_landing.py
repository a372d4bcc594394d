"""The public landing page at "/" for visitors, and the meta descriptions of the public pages."""

import html
import re

import pytest
from django.urls import reverse

from tests.factories import ConditionFactory, PatientFactory

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def meta_description(page: str) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)">', page)
    assert len(found) == 1, found
    return html.unescape(found[0])


def test_visitors_get_the_landing_page_with_the_library_the_self_check_and_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "portal/landing.html"
    main = response.content.decode().split('<main id="main"', 1)[1]
    for url in (reverse("conditions:list"), reverse("conditions:check"), reverse("accounts:login")):
        assert f'href="{url}"' in main
    assert "proximal hamstring tendinopathy" in main
    assert "it is not medical advice" in response.content.decode()


def test_the_landing_page_may_be_cached_but_not_across_sign_in(client):
    response = client.get(HOME)
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Cookie" in response["Vary"]


def test_signed_in_people_keep_their_home_not_the_landing_page(client, patient, clinician):
    for person in (clinician, patient):
        client.force_login(person)
        response = client.get(HOME)
        assert response.status_code == 200
        assert [t.name for t in response.templates][0] == "portal/home.html"
        assert f"Welcome, {person.get_short_name()}" in response.content.decode()


def test_every_public_page_has_its_own_meta_description(client):
    ConditionFactory(
        slug="hamstring-tendinopathy",
        name="Proximal hamstring tendinopathy",
        summary="Pain where the hamstrings attach to the sitting bone, and how loading helps it settle.",
    )
    pages = [
        HOME,
        reverse("conditions:list"),
        reverse("conditions:detail", args=["hamstring-tendinopathy"]),
        reverse("conditions:check"),
        reverse("accounts:login"),
        reverse("accounts:password_reset"),
    ]
    descriptions = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        description = meta_description(response.content.decode())
        assert 50 <= len(description) <= 200, (url, description)
        descriptions[url] = description
    assert len(set(descriptions.values())) == len(pages), descriptions
    assert descriptions[pages[2]].startswith("Pain where the hamstrings attach to the sitting bone")


def test_signed_in_pages_get_the_general_description(client, clinician):
    client.force_login(clinician)
    assert "hamstring rehab portal" in meta_description(client.get(HOME).content.decode())


def test_visitors_get_the_kept_landing_page_and_signed_in_people_their_own_home(client):
    first = client.get(HOME)
    again = client.get(HOME)
    assert again.content == first.content
    assert again.templates == [], "the second visit should be served from the page cache"
    client.force_login(PatientFactory())
    signed_in = client.get(HOME)
    assert [t.name for t in signed_in.templates][0] == "portal/home.html"
