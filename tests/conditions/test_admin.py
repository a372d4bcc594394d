import pytest
from django.urls import reverse

from conditions.models import Condition, Section

pytestmark = pytest.mark.django_db


def test_the_admin_change_page_shows_every_part_and_a_rendered_section_preview(
    client, admin_user, shipped_conditions
):
    condition = Condition.objects.get(slug="hamstring-tendinopathy")
    client.force_login(admin_user)
    response = client.get(reverse("admin:conditions_condition_change", args=[condition.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for inline in ("sections-", "red_flags-", "related-", "faqs-", "references-"):
        assert f'id="{inline}' in page, inline
    assert "<h3>Lots of names, one problem</h3>" in page
    assert reverse("admin:conditions_condition_preview", args=[condition.pk]) in page


def test_the_admin_preview_renders_an_unpublished_article_sanitised(client, admin_user, shipped_conditions):
    condition = Condition.objects.get(slug="sciatica")
    condition.published = False
    condition.save()
    Section.objects.filter(condition=condition, kind="overview").update(
        body='Hello <img src=x onerror="alert(1)">'
    )
    client.force_login(admin_user)

    response = client.get(reverse("admin:conditions_condition_preview", args=[condition.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Admin preview of the saved article" in page and "not published" in page
    assert "onerror" not in page and "Hello" in page


def test_patients_and_clinicians_cannot_open_the_admin_preview(
    client, patient, clinician, shipped_conditions
):
    condition = Condition.objects.get(slug="sciatica")
    url = reverse("admin:conditions_condition_preview", args=[condition.pk])
    for user in (patient, clinician):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_the_admin_preview_of_an_unknown_article_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:conditions_condition_preview", args=[999999])).status_code == 404
