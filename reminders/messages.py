"""What each reminder says: `message_for(delivery)` gives the subject, the plain text, the HTML (email only)
and the portal path that acts on it, for every ReminderKind and channel.

Privacy rules, because an email or a text shows on lock screens and in shared inboxes:
- No message names a diagnosis or a condition. Exercise names that contain one ("Nordic hamstring curl")
  lose that word (`without_condition_words`); questionnaires are not named (one's name gives the condition).
- Clinicians' email and texts say how many alerts there are and nothing about whose or why. The in-app
  notification, behind the two-factor sign-in, names the patient and the kind of alert: it is what the
  alert list shows the same clinician anyway, and it saves a click on the way to the right patient.
- Every link is absolute, built from PORTAL_BASE_URL (https when DEBUG is off, checked at start-up).
"""

import dataclasses
import datetime
import re
from collections.abc import Sequence

from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from rehab import holds, schedule, selectors
from rehab.models import Prescription, RehabPlan
from reminders import links
from reminders.models import Channel, Delivery, ReminderKind
from reminders.services.clinicians import alert_digest_alerts, alert_of

CONDITION_WORDS = re.compile(r"\b(hamstrings?|tendin\w*|tendon\w*)\b", re.IGNORECASE)

# How a session's name reads in "Time for ... exercises".
SESSION_PHRASES = {
    "Today": "today's",
    "Morning": "this morning's",
    "Midday": "your midday",
    "Afternoon": "this afternoon's",
    "Evening": "this evening's",
}


@dataclasses.dataclass(frozen=True)
class Message:
    """One message ready to send. `html` is empty for channels that take plain text only; `path` is the
    portal page that acts on it (the in-app notification links there); `unsubscribe_url` is an email's
    signed link, the one its text, its HTML and its List-Unsubscribe header carry."""

    subject: str
    text: str
    html: str
    path: str
    unsubscribe_url: str = ""


@dataclasses.dataclass(frozen=True)
class Content:
    """What a message says, before it is laid out for a channel."""

    subject: str
    paragraphs: list[str]
    path: str
    action: str  # the label of the link to `path`
    items: list[str] = dataclasses.field(default_factory=list)
    sms: str = ""  # one short sentence for a text message; the subject when empty
    in_app: str = ""  # a fuller in-app body where the portal may say more than an email

    @property
    def sms_text(self) -> str:
        return self.sms or self.subject


def without_condition_words(text: str) -> str:
    """'Nordic hamstring curl' -> 'Nordic curl': a name fit for an email."""
    return re.sub(r"\s{2,}", " ", CONDITION_WORDS.sub("", text)).strip()


def message_for(delivery: Delivery) -> Message:
    return _laid_out(delivery, CONTENT[ReminderKind(delivery.kind)](delivery))


def messages_for(deliveries: Sequence[Delivery]) -> dict[int, Message]:
    """`message_for` of each delivery (by id), the same messages, for a batch the pipeline sends together.

    An exercise reminder reads the recipient's plan and prescriptions, hold, flare-up and sessions logged
    that day: six queries one by one, which made most of the cost of an in-app send. Here they are read once
    for the whole batch (`_exercise_contents`). The other kinds read little or nothing and go one by one."""
    exercise = _exercise_contents([item for item in deliveries if item.kind == ReminderKind.EXERCISE])
    return {
        item.pk: _laid_out(
            item, exercise[item.pk] if item.pk in exercise else CONTENT[ReminderKind(item.kind)](item)
        )
        for item in deliveries
    }


def _laid_out(delivery: Delivery, content: Content) -> Message:
    if delivery.channel == Channel.EMAIL:
        return _email(delivery, content)
    if delivery.channel == Channel.SMS:
        text = f"{content.sms_text} {links.absolute(content.path)}"
        return Message(subject=content.subject, text=text, html="", path=content.path)
    body = content.in_app or "\n".join([*content.paragraphs, *(f"• {item}" for item in content.items)])
    return Message(subject=content.subject, text=body, html="", path=content.path)


def _email(delivery: Delivery, content: Content) -> Message:
    user = delivery.recipient
    # Signed once: a second signature could fall in the next second and differ from the first.
    unsubscribe_url = links.unsubscribe_url(delivery)
    is_clinician_kind = delivery.kind in (ReminderKind.ALERT, ReminderKind.ALERT_DIGEST)
    context = {
        "greeting": f"Hello {user.first_name}," if user.first_name else "Hello,",
        "content": content,
        "action_url": links.absolute(content.path),
        # Alerts are never snoozed from an email: the team must not miss one because of a stray click.
        "snoozes": []
        if is_clinician_kind
        else [(links.snooze_url(delivery, choice), label) for choice, label in links.SNOOZE_LABELS.items()],
        "unsubscribe_url": unsubscribe_url,
        "settings_url": links.absolute(reverse("reminders:preferences")) if user.is_patient else "",
        "link_days": links.LINK_MAX_AGE.days,
    }
    return Message(
        subject=content.subject,
        text=render_to_string("reminders/email/reminder.txt", context),
        html=render_to_string("reminders/email/reminder.html", context),
        path=content.path,
        unsubscribe_url=unsubscribe_url,
    )


# --- content of each kind ---------------------------------------------------------------------------------


def _plan_of(user: User) -> RehabPlan | None:
    return selectors.active_plan_of(user) if user.is_patient else None


def exercise_content(delivery: Delivery) -> Content:
    """The session due at the reminder's local time, with its exercises (the flare-up set during a
    flare-up). While the plan is on hold, or without a plan, it only points to Today."""
    user = delivery.recipient
    plan = _plan_of(user)
    if plan is None or holds.plan_hold_of(user) is not None:
        return _exercise_without_plan()
    in_flare_up = selectors.open_flare_up(plan) is not None
    prescriptions = selectors.prescriptions_for_day(plan, in_flare_up=in_flare_up)
    logged = set(selectors.sessions_logged_on(plan, _local_day(delivery)))
    return _exercise_session(delivery, prescriptions=prescriptions, in_flare_up=in_flare_up, logged=logged)


def _exercise_contents(deliveries: Sequence[Delivery]) -> dict[int, Content]:
    """`exercise_content` of each exercise delivery (by id), with the same reads done for all of them at
    once: a fixed number of queries however many deliveries and recipients there are."""
    if not deliveries:
        return {}
    plans = selectors.active_plans_of({item.recipient_id for item in deliveries if item.recipient.is_patient})
    held = holds.patients_held(plans)
    plan_ids = [plan.pk for patient_id, plan in plans.items() if patient_id not in held]
    in_flare_up = selectors.plans_in_flare_up(plan_ids)
    logged = selectors.slots_logged_on(plan_ids, {_local_day(item) for item in deliveries})
    contents = {}
    for item in deliveries:
        plan = plans.get(item.recipient_id) if item.recipient.is_patient else None
        if plan is None or item.recipient_id in held:
            contents[item.pk] = _exercise_without_plan()
            continue
        flaring = plan.pk in in_flare_up
        # As `selectors.prescriptions_for_day`, from the prescriptions fetched with the plan.
        prescriptions = list(plan.prescriptions.all())
        if flaring:
            prescriptions = selectors.flare_up_set_of(prescriptions, plan=plan)
        contents[item.pk] = _exercise_session(
            item,
            prescriptions=prescriptions,
            in_flare_up=flaring,
            logged=set(logged.get((plan.pk, _local_day(item)), ())),
        )
    return contents


def _local_day(delivery: Delivery) -> datetime.date:
    return delivery.occurrence.astimezone(delivery.recipient.zone).date()


def _exercise_without_plan() -> Content:
    return Content(
        subject="A reminder from your care team",
        paragraphs=["Please open Today in the portal to see what is planned for you."],
        path=reverse("rehab:today"),
        action="Open Today",
    )


def _exercise_session(
    delivery: Delivery, *, prescriptions: list[Prescription], in_flare_up: bool, logged: set[int]
) -> Content:
    """The exercise reminder for a recipient with an active plan not on hold, from what was read of it."""
    today = reverse("rehab:today")
    day_plan = schedule.day_plan(
        prescriptions, now=delivery.occurrence, zone=delivery.recipient.zone, logged=logged
    )
    session = day_plan.due_now
    if session is None:
        nothing = (
            "Every session planned for today is logged. Nice work."
            if day_plan.sessions
            else "Nothing is planned for today: a rest day."
        )
        return Content(subject="Your exercises today", paragraphs=[nothing], path=today, action="Open Today")
    count = len(session.items)
    phrase = SESSION_PHRASES.get(session.name, "your")
    paragraphs = [f"It is time for {phrase} session: {count} exercise{'s' if count != 1 else ''}."]
    if in_flare_up:
        paragraphs.append("While the flare-up lasts, these are the gentler ones your clinician chose.")
    if day_plan.missed:
        earlier = " and ".join(item.name.lower() for item in day_plan.missed)
        paragraphs.append(f"The {earlier} session is not logged yet either; you can still log it on Today.")
    items = [f"{without_condition_words(item.exercise.name)}: {item.dosage_label}" for item in session.items]
    return Content(
        subject=f"Time for {phrase} exercises",
        paragraphs=paragraphs,
        items=items,
        path=today,
        action="Open Today and log the session",
        sms=f"Time for {phrase} exercises ({count}).",
    )


def check_in_content(delivery: Delivery) -> Content:
    return Content(
        subject="Your morning check-in is waiting",
        paragraphs=[
            "After yesterday's session, a quick check this morning helps decide today's load.",
            "It takes a minute: rate how things feel on waking, then after the short test on Today.",
        ],
        path=reverse("rehab:today"),
        action="Do the morning check-in",
    )


def questionnaire_content(delivery: Delivery) -> Content:
    """Points to the list of questionnaires, never to one: a questionnaire's name, or the address of its
    page (/outcomes/visa-h/), can give away what it measures."""
    user = delivery.recipient
    plan = _plan_of(user)
    due = selectors.due_outcomes(plan, delivery.occurrence.astimezone(user.zone).date()) if plan else []
    path = reverse("rehab:my_outcomes")
    several = len(due) > 1
    return Content(
        subject=f"{len(due)} short questionnaires are ready" if several else "A short questionnaire is ready",
        paragraphs=[
            "Your answers show you and your clinician how things are changing. "
            "Expect it to take about five minutes.",
        ],
        path=path,
        action="Answer the questionnaires" if several else "Answer the questionnaire",
    )


def nudge_content(delivery: Delivery) -> Content:
    return Content(
        subject="There is still time for today's exercises",
        paragraphs=[
            "No session is logged for today yet. If you have a few minutes before bed, a session now counts.",
            "If today was not the day, that is fine: pick up again tomorrow.",
        ],
        path=reverse("rehab:today"),
        action="Open Today",
    )


def plan_changed_content(delivery: Delivery) -> Content:
    return Content(
        subject="Your exercise plan was updated",
        paragraphs=["Your clinician changed your plan. Please look it over before your next session."],
        path=reverse("rehab:my_plan"),
        action="See my plan",
    )


def alert_content(delivery: Delivery) -> Content:
    """One new alert. Email and text say only that there is one; in the portal, the patient and the kind."""
    alert = alert_of(delivery)
    in_app = "See it in your alert list."
    if alert is not None:
        in_app = (
            f"{alert.patient.get_full_name()}: {alert.get_kind_display()} "
            f"({alert.get_severity_display().lower()} priority)."
        )
    return Content(
        subject="A new alert for one of your patients",
        paragraphs=["Please sign in to see it in your alert list."],
        path=reverse("careteam:alert_list"),
        action="Open the alert list",
        in_app=in_app,
    )


def alert_digest_content(delivery: Delivery) -> Content:
    """How many alerts the digest covers (`alert_digest_alerts`: since the clinician's previous digest)."""
    count = alert_digest_alerts(delivery).count()
    return Content(
        subject=f"{count} new alert{'s' if count != 1 else ''} for your patients",
        paragraphs=[
            "Sign in to see who they are about and what was raised; this email leaves that out on purpose."
        ],
        path=reverse("careteam:alert_list"),
        action="Open the alert list",
    )


CONTENT = {
    ReminderKind.EXERCISE: exercise_content,
    ReminderKind.CHECK_IN: check_in_content,
    ReminderKind.QUESTIONNAIRE: questionnaire_content,
    ReminderKind.NUDGE: nudge_content,
    ReminderKind.PLAN_CHANGED: plan_changed_content,
    ReminderKind.ALERT: alert_content,
    ReminderKind.ALERT_DIGEST: alert_digest_content,
}
