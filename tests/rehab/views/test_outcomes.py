"""The questionnaire pages: what is due, and one form per kind (VISA-H, PSFS, pain rating) built from the
item tables in rehab/outcomes.py."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rehab import outcomes
from rehab.models import OutcomeMeasure
from rehab.outcome_forms import FORMS, HIGHER_IS_BETTER, LOWER_IS_BETTER, PsfsForm, VisaHForm
from rehab.services.outcomes import outcome_record

pytestmark = pytest.mark.django_db
TODAY = reverse("rehab:today")
VISA_H = reverse("rehab:outcome_form", args=["visa-h"])
PSFS = reverse("rehab:outcome_form", args=["psfs"])
PAIN_RATING = reverse("rehab:outcome_form", args=["pain-rating"])
VISA_ANSWERS = {"q1": 4, "q2": 5, "q3": 6, "q4": 4, "q5": 5, "q6": 6, "q7": "modified", "q8": "on-2"}


def local_today(patient) -> datetime.date:
    return timezone.localtime(timezone=patient.zone).date()


def scale_group(page: str, scale_id: str) -> str:
    """The HTML of one 0-10 scale: its <fieldset>, from the one that names `scale_id`'s direction."""
    start = page.index(f'aria-describedby="{scale_id}-direction')
    start = page.rindex("<fieldset", 0, start)
    return page[start : page.index("</fieldset>", start)]


def text_of(html: str, element_id: str) -> str:
    """The text of the element with this id, tags removed and spaces collapsed."""
    start = html.index(">", html.index(f'id="{element_id}"')) + 1
    tag = html[html.rindex("<", 0, start) + 1 :].split(maxsplit=1)[0]
    inner = html[start : html.index(f"</{tag}>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", inner).split())


def scale_key(page: str, scale_id: str) -> tuple[str, str, str]:
    """What a scale says above its buttons, and at its 0 and 10 ends, as the page shows them."""
    group = scale_group(page, scale_id)
    ends = group[group.index(f'id="{scale_id}-ends"') :]
    low, high = re.findall(r"<span[^>]*>([^<]*)</span>", ends)[:2]
    return text_of(group, f"{scale_id}-direction"), low, high


def test_questionnaires_show_what_is_due_and_refuse_bad_answers(client, stage_one_plan, patient):
    client.force_login(patient)
    stage_one_plan.start_date = local_today(patient)
    stage_one_plan.save()
    assert "Questionnaires due" in client.get(TODAY).content.decode()
    listing = client.get(reverse("rehab:my_outcomes")).content.decode()
    assert "VISA-H questionnaire" in listing and "Not filled in yet" in listing
    url = reverse("rehab:outcome_form", args=["visa-h"])
    assert "Wording pending clinical review" in client.get(url).content.decode()
    answers = {"q1": 4, "q2": 5, "q3": 6, "q4": 4, "q5": 5, "q6": 6, "q7": "modified", "q8": "on-2"}
    bad = client.post(url, {**answers, "q3": "12"})
    assert bad.status_code == 400 and "Question 3: choose a number from 0 to 10." in bad.content.decode()
    assert client.post(url, answers).status_code == 302
    assert OutcomeMeasure.objects.get().score == 44
    psfs = reverse("rehab:outcome_form", args=["psfs"])
    short = client.post(
        psfs, {"activity_1": "Sitting", "rating_1": "3", "activity_2": "Running", "rating_2": "1"}
    )
    assert short.status_code == 400 and "between 3 and 5 activities" in short.content.decode()
    assert client.get(reverse("rehab:outcome_form", args=["nonsense"])).status_code == 404


def test_each_kind_has_a_form_asking_every_item_of_its_table():
    assert set(FORMS) == set(outcomes.OutcomeKind.values)
    visa_keys = [item.key for item in outcomes.VISA_H_SCALE_ITEMS]
    assert list(VisaHForm().fields) == [
        *visa_keys,
        outcomes.VISA_H_ACTIVITY.key,
        outcomes.VISA_H_DURATION.key,
    ]
    assert VisaHForm().fields["q1"].label == f"1. {outcomes.VISA_H_SCALE_ITEMS[0].text}"
    assert [value for value, _ in VisaHForm().fields["q8"].choices] == [
        value for value, _, _ in outcomes.VISA_H_DURATION.choices
    ]
    rows = range(1, outcomes.PSFS_MAX_ACTIVITIES + 1)
    assert list(PsfsForm().fields) == [name for n in rows for name in (f"activity_{n}", f"rating_{n}")]


def test_the_psfs_form_hands_the_service_every_row_in_order():
    form = PsfsForm({"activity_1": "Sitting", "rating_1": "3", "activity_3": "Stairs", "rating_3": "7"})
    assert form.is_valid()
    assert form.answers() == {
        "activities": [("Sitting", "3"), ("", None), ("Stairs", "7"), ("", None), ("", None)]
    }


def test_the_visa_h_page_draws_every_item_with_the_same_field_names_as_before(client, patient):
    client.force_login(patient)
    page = client.get(VISA_H).content.decode()
    for item in outcomes.VISA_H_SCALE_ITEMS:
        assert f'name="{item.key}" id="visa-{item.key}-10" value="10"' in page
    assert 'type="radio" name="q7" id="q7-none" value="none"' in page
    assert 'id="q8-stop-4" value="stop-4"' in page
    form = page[page.index('<form method="post" novalidate>') :]
    form = form[: form.index("</form>")]
    assert form.count('type="submit"') == 1 and form.count('name="csrfmiddlewaretoken"') == 1


def test_a_full_visa_h_is_scored_kept_and_thanked_for(client, stage_one_plan, patient):
    client.force_login(patient)
    response = client.post(VISA_H, VISA_ANSWERS, follow=True)
    assert "Thank you. Your VISA-H questionnaire score: 44." in response.content.decode()
    measure = OutcomeMeasure.objects.get(patient=patient)
    assert (measure.kind, measure.score, measure.plan) == ("visa_h", 44, stage_one_plan)
    assert measure.answers == {**VISA_ANSWERS, "q1": 4}


def test_a_visa_h_answered_out_of_range_shows_the_error_next_to_that_item_and_saves_nothing(
    client, stage_one_plan, patient
):
    client.force_login(patient)
    response = client.post(VISA_H, {**VISA_ANSWERS, "q3": "12"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"q3": ["Question 3: choose a number from 0 to 10."]}
    page = response.content.decode()
    assert 'class="scale is-invalid" aria-describedby="visa-q3-direction visa-q3-ends visa-q3-error"' in page
    assert 'id="visa-q3-error">Question 3: choose a number from 0 to 10.</div>' in page
    assert 'id="visa-q1-4" value="4" autocomplete="off" checked' in page  # the other answers stay chosen
    assert 'id="q7-modified" value="modified" checked' in page
    assert not OutcomeMeasure.objects.exists()


def test_an_empty_visa_h_answers_400_naming_every_question(client, stage_one_plan, patient):
    client.force_login(patient)
    response = client.post(VISA_H, {})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [*(f"q{n}" for n in range(1, 9))]
    assert "Question 7: choose one of the answers." in response.content.decode()
    assert not OutcomeMeasure.objects.exists()


def test_psfs_ignores_the_rows_left_empty_and_keeps_the_mean(client, stage_one_plan, patient):
    client.force_login(patient)
    rows = {"activity_1": "Sitting", "rating_1": "3", "activity_2": "Running", "rating_2": "1",
            "activity_4": "Driving", "rating_4": "4"}  # fmt: skip
    assert client.post(PSFS, rows).status_code == 302
    measure = OutcomeMeasure.objects.get(patient=patient, kind="psfs")
    assert measure.score == Decimal("2.7")
    assert [row["activity"] for row in measure.answers["activities"]] == ["Sitting", "Running", "Driving"]


def test_a_psfs_rating_without_an_activity_is_flagged_on_its_row_and_the_typed_names_stay(
    client, stage_one_plan, patient
):
    client.force_login(patient)
    rows = {
        "activity_1": "Sitting",
        "rating_1": "3",
        "rating_2": "4",
        "activity_3": "Stairs",
        "rating_3": "12",
    }
    response = client.post(PSFS, rows)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "activity_2": ["Activity 2: say what the activity is."],
        "rating_3": ["Activity 3: rate it from 0 to 10."],
    }
    page = response.content.decode()
    assert 'class="form-control mb-2 is-invalid" id="activity_2"' in page
    assert 'id="activity_3" name="activity_3" maxlength="100" value="Stairs"' in page
    assert 'aria-describedby="psfs-rating_3-direction psfs-rating_3-ends psfs-rating_3-error"' in page
    assert not OutcomeMeasure.objects.exists()


def test_too_few_psfs_activities_are_listed_above_the_form(client, stage_one_plan, patient):
    client.force_login(patient)
    response = client.post(PSFS, {"activity_1": "Sitting", "rating_1": "3"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Name between 3 and 5 activities and rate each one."
    ]
    assert "Nothing was saved. Please check:" in response.content.decode()


def test_a_second_pain_rating_on_one_day_is_refused_and_the_first_kept(client, stage_one_plan, patient):
    client.force_login(patient)
    assert client.post(PAIN_RATING, {"rating": "3"}).status_code == 302
    again = client.post(PAIN_RATING, {"rating": "5"})
    assert again.status_code == 400
    assert "You have already filled this in today; nothing was changed." in again.content.decode()
    assert 'id="pain-rating-5" value="5" autocomplete="off" checked' in again.content.decode()
    assert list(OutcomeMeasure.objects.values_list("score", flat=True)) == [3]


def test_the_pain_rating_page_is_one_scale_from_0_to_10_where_lower_is_better(client, patient):
    client.force_login(patient)
    page = client.get(PAIN_RATING).content.decode()
    assert page.count('name="rating"') == 11
    key = scale_key(page, "pain-rating")
    assert key == (LOWER_IS_BETTER, "0 = no pain", "10 = worst pain imaginable")


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_questionnaire_pages_answer_only_get_and_post(client, patient, method):
    client.force_login(patient)
    response = getattr(client, method)(VISA_H)
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert not OutcomeMeasure.objects.exists()


def test_every_visa_h_scale_says_above_it_that_higher_is_better_and_at_its_ends_what_0_and_10_mean(
    client, patient
):
    client.force_login(patient)
    page = client.get(VISA_H).content.decode()
    for item in outcomes.VISA_H_SCALE_ITEMS:
        assert scale_key(page, f"visa-{item.key}") == (
            HIGHER_IS_BETTER,
            f"0 = {item.low}",
            f"10 = {item.high}",
        )
        group = scale_group(page, f"visa-{item.key}")
        assert group.index(f'id="visa-{item.key}-direction"') < group.index('type="radio"')


def test_each_visa_h_item_has_its_own_anchors():
    lows = [item.low for item in outcomes.VISA_H_SCALE_ITEMS]
    highs = [item.high for item in outcomes.VISA_H_SCALE_ITEMS]
    assert len(set(lows)) == len(set(highs)) == len(outcomes.VISA_H_SCALE_ITEMS)


def test_the_visa_h_direction_and_anchors_are_tied_to_each_radio_group(client, patient):
    client.force_login(patient)
    page = client.get(VISA_H).content.decode()
    item = outcomes.VISA_H_SCALE_ITEMS[1]
    group = scale_group(page, "visa-q2")
    assert group.startswith('<fieldset class="scale" aria-describedby="visa-q2-direction visa-q2-ends">')
    assert 'id="visa-q2-direction"' in group and 'id="visa-q2-ends"' in group
    assert 'aria-hidden="true"' not in group  # the anchors are read out, not only seen
    assert f'>0<span class="visually-hidden">= {item.low}</span></label>' in group
    assert f'>10<span class="visually-hidden">= {item.high}</span></label>' in group


def test_the_visa_h_page_warns_that_10_not_0_is_no_pain(client, patient):
    client.force_login(patient)
    page = client.get(VISA_H).content.decode()
    assert "<strong>10 is the best answer and 0 the worst</strong>: 10 means no pain" in page


EARLIER = ["Sitting through a meeting", "Running 5 km", "Driving for an hour"]


def psfs_taken(patient, days_ago: int, rows) -> OutcomeMeasure:
    return outcome_record(
        patient=patient,
        kind="psfs",
        answers={"activities": rows},
        now=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_the_first_psfs_asks_for_activities_in_five_empty_rows(client, patient):
    client.force_login(patient)
    page = client.get(PSFS).content.decode()
    assert all(f'name="activity_{n}"' in page for n in range(1, 6))
    assert "Name three to five everyday activities" in page


def test_a_later_psfs_shows_the_earlier_activities_in_order_as_text_and_offers_the_rest_for_new_ones(
    client, patient
):
    psfs_taken(patient, 14, list(zip(EARLIER, (3, 1, 4), strict=True)))
    client.force_login(patient)
    page = client.get(PSFS).content.decode()
    legends = [page.index(f"Activity {n}: {name}</legend>") for n, name in enumerate(EARLIER, start=1)]
    assert legends == sorted(legends)
    assert not any(f'name="activity_{n}"' in page for n in (1, 2, 3))  # not editable
    assert 'name="activity_4"' in page and 'name="activity_5"' in page
    assert all(page.count(f'name="rating_{n}"') == 11 for n in range(1, 6))
    assert "Here are the activities you named last time, in the same order." in page
    assert "add it in an empty row (up to 5 in all)" in page


def test_a_later_psfs_keeps_the_earlier_activity_names_whatever_is_posted_and_adds_the_new_one(
    client, patient
):
    psfs_taken(patient, 14, list(zip(EARLIER, (3, 1, 4), strict=True)))
    client.force_login(patient)
    posted = {"activity_1": "Something else", "rating_1": "5", "rating_2": "2", "rating_3": "6"}
    response = client.post(PSFS, {**posted, "activity_4": "Stairs", "rating_4": "3"})
    assert response.status_code == 302
    latest = OutcomeMeasure.objects.filter(kind="psfs").order_by("-taken_on").first()
    assert latest.answers["activities"] == [
        {"activity": EARLIER[0], "rating": 5},
        {"activity": EARLIER[1], "rating": 2},
        {"activity": EARLIER[2], "rating": 6},
        {"activity": "Stairs", "rating": 3},
    ]


def test_a_later_psfs_that_leaves_an_earlier_activity_unrated_answers_400_and_keeps_what_was_typed(
    client, patient
):
    psfs_taken(patient, 14, list(zip(EARLIER, (3, 1, 4), strict=True)))
    client.force_login(patient)
    posted = {"rating_1": "5", "rating_3": "6", "activity_4": "Stairs", "rating_4": "3"}
    response = client.post(PSFS, posted)
    assert response.status_code == 400
    assert response.context["form"].errors == {"rating_2": ["Activity 2: rate it from 0 to 10."]}
    page = response.content.decode()
    assert f"Activity 2: {EARLIER[1]}</legend>" in page
    assert 'id="activity_4" name="activity_4" maxlength="100" value="Stairs"' in page
    assert 'id="psfs-rating_1-5" value="5" autocomplete="off" checked' in page
    assert OutcomeMeasure.objects.filter(kind="psfs").count() == 1


def test_a_psfs_after_five_activities_offers_no_new_row(client, patient):
    five = [*EARLIER, "Stairs", "Cycling"]
    psfs_taken(patient, 14, [(name, 5) for name in five])
    client.force_login(patient)
    page = client.get(PSFS).content.decode()
    assert not any(f'name="activity_{n}"' in page for n in range(1, 6))
    assert "Activity 5: Cycling</legend>" in page
    assert "add it in an empty row" not in page
