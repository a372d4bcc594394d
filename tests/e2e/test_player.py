"""Done when: a patient walks a session in the exercise player by keyboard only on a phone (a hold with its
countdown and rest, a rep counter, the rating, the saved message), and by mouse at desk width does a logged
session again and saves it as an extra session; axe finds nothing in any state of the player.

The plan's dosage is cut to seconds (2 holds of 3 s with 2 s of rest; 2 sets of 3 repetitions with 1 s of
rest), so the real timers run in the test as they do for a patient."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rehab.models import PlanTemplate, SessionLog
from rehab.services import daily, plans
from tests.e2e.axe import axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, ClinicianFactory, ConditionFactory, PatientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOLD, BRIDGE = "isometric-bridge-hold", "bridge"
FIRST_EXERCISE = re.compile(r"^Exercise 1 of 2\W+Isometric bridge hold$")
SECOND_EXERCISE = re.compile(r"^Exercise 2 of 2\W+Bridge$")


@pytest.fixture
def short_session():
    """A patient whose plan is one session a day of two exercises: a hold and one done in repetitions."""
    plans.library_load()
    patient = PatientFactory()
    plan = plans.plan_assign(
        patient=patient,
        template=PlanTemplate.objects.get(stage=1),
        by=ClinicianFactory(),
        condition=ConditionFactory(slug="hamstring-tendinopathy"),
        start_date=timezone.localdate() - datetime.timedelta(days=7),
    )
    plan.prescriptions.exclude(exercise__slug__in=[HOLD, BRIDGE]).delete()
    plan.prescriptions.update(times_per_day=1)
    plan.prescriptions.filter(exercise__slug=HOLD).update(sets=2, hold_seconds=3, reps=None, rest_seconds=2)
    plan.prescriptions.filter(exercise__slug=BRIDGE).update(sets=2, reps=3, hold_seconds=None, rest_seconds=1)
    return plan


class Scanner:
    """axe over each state of the player, with the page never wider than the screen."""

    def __init__(self, page, width: int):
        self.page, self.width, self.found = page, width, []
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def scan(self, state: str) -> None:
        self.found += axe_violations(self.page, where=state)
        assert self.page.evaluate("document.documentElement.scrollWidth") <= self.width, state

    def assert_clean(self) -> None:
        assert not self.found, "\n".join(self.found)
        assert not self.errors, self.errors


def tab_to(page, target, limit: int = 80) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_a_patient_walks_the_player_by_keyboard_on_a_phone(live_server, browser, phone, short_session):
    patient = short_session.patient
    phone.emulate_media(reduced_motion="reduce")
    scanner = Scanner(phone, 375)
    sign_in(phone, live_server, patient.email, TEST_PASSWORD)

    start_today = phone.get_by_role("link", name="Start today's session")
    tab_to(phone, start_today)
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Today's session, step by step")
    scanner.scan("player, before the start")
    tab_to(phone, phone.get_by_role("button", name="Start", exact=True))
    phone.keyboard.press("Enter")

    hold = phone.locator("#step-1")
    live = phone.locator("[data-player-announce]")
    expect(hold.get_by_role("heading", name=FIRST_EXERCISE)).to_be_focused()
    expect(phone.locator("#step-2")).to_be_hidden()
    expect(hold.get_by_role("img")).to_be_visible()
    expect(hold.get_by_text("Set 1 of 2: get into position")).to_be_visible()
    scanner.scan("a hold, ready")
    tab_to(phone, hold.get_by_role("button", name="Start the hold"))
    phone.keyboard.press("Enter")
    expect(live).to_have_text("Set 1 of 2: hold for 3 seconds.")
    expect(hold.get_by_role("button", name="Pause")).to_be_focused()
    assert hold.locator("[data-player-clock]").evaluate("el => getComputedStyle(el).animationName") == "none"
    scanner.scan("a hold, counting down")
    expect(live).to_have_text("Hold done. Rest for 2 seconds.", timeout=6000)
    expect(hold.get_by_text("Rest before set 2 of 2")).to_be_visible()
    scanner.scan("a rest")
    expect(live).to_have_text("Rest over. Set 2 of 2: get into position, then start the hold.", timeout=6000)
    start_again = hold.get_by_role("button", name="Start the hold")
    expect(start_again).to_be_focused()  # the same big button throughout: Enter, wait, Enter
    phone.keyboard.press("Enter")
    expect(live).to_contain_text("Isometric bridge hold finished.", timeout=8000)
    next_exercise = hold.get_by_role("button", name="Next exercise")
    expect(next_exercise).to_be_focused()
    phone.keyboard.press("Enter")

    reps = phone.locator("#step-2")
    expect(reps.get_by_role("heading", name=SECOND_EXERCISE)).to_be_focused()
    count = reps.get_by_role("button", name="+1 rep")
    tab_to(phone, count)
    scanner.scan("a rep counter")
    for _ in range(3):
        phone.keyboard.press("Enter")
    expect(live).to_have_text("Set 1 of 2 done. Rest for 1 second.")
    expect(live).to_have_text("Rest over. Set 2 of 2.", timeout=5000)
    expect(reps.locator("[data-player-clock]")).to_have_text("0 of 3")
    for _ in range(3):
        phone.keyboard.press("Enter")
    finish = reps.get_by_role("button", name="Finish: say how it went")
    expect(finish).to_be_focused()
    phone.wait_for_timeout(900)  # a tap right after the last rep is ignored for a moment
    phone.keyboard.press("Enter")

    expect(phone.get_by_role("heading", name="Log it and say how it went")).to_be_focused()
    for slug in (HOLD, BRIDGE):
        item = short_session.prescriptions.get(exercise__slug=slug)
        expect(phone.locator(f"#done-{item.public_id}")).to_be_checked()
        expect(phone.locator(f"#sets-{item.public_id}")).to_have_value("2")
    scanner.scan("the rating")
    for name, score in (("pain_during", "2"), ("pain_after", "1"), ("effort", "6")):
        tab_to(phone, phone.locator(f"#play-{name}-0"))
        phone.keyboard.press(score)
        expect(phone.locator(f"#play-{name}-{score}")).to_be_checked()
    tab_to(phone, phone.get_by_role("button", name="Save the ticked ones and how it went"))
    phone.keyboard.press("Enter")

    saved = phone.get_by_text("Saved: today's session and how it went.")
    expect(saved).to_be_visible()
    expect(phone.locator(".messages")).to_be_focused()
    scanner.scan("Today, saved")
    scanner.assert_clean()
    session = SessionLog.objects.get(plan=short_session)
    assert (session.extra, session.pain_during, session.pain_after, session.effort) == (0, 2, 1, 6)
    assert sorted(session.exercises_done.values_list("sets_done", flat=True)) == [2, 2]

    # Without the player's script (as without JavaScript): the session's exercises and the form on one page.
    plain = browser.new_context(viewport={"width": 375, "height": 740}).new_page()
    plain.context.route("**/rehab/player.js", lambda route: route.abort())
    sign_in(plain, live_server, patient.email, TEST_PASSWORD)
    plain.goto(f"{live_server.url}/rehab/today/sessions/0/play/")
    for heading in (FIRST_EXERCISE, SECOND_EXERCISE, "Save it as an extra session?", "How did it go?"):
        expect(plain.get_by_role("heading", name=heading)).to_be_visible()
    expect(plain.get_by_role("button", name="Start", exact=True)).to_be_hidden()
    expect(plain.get_by_role("button", name="Save as an extra session", exact=True)).to_be_visible()
    without_player = Scanner(plain, 375)
    without_player.scan("the player without its script")
    without_player.assert_clean()
    plain.context.close()


def test_a_patient_does_a_logged_session_again_as_an_extra_one_by_mouse(live_server, page, short_session):
    patient = short_session.patient
    today = timezone.localtime(timezone=patient.zone).date()
    first = daily.session_log(plan=short_session, patient=patient, day=today, slot=0, done=None)
    daily.session_rate(session=first, patient=patient, pain_during=2, pain_after=2, effort=5)
    scanner = Scanner(page, 1280)
    sign_in(page, live_server, patient.email, TEST_PASSWORD)

    page.get_by_role("link", name="Do today's session again").click()
    expect(page.get_by_text("You logged this session at")).to_be_visible()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_role("heading", name=FIRST_EXERCISE)).to_be_focused()
    scanner.scan("a logged session again: the first exercise")
    page.locator("#step-1").get_by_role("button", name="Skip to the next exercise").click()

    reps = page.locator("#step-2")
    reps.get_by_role("button", name="+1 rep").click()
    expect(reps.get_by_role("button", name="Take back a rep")).to_be_visible()
    reps.get_by_role("button", name="This set is done").click()
    expect(page.locator("[data-player-announce]")).to_have_text("Set 1 of 2 done. Rest for 1 second.")
    scanner.scan("a rest after a set")
    reps.get_by_role("button", name="Skip to the end").click()

    question = page.get_by_role("heading", name="Save it as an extra session?")
    expect(question).to_be_focused()
    expect(page.get_by_text("You already logged this session today")).to_be_visible()
    expect(page.get_by_role("link", name="No, leave without saving")).to_be_visible()
    expect(page.get_by_role("button", name="Save as an extra session", exact=True)).to_be_hidden()
    scanner.scan("the extra session question")
    page.get_by_role("button", name="Yes, save it as an extra session").click()

    bridge = short_session.prescriptions.get(exercise__slug=BRIDGE)
    hold = short_session.prescriptions.get(exercise__slug=HOLD)
    expect(page.locator(f"#done-{bridge.public_id}")).to_be_checked()
    expect(page.locator(f"#sets-{bridge.public_id}")).to_have_value("1")
    expect(page.locator(f"#done-{hold.public_id}")).not_to_be_checked()
    for name, score in (("pain_during", 3), ("pain_after", 2), ("effort", 4)):
        page.locator(f"label[for='play-{name}-{score}']").click()
    scanner.scan("the extra session's rating")
    page.get_by_role("button", name="Save as an extra session", exact=True).click()

    expect(page.get_by_text("Saved: your extra session and how it went.")).to_be_visible()
    scanner.scan("Today after an extra session")
    scanner.assert_clean()
    extra = SessionLog.objects.get(plan=short_session, extra=1)
    assert (extra.pain_during, extra.pain_after, extra.effort) == (3, 2, 4)
    assert list(extra.exercises_done.values_list("sets_done", flat=True)) == [1]
