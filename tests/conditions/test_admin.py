import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from conditions.models import Condition, Section
from tests.factories import AdminFactory, ClinicianProfileFactory, ConditionFactory

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


def _mark_reviewed(client, condition):
    return client.post(
        reverse("admin:conditions_condition_changelist"),
        {"action": "mark_reviewed", "_selected_action": [condition.pk]},
        follow=True,
    )


def test_an_admin_who_is_a_clinician_marks_the_article_reviewed_and_the_page_names_them(client):
    reviewer = AdminFactory(first_name="Priya", last_name="Shah")
    ClinicianProfileFactory(user=reviewer)
    condition = ConditionFactory(slug="reviewed-article")
    client.force_login(reviewer)

    response = _mark_reviewed(client, condition)

    assert response.status_code == 200 and "Marked as reviewed by Priya Shah" in response.content.decode()
    condition.refresh_from_db()
    assert condition.reviewed_by == reviewer and condition.last_reviewed == timezone.localdate()
    event = AuditEvent.objects.get(action="condition.review")
    assert event.actor == reviewer and event.patient is None and event.ip == "127.0.0.1"
    page = client.get(condition.get_absolute_url()).content.decode()
    assert f"Last reviewed by Priya Shah, a clinician, on {timezone.localdate():%-d %B %Y}." in page
    assert "Not yet reviewed" not in page


def test_an_admin_who_is_not_a_clinician_is_not_offered_the_review_and_cannot_post_it(client, admin_user):
    condition = ConditionFactory(slug="unreviewed-article")
    client.force_login(admin_user)

    changelist = client.get(reverse("admin:conditions_condition_changelist")).content.decode()
    _mark_reviewed(client, condition)

    assert "Mark as reviewed by me" not in changelist
    condition.refresh_from_db()
    assert condition.reviewed_by is None and condition.last_reviewed is None
    assert not AuditEvent.objects.filter(action="condition.review").exists()
    assert "Not yet reviewed by a clinician." in client.get(condition.get_absolute_url()).content.decode()


def test_the_reviewer_and_date_cannot_be_typed_in_on_the_change_form(client, admin_user, clinician):
    condition = ConditionFactory()
    client.force_login(admin_user)
    page = client.get(reverse("admin:conditions_condition_change", args=[condition.pk])).content.decode()
    assert 'name="reviewed_by"' not in page and 'name="last_reviewed"' not in page
