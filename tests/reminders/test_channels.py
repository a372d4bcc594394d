"""The channels: email goes through SMTP to a real server this test starts (aiosmtpd) and is read back as it
arrived; the server's 4xx and 5xx replies become transient and permanent errors; in-app makes one
notification however often it is sent; text messages go to the backend the settings name."""

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from portal.env import SettingError, env_dotted_path
from reminders import channels
from reminders.channels import PermanentSendError, TransientSendError
from reminders.messages import message_for
from reminders.models import Channel, Notification, ReminderKind, ReminderSettings
from tests.factories import DeliveryFactory, PatientFactory, ReminderSettingsFactory

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps what arrives, and can answer a recipient or the data with a code."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelope_recipients: list[list[str]] = []
        self.mail_reply = ""
        self.rcpt_reply = ""
        self.data_reply = ""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.envelope_recipients.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on a free localhost port, with Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Rehab portal <portal@clinic.example>"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def patient(db):
    return PatientFactory(first_name="Robin", email="robin@example.test", time_zone="Europe/London")


def emailed(patient, kind=ReminderKind.NUDGE):
    return DeliveryFactory(recipient=patient, kind=kind, channel=Channel.EMAIL)


def send(delivery):
    channels.send(delivery, message_for(delivery))


def test_an_email_reminder_arrives_by_smtp_with_both_parts_and_signed_links(smtp_inbox, patient):
    send(emailed(patient))

    [arrived] = smtp_inbox.messages
    text = arrived.get_body(preferencelist=("plain",)).get_content()
    html = arrived.get_body(preferencelist=("html",)).get_content()
    assert arrived["Subject"] == "There is still time for today's exercises"
    assert arrived["From"] == "Rehab portal <portal@clinic.example>"
    assert smtp_inbox.envelope_recipients == [["robin@example.test"]]
    assert "Hello Robin," in text and "Hello Robin," in html
    assert (
        "http://localhost:8000/rehab/today/" in text and 'href="http://localhost:8000/rehab/today/"' in html
    )
    snoozes = re.findall(r"http://localhost:8000/reminders/email/snooze/[^/\s]+/", text)
    unsubscribe = re.findall(r"http://localhost:8000/reminders/email/unsubscribe/[^/\s]+/", text)
    assert len(snoozes) == 3 and len(unsubscribe) == 1
    assert all(link in html for link in snoozes + unsubscribe)
    assert str(arrived["List-Unsubscribe"]).strip() == f"<{unsubscribe[0]}>"  # a long header is folded
    assert arrived["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not re.search(r"hamstring|tendin|tendon", arrived.as_string(), re.IGNORECASE)


def test_the_snooze_link_as_it_arrived_snoozes_the_patient_without_signing_in(smtp_inbox, patient):
    send(emailed(patient))
    text = smtp_inbox.messages[0].get_body(preferencelist=("plain",)).get_content()
    week = re.search(r"Snooze for a week: http://localhost:8000(\S+)", text)[1]

    client = Client()
    assert client.get(week).status_code == 200
    assert ReminderSettings.objects.filter(user=patient, snoozed_until__isnull=False).count() == 0
    assert client.post(week).status_code == 200

    assert ReminderSettings.objects.get(user=patient).snoozed_until is not None


def test_a_clinicians_alert_email_offers_no_snooze(smtp_inbox):
    from tests.factories import ClinicianFactory

    send(DeliveryFactory(recipient=ClinicianFactory(), kind=ReminderKind.ALERT_DIGEST, channel="email"))

    text = smtp_inbox.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "/reminders/email/snooze/" not in text
    assert "/reminders/email/unsubscribe/" in text


@pytest.mark.parametrize(
    ("where", "reply", "error"),
    [
        ("rcpt", "450 4.2.1 Mailbox busy, try again later", TransientSendError),
        ("data", "452 4.3.1 Insufficient system storage", TransientSendError),
        ("rcpt", "550 5.1.1 No such mailbox here", PermanentSendError),
        ("data", "554 5.6.0 Message refused", PermanentSendError),
        # The portal's own sender refused: the server's settings are at fault, not the patient's address.
        ("mail", "553 5.7.1 Sender address rejected", TransientSendError),
    ],
)
def test_4xx_replies_are_transient_and_5xx_for_the_recipient_or_message_permanent(
    smtp_inbox, patient, where, reply, error
):
    setattr(smtp_inbox, f"{where}_reply", reply)

    with pytest.raises(error, match=reply.split()[0]):
        send(emailed(patient))

    assert smtp_inbox.messages == []


def test_a_mail_server_that_cannot_be_reached_is_a_transient_error(settings, patient):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_USE_TLS = False

    with pytest.raises(TransientSendError):
        send(emailed(patient))


def test_in_app_makes_one_notification_even_when_sent_twice(patient):
    delivery = DeliveryFactory(recipient=patient, kind=ReminderKind.NUDGE, channel=Channel.IN_APP)

    send(delivery)
    send(delivery)

    [notification] = Notification.objects.filter(user=patient)
    assert notification.delivery == delivery
    assert notification.title == "There is still time for today's exercises"
    assert notification.url == "/rehab/today/"
    assert "No session is logged for today yet" in notification.body


def texted(patient):
    return DeliveryFactory(recipient=patient, kind=ReminderKind.PLAN_CHANGED, channel=Channel.SMS)


def test_the_console_sms_backend_writes_the_text_message_to_standard_output(settings, patient, capsys):
    settings.SMS_ENABLED = True
    ReminderSettingsFactory(user=patient, sms=True, sms_number="+447700900123")

    send(texted(patient))

    written = capsys.readouterr().out
    assert "SMS to +447700900123" in written
    assert "Your exercise plan was updated http://localhost:8000/rehab/my-plan/" in written


class RecordingSMSBackend:
    """A stand-in SMS provider, chosen through SMS_BACKEND as a real one would be."""

    sent: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        if to.endswith("999"):
            raise ConnectionError("provider unreachable")
        self.sent.append((to, text))


def test_the_sms_backend_is_a_setting_and_its_own_errors_count_as_transient(settings, patient):
    settings.SMS_ENABLED = True
    settings.SMS_BACKEND = "tests.reminders.test_channels.RecordingSMSBackend"
    row = ReminderSettingsFactory(user=patient, sms=True, sms_number="+447700900123")
    RecordingSMSBackend.sent.clear()

    send(texted(patient))
    row.sms_number = "+447700900999"
    row.save()
    with pytest.raises(TransientSendError, match="provider unreachable"):
        send(texted(patient))

    assert RecordingSMSBackend.sent == [
        ("+447700900123", "Your exercise plan was updated http://localhost:8000/rehab/my-plan/")
    ]


def test_no_text_message_while_the_clinic_has_sms_off_or_without_a_number(settings, patient):
    ReminderSettingsFactory(user=patient, sms=False, sms_number="")
    settings.SMS_ENABLED = False
    with pytest.raises(PermanentSendError, match="SMS_ENABLED"):
        send(texted(patient))

    settings.SMS_ENABLED = True
    with pytest.raises(PermanentSendError, match="no mobile number"):
        send(texted(patient))


def test_an_sms_backend_setting_that_is_not_a_dotted_path_is_refused(monkeypatch):
    monkeypatch.setenv("SMS_BACKEND", "send it by pigeon")

    with pytest.raises(SettingError, match="^SMS_BACKEND: expected a dotted Python path"):
        env_dotted_path("SMS_BACKEND", "reminders.channels.ConsoleSMSBackend")
