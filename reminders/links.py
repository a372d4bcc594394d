"""Signed one-click links in reminder emails: snooze and unsubscribe, which work without signing in.

A link's token is made with Django's `TimestampSigner`: it carries the public id of the Delivery the email
was (a UUID, so the readable part of the token names nobody) and, for a snooze, how long. It is signed with
SECRET_KEY and a salt per purpose, so a snooze token does not work as an unsubscribe token, nor does any other
token the portal signs. A token expires LINK_MAX_AGE after it was made; a new SECRET_KEY ends every token.

Whoever holds the link can snooze or unsubscribe that person's reminder email, and nothing more: both are
easy to undo from the Reminders page, and neither shows anything of the record.
"""

import dataclasses
import datetime
import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import User
from reminders.models import Delivery
from reminders.services.preferences import Snooze

LINK_MAX_AGE = datetime.timedelta(days=14)
SNOOZE_SALT = "reminders.links.snooze"
UNSUBSCRIBE_SALT = "reminders.links.unsubscribe"

SNOOZE_LABELS = {
    Snooze.HOUR: "for 1 hour",
    Snooze.TOMORROW: "until tomorrow morning",
    Snooze.WEEK: "for a week",
}


class LinkError(Exception):
    """The token is not one we made, was changed, names a delivery that is gone, or has expired."""

    def __init__(self, *, expired: bool):
        self.expired = expired
        super().__init__("expired" if expired else "not valid")


@dataclasses.dataclass(frozen=True)
class EmailLink:
    """What a valid link says: whose reminders, from which email, and for a snooze how long."""

    user: User
    delivery: Delivery
    snooze: Snooze | None = None


class _Signer(signing.TimestampSigner):
    """A TimestampSigner that can stamp a token with a given time, so that tests and services that take
    `now=` can make a token as it would have been made then."""

    def __init__(self, *, salt: str, now: datetime.datetime | None = None):
        super().__init__(salt=salt)
        self.now = now

    def timestamp(self) -> str:
        if self.now is None:
            return super().timestamp()
        return signing.b62_encode(int(self.now.timestamp()))


def snooze_token(delivery: Delivery, choice: Snooze, *, now: datetime.datetime | None = None) -> str:
    return _Signer(salt=SNOOZE_SALT, now=now).sign_object({"d": str(delivery.public_id), "s": choice.value})


def unsubscribe_token(delivery: Delivery, *, now: datetime.datetime | None = None) -> str:
    return _Signer(salt=UNSUBSCRIBE_SALT, now=now).sign_object({"d": str(delivery.public_id)})


def absolute(path: str) -> str:
    """A portal path as the full address a message can carry (PORTAL_BASE_URL: https in production)."""
    return f"{settings.PORTAL_BASE_URL}{path}"


def snooze_url(delivery: Delivery, choice: Snooze) -> str:
    return absolute(reverse("reminders:link_snooze", kwargs={"token": snooze_token(delivery, choice)}))


def unsubscribe_url(delivery: Delivery) -> str:
    return absolute(reverse("reminders:link_unsubscribe", kwargs={"token": unsubscribe_token(delivery)}))


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    """The RFC 2369 / RFC 8058 headers that let a mail app offer its own "Unsubscribe" button, which POSTs
    to `url`, the same link as the email's own (`unsubscribe_url`)."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _read(token: str, *, salt: str) -> tuple[Delivery, dict]:
    try:
        payload = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkError(expired=True) from None
    except (signing.BadSignature, ValueError):
        raise LinkError(expired=False) from None
    try:
        public_id = uuid.UUID(str(payload["d"]))
    except (TypeError, KeyError, ValueError):
        raise LinkError(expired=False) from None
    delivery = Delivery.objects.select_related("recipient").filter(public_id=public_id).first()
    if delivery is None or not delivery.recipient.is_active:
        raise LinkError(expired=False)
    return delivery, payload


def snooze_link_read(token: str) -> EmailLink:
    delivery, payload = _read(token, salt=SNOOZE_SALT)
    try:
        choice = Snooze(str(payload.get("s")))
    except ValueError:
        raise LinkError(expired=False) from None
    return EmailLink(user=delivery.recipient, delivery=delivery, snooze=choice)


def unsubscribe_link_read(token: str) -> EmailLink:
    delivery, _ = _read(token, salt=UNSUBSCRIBE_SALT)
    return EmailLink(user=delivery.recipient, delivery=delivery)
