"""The channels a Delivery goes out on, behind one small interface: `send(delivery, message)`.

`send` either returns (the message is out, or was already out) or raises one of two errors, and the pipeline
decides what to do from which one:

- `TransientSendError`: trying again later may work. The mail server could not be reached, the connection
  dropped or timed out, or it answered with a 4xx code ("try again later": greylisting, a full queue, a
  rate limit). The pipeline retries with backoff.
- `PermanentSendError`: the same message will fail the same way however often it is tried. The server
  answered with a 5xx code (no such mailbox, address refused, authentication failed), or the person has no
  address or number for the channel. The pipeline marks the delivery failed and raises an alert.

In-app sending is idempotent (the Notification is unique on its delivery). Email and SMS cannot take a
message back, so "exactly once" for them rests on the pipeline's claim of the Delivery row before sending.
"""

import logging
import smtplib
import sys
from collections.abc import Sequence
from typing import Any, Protocol, TextIO

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string

from reminders.links import list_unsubscribe_headers
from reminders.messages import Message
from reminders.models import Channel, Delivery, Notification, ReminderSettings

logger = logging.getLogger(__name__)


class SendError(Exception):
    """A message could not be sent; see the subclasses for what the pipeline does next."""


class TransientSendError(SendError):
    """Worth trying again later: the server was unreachable or answered 4xx."""


class PermanentSendError(SendError):
    """Not worth trying again: the server answered 5xx, or there is nowhere to send it."""


def send(delivery: Delivery, message: Message) -> None:
    """Send `message` to the delivery's recipient on the delivery's channel."""
    if delivery.channel == Channel.IN_APP:
        _send_in_app(delivery, message)
    elif delivery.channel == Channel.EMAIL:
        _send_email(delivery, message)
    elif delivery.channel == Channel.SMS:
        _send_sms(delivery, message)
    else:
        raise PermanentSendError(f"No such channel: {delivery.channel!r}")


# --- in the portal ----------------------------------------------------------------------------------------


def _send_in_app(delivery: Delivery, message: Message) -> None:
    """One Notification per delivery: sending a second time finds the first and changes nothing."""
    Notification.objects.get_or_create(delivery=delivery, defaults=_notification_fields(delivery, message))


def send_in_app_batch(sent: Sequence[tuple[Delivery, Message]]) -> None:
    """`send` of in-app deliveries, all in one INSERT. A delivery that already has its Notification (sent
    before, by a worker killed before it marked the delivery sent) keeps it unchanged: the row is unique on
    its delivery and the conflict is ignored, as `_send_in_app` finds the first one."""
    Notification.objects.bulk_create(
        [
            Notification(delivery=delivery, **_notification_fields(delivery, message))
            for delivery, message in sent
        ],
        ignore_conflicts=True,
    )


def _notification_fields(delivery: Delivery, message: Message) -> dict[str, Any]:
    return {
        "user": delivery.recipient,
        "title": message.subject[:200],
        "body": message.text[:2000],
        "url": message.path,
    }


# --- email ------------------------------------------------------------------------------------------------


def _send_email(delivery: Delivery, message: Message) -> None:
    address = delivery.recipient.email
    if not address:
        raise PermanentSendError("The recipient has no email address.")
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=list_unsubscribe_headers(message.unsubscribe_url),
    )
    email.attach_alternative(message.html, "text/html")
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        # Every recipient refused; each has its own reply. Transient only if all of them were 4xx.
        codes = [code for code, _ in error.recipients.values()]
        reason = f"Recipient refused: {codes}"
        if codes and all(400 <= code < 500 for code in codes):
            raise TransientSendError(reason) from error
        raise PermanentSendError(reason) from error
    except smtplib.SMTPDataError as error:
        # The server took the recipient but refused this message itself.
        reason = f"SMTP {error.smtp_code}: {_text(error.smtp_error)}"
        if 400 <= error.smtp_code < 500:
            raise TransientSendError(reason) from error
        raise PermanentSendError(reason) from error
    except smtplib.SMTPResponseException as error:
        # Sender refused, authentication failed, connect refused with a code: the server or the portal's own
        # settings are at fault, not this recipient, so the message is tried again (and fails after the
        # retries) rather than telling the care team that the patient's address is wrong.
        raise TransientSendError(f"SMTP {error.smtp_code}: {_text(error.smtp_error)}") from error
    except (smtplib.SMTPException, OSError) as error:
        # Disconnected, refused connection, timeout, DNS: nothing said the message itself is wrong.
        raise TransientSendError(f"{type(error).__name__}: {error}") from error


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


# --- text messages ----------------------------------------------------------------------------------------


class SMSBackend(Protocol):
    """What an SMS provider's backend provides. `send` raises TransientSendError or PermanentSendError
    as described at the top of this module; anything else it raises counts as transient."""

    def send(self, *, to: str, text: str) -> None: ...


class ConsoleSMSBackend:
    """Writes each text message to standard output (and the log), as Django's console email backend does:
    for the demo and for a clinic without an SMS provider yet."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream

    def send(self, *, to: str, text: str) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"SMS to {to}\n{text}\n{'-' * 40}\n")
        stream.flush()
        logger.info("SMS written to the console for %s", to)


def sms_backend() -> SMSBackend:
    return import_string(settings.SMS_BACKEND)()


def _send_sms(delivery: Delivery, message: Message) -> None:
    if not settings.SMS_ENABLED:
        raise PermanentSendError("Text messages are off at this clinic (SMS_ENABLED).")
    number = (
        ReminderSettings.objects.filter(user=delivery.recipient).values_list("sms_number", flat=True).first()
    )
    if not number:
        raise PermanentSendError("The recipient has no mobile number for text messages.")
    try:
        sms_backend().send(to=number, text=message.text)
    except SendError:
        raise
    except Exception as error:  # a provider's own error: we cannot tell, so let the retries decide
        raise TransientSendError(f"{type(error).__name__}: {error}") from error
