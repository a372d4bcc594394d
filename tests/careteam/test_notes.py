import pytest
from django.urls import URLPattern, get_resolver, reverse

from careteam.models import Note, NoteAddendum
from tests.factories import ClinicianFactory, NoteAddendumFactory, NoteFactory

pytestmark = pytest.mark.django_db


def test_the_lead_writes_a_shared_note_that_the_patient_then_reads(client, world):
    client.force_login(world.lead)
    response = client.post(
        reverse("careteam:note_create", args=[world.patient_id]),
        {"visibility": "shared", "subjective": "Sitting for an hour now", "plan": "Add **bridges**"},
    )
    note = Note.objects.get(subjective="Sitting for an hour now")
    assert response.status_code == 302 and response["Location"].endswith(f"#note-{note.public_id}")
    assert note.author == world.lead and note.author_discipline == "physiotherapy" and note.is_shared

    client.force_login(world.patient)
    page = client.get(reverse("careteam:my_team")).content.decode()
    assert "Sitting for an hour now" in page
    assert "Shared advice" in page
    assert "Team-only observation" not in page


def test_an_empty_note_answers_400_and_saves_nothing(client, world):
    client.force_login(world.lead)
    before = Note.objects.count()
    response = client.post(reverse("careteam:note_create", args=[world.patient_id]), {"visibility": "team"})
    assert response.status_code == 400
    assert "Write at least one of the SOAP fields" in response.content.decode()
    assert Note.objects.count() == before


def test_a_bad_visibility_answers_400(client, world):
    client.force_login(world.lead)
    response = client.post(
        reverse("careteam:note_create", args=[world.patient_id]),
        {"visibility": "everyone", "subjective": "x"},
    )
    assert response.status_code == 400
    assert not Note.objects.filter(subjective="x").exists()


def test_markdown_in_a_note_is_sanitised(client, world):
    NoteFactory(patient=world.patient, author=world.lead, body="**bold** <script>alert(1)</script>")
    client.force_login(world.lead)
    page = client.get(reverse("careteam:patient_detail", args=[world.patient_id])).content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)" not in page


def test_an_addendum_appears_under_its_note_with_the_reason_and_leaves_the_note_as_it_was(client, world):
    client.force_login(world.member)
    url = reverse("careteam:note_addendum", args=[world.note.public_id])
    response = client.post(url, {"reason": "Wrong side", "body": "Right side", "subjective": "Rewritten"})
    assert response.status_code == 302
    addendum = NoteAddendum.objects.get(note=world.note)
    assert addendum.author == world.member and addendum.author_discipline == "chiropractic"
    assert Note.objects.get(pk=world.note.pk).subjective == "Team-only observation"
    page = client.get(reverse("careteam:patient_detail", args=[world.patient_id])).content.decode()
    assert page.index("Team-only observation") < page.index("Wrong side")


def test_an_addendum_needs_a_reason(client, world):
    client.force_login(world.lead)
    response = client.post(reverse("careteam:note_addendum", args=[world.note.public_id]), {"body": "x"})
    assert response.status_code == 400
    assert not NoteAddendum.objects.exists()


def test_no_url_of_the_project_edits_or_deletes_a_note():
    """The only portal route that takes a note's id adds an addendum; the admin's are read only (below)."""
    note_routes = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                note_routes.append(prefix + str(pattern.pattern))
            else:
                walk(pattern.url_patterns, prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "/")
    portal_note_routes = [r for r in note_routes if "note" in r and not r.startswith("/admin/")]
    assert portal_note_routes == [
        "/care/patients/<uuid:public_id>/notes/new/",
        "/care/notes/<uuid:public_id>/addendum/",
    ]


def test_the_admin_shows_notes_but_cannot_add_change_or_delete_them(client, admin_user):
    note = NoteFactory(subjective="Original")
    NoteAddendumFactory(note=note)
    client.force_login(admin_user)
    change_url = reverse("admin:careteam_note_change", args=[note.pk])
    view = client.get(change_url)
    assert view.status_code == 200 and "Original" in view.content.decode()
    assert 'name="subjective"' not in view.content.decode()
    assert client.post(change_url, {"subjective": "Edited in the admin"}).status_code == 403
    assert (
        client.post(reverse("admin:careteam_note_delete", args=[note.pk]), {"post": "yes"}).status_code == 403
    )
    assert client.get(reverse("admin:careteam_note_add")).status_code == 403
    changelist = client.post(
        reverse("admin:careteam_note_changelist"),
        {"action": "delete_selected", "_selected_action": [note.pk], "post": "yes"},
    )
    assert changelist.status_code in (200, 302)
    assert Note.objects.get(pk=note.pk).subjective == "Original"


def test_notes_filter_by_discipline_and_author(client, world):
    massage = ClinicianFactory(profile__discipline="massage")
    NoteFactory(patient=world.patient, author=massage, subjective="Soft tissue work")
    client.force_login(world.lead)
    url = reverse("careteam:patient_detail", args=[world.patient_id])

    by_discipline = client.get(url, {"discipline": "massage"}).content.decode()
    assert "Soft tissue work" in by_discipline and "Team-only observation" not in by_discipline

    by_author = client.get(url, {"author": world.lead.pk}).content.decode()
    assert "Team-only observation" in by_author and "Soft tissue work" not in by_author


def test_an_unknown_filter_value_answers_400_with_a_message(client, world):
    client.force_login(world.lead)
    response = client.get(
        reverse("careteam:patient_detail", args=[world.patient_id]), {"discipline": "astrology"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_kept_note_card_shows_a_new_addendum_and_a_renamed_author_on_the_next_view(client, world):
    """Note cards are kept between views by a digest of all they show: a change is never served stale."""
    client.force_login(world.lead)
    url = reverse("careteam:patient_detail", args=[world.patient_id])
    assert "Swelled after sprints" not in client.get(url).content.decode()
    NoteAddendumFactory(note=world.note, reason="Swelled after sprints")
    world.lead.last_name = "Renamed-Lead"
    world.lead.save(update_fields=["last_name"])
    page = client.get(url).content.decode()
    assert "Swelled after sprints" in page and f"{world.lead.first_name} Renamed-Lead" in page


def test_a_refused_filter_marks_its_select_invalid_and_keeps_the_other_choice(client, world):
    client.force_login(world.lead)
    url = reverse("careteam:patient_detail", args=[world.patient_id])
    page = client.get(url, {"discipline": "physiotherapy", "author": "999999"})
    assert page.status_code == 400
    html = page.content.decode()
    assert (
        '<select name="author" class="select form-select is-invalid" aria-invalid="true"'
        ' aria-describedby="id_author_error" id="id_author">' in html
    )
    error = (
        '<div id="id_author_error" class="invalid-feedback"><p id="error_1_id_author"><strong>Select a valid'
    )
    assert error in html
    assert '<select name="discipline" class="select form-select" id="id_discipline">' in html
    assert '<option value="physiotherapy" selected>Physiotherapy</option>' in html
    assert f'<option value="{world.lead.pk}">{world.lead.get_full_name()}</option>' in html
