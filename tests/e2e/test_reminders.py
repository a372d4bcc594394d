"""Done when: the patient sets a reminder time, the reminder arrives in the portal's bell, they open it,
land on Today and log the session; on a phone and on a desktop, with every page visited passing axe.

The pipeline runs in the test process (no Celery worker): `dispatch_due` makes the deliveries at the chosen
minute and `delivery_send` sends the in-app one, as the worker's task would.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from reminders.models import Delivery, ReminderTime
from reminders.services import pipeline
from tests.e2e.axe import axe_violations
from tests.e2e.conftest import assert_fits_width, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_violations(page) -> None:
    found = axe_violations(page)
    assert not found, "\n".join(found)


def a_free_minute(patient: User, now: datetime.datetime) -> datetime.time:
    """A local time a few minutes from now that the patient has no reminder at yet."""
    taken = set(ReminderTime.objects.filter(user=patient).values_list("time", flat=True))
    local = now.astimezone(patient.zone).replace(second=0, microsecond=0)
    for minutes in range(2, 30):
        candidate = (local + datetime.timedelta(minutes=minutes)).time()
        if candidate not in taken:
            return candidate
    raise AssertionError("no free minute")  # pragma: no cover


@pytest.mark.parametrize("screen", ["phone", "page"])
def test_a_reminder_set_by_the_patient_arrives_in_the_bell_and_leads_to_logging_the_session(
    live_server, demo_data, screen, request
):
    page = request.getfixturevalue(screen)
    patient = User.objects.get(email="patient@demo.test")
    sign_in(page, live_server, "patient@demo.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    no_violations(page)

    # Today's "More" list leads to the Reminders page.
    page.get_by_role("link", name=re.compile("^Reminders When and how")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")
    no_violations(page)

    # A time a few minutes ahead, on every day (all days are ticked to start with).
    at = a_free_minute(patient, timezone.now())
    adding = page.get_by_role("group", name="Add a reminder time")
    adding.get_by_label("Time of day").fill(at.strftime("%H:%M"))
    expect(adding.get_by_role("checkbox", name="Wednesday")).to_be_checked()
    adding.get_by_role("button", name="Add this time").click()
    expect(page.get_by_text(f"Reminder added: {at:%H:%M}, every day.")).to_be_visible()
    expect(page.get_by_role("button", name=f"Remove the {at:%H:%M} reminder")).to_be_visible()
    assert_fits_width(page)
    no_violations(page)

    # The minute comes: the pipeline makes the deliveries and the in-app one is sent.
    reminder = ReminderTime.objects.get(user=patient, time=at)
    local_now = timezone.now().astimezone(patient.zone)
    due = datetime.datetime.combine(local_now.date(), at, tzinfo=patient.zone)
    if due < local_now - datetime.timedelta(minutes=1):  # the chosen minute is just after midnight
        due += datetime.timedelta(days=1)
    pipeline.dispatch_due(now=due.astimezone(datetime.UTC) + datetime.timedelta(seconds=20))
    in_app = Delivery.objects.get(source=f"time:{reminder.public_id}", channel="in_app")
    assert in_app.status == "pending", in_app.skip_reason
    assert pipeline.delivery_send(delivery_id=in_app.pk).outcome == "sent"

    # It shows in the bell on the next page the patient opens.
    page.reload()
    bell = page.get_by_role("link", name=re.compile(r"^Notifications, \d+ unread$"))
    expect(bell).to_be_visible()
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    no_violations(page)

    # Opening it goes to Today, where the session is logged.
    notification = in_app.notification
    page.locator(f"a[href='/reminders/notifications/{notification.public_id}/']").click()
    expect(page).to_have_url(f"{live_server.url}/rehab/today/")
    notification.refresh_from_db()
    assert notification.read_at is not None
    now = page.locator("#now")
    now.get_by_role("button", name="All done").click()
    expect(page.get_by_text("Now say how it went")).to_be_visible()
    assert_fits_width(page)
    no_violations(page)


def test_a_mistake_on_the_reminders_page_is_explained_next_to_the_field_and_passes_axe(
    live_server, demo_data, phone
):
    sign_in(phone, live_server, "patient@demo.test")
    phone.goto(f"{live_server.url}/reminders/my-reminders/")
    adding = phone.get_by_role("group", name="Add a reminder time")
    for day in range(7):
        adding.locator(f"label[for='weekday-{day}']").click()  # the label is the tap target, the box hidden
        expect(adding.locator(f"#weekday-{day}")).not_to_be_checked()
    adding.get_by_label("Time of day").fill("07:10")
    adding.get_by_role("button", name="Add this time").click()
    group = phone.get_by_role("group", name="On these days")
    expect(group).to_have_accessible_description("Choose at least one day of the week.")
    expect(phone.get_by_role("alert")).to_contain_text("Nothing was saved")
    no_violations(phone)

    choices = phone.locator("#choices")
    choices.get_by_label("Quiet from").fill("22:00")
    choices.get_by_role("button", name="Save these choices").click()
    expect(phone.get_by_label("Quiet until")).to_have_accessible_description(
        re.compile("Give both ends of the quiet hours")
    )
    no_violations(phone)
