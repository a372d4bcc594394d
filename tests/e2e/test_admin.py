"""The demo admin edits the content the clinic keeps in Django's admin: a condition article's section and red
flag through their inlines, and an exercise's stages with their checkboxes. On the way, every admin page the
clinic uses (the index; the list, add and change pages of conditions, exercises, plan templates and users)
passes axe's WCAG 2.1 A and AA rules, and target-size (2.5.8, WCAG 2.2) too, at 1280 px in one run and at
375 px in the other.
"""

import re

import pytest

from accounts.models import User
from conditions.models import Condition, RedFlag, Section
from rehab.models import Exercise, PlanTemplate
from tests.e2e.axe import WCAG_AA, axe_violations
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {**WCAG_AA, "rules": {"target-size": {"enabled": True}}}
SAVED = re.compile(r"was changed successfully")


class Scanner:
    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.found: list[str] = []

    def visit(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, path
        self.scan()

    def scan(self) -> None:
        path = self.page.url.removeprefix(self.base_url)
        self.found += axe_violations(self.page, where=path, options=AXE_OPTIONS)


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_the_admin_edits_a_condition_and_an_exercise_on_pages_that_pass_axe(
    live_server, demo_data, screen, request
):
    page = request.getfixturevalue(screen)
    sign_in(page, live_server, "admin@demo.test")
    scanner = Scanner(page, live_server.url)
    condition = Condition.objects.get(slug="hamstring-tendinopathy")
    section = Section.objects.filter(condition=condition).order_by("order", "pk").first()
    red_flag = RedFlag.objects.filter(condition=condition).order_by("order", "pk").first()
    bridge = Exercise.objects.get(name="Bridge")
    assert section is not None and red_flag is not None and bridge.stages == [1, 2]

    scanner.visit("/admin/")
    scanner.visit("/admin/conditions/condition/add/")
    scanner.visit(f"/admin/conditions/condition/{condition.pk}/change/")
    # A stacked inline's field by its label, and a tabular inline's by the label its column header gives it.
    page.locator("#sections-0").get_by_label("Title").fill("What is going on, in brief")
    page.locator("#red_flags-0").get_by_label("What to do").fill("Call emergency services now.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/conditions/condition/")
    assert SAVED.search(page.locator(".messagelist").inner_text())
    scanner.scan()

    scanner.visit("/admin/rehab/exercise/add/")
    scanner.visit(f"/admin/rehab/exercise/{bridge.pk}/change/")
    page.get_by_role("checkbox", name="Stage 1: settle and protect").uncheck()
    page.get_by_role("checkbox", name="Stage 3: load in more hip flexion").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/rehab/exercise/")
    assert SAVED.search(page.locator(".messagelist").inner_text())
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Bridge", exact=True))
    assert re.search(r"2 Strength\s+3 Load", row.inner_text())
    scanner.scan()

    template = PlanTemplate.objects.get(stage=1)
    patient = User.objects.get(email="patient@demo.test")
    for path in [
        "/admin/rehab/plantemplate/",
        "/admin/rehab/plantemplate/add/",
        f"/admin/rehab/plantemplate/{template.pk}/change/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{patient.pk}/change/",
    ]:
        scanner.visit(path)

    section.refresh_from_db()
    red_flag.refresh_from_db()
    bridge.refresh_from_db()
    assert section.title == "What is going on, in brief"
    assert red_flag.action == "Call emergency services now."
    assert bridge.stages == [2, 3]
    assert not scanner.found, "\n".join(scanner.found)
