"""Two-factor sign-in: an authenticator app (TOTP) plus ten one-time backup codes, on django-otp's devices.

Clinicians and admins must pass the second factor before any page with patient data or the admin opens
(`accounts.middleware.TwoFactorMiddleware` enforces it); patients may turn it on, and once they have, they
are asked too. A session counts as verified when django-otp's session key names one of the user's confirmed
devices (`django_otp.login`), which the views set after a code is accepted.

A person has at most one confirmed authenticator and one set of backup codes. TOTP codes cannot be used
twice: `TOTPDevice` remembers the time step of the last accepted code (`last_t`) and takes only later ones.
Wrong codes slow down the next attempt exponentially (django-otp's `ThrottlingMixin`), per device.
"""

import base64
import dataclasses
import datetime
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device, VerifyNotAllowed
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import AuditContext, audit_record, is_staff_user
from accounts.models import User

AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
TOTP_CODE = re.compile(r"\d{6}")
BACKUP_CODE = re.compile(r"[a-z2-7]{8}")  # what StaticToken.random_token makes: 40 random bits in base32


class TwoFactorError(Exception):
    """A code was not accepted; `message` tells the person what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CodeRefused(TwoFactorError):
    pass


class TooManyAttempts(TwoFactorError):
    pass


@dataclasses.dataclass(frozen=True)
class Verified:
    """The device that accepted a code; `backup_codes_left` is set when a backup code was used."""

    device: Device
    backup_codes_left: int | None = None


def two_factor_required(user: User) -> bool:
    """Staff always need the second factor; patients once they have turned it on."""
    return is_staff_user(user) or user.has_authenticator


def authenticator_kept_up(device: TOTPDevice, *, owners: Iterable[int]) -> None:
    """Keep `User.has_authenticator` true exactly while the person has a confirmed authenticator. Called
    from the devices' signals whenever one is saved or deleted, whatever did it (the set-up, its removal,
    django-otp's own admin, which our services never see), so the flag cannot drift from the devices.

    `owners` are the people whose flag may have changed: the device's owner, and the one before when the
    admin gave the device to someone else. Their rows are locked before their devices are counted, so two
    changes at once to one person's devices are counted one after the other, the second seeing the first.
    The person's object the device holds, if any, is updated too."""
    with transaction.atomic():
        people = User.objects.select_for_update().filter(pk__in=set(owners)).values_list("pk", flat=True)
        for person in list(people):
            has_one = TOTPDevice.objects.filter(user_id=person, confirmed=True).exists()
            User.objects.filter(pk=person).update(has_authenticator=has_one)
            if person == device.user_id and TOTPDevice.user.is_cached(device):  # type: ignore[attr-defined]
                device.user.has_authenticator = has_one


def session_verified(user) -> bool:
    """Whether this request's session passed the second factor (`is_verified`, set by
    accounts.middleware.AuthenticationMiddleware as django-otp's OTPMiddleware sets it)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def authenticator_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in, in groups of four for reading aloud."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def current_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows right now."""
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def normalise_code(text: str) -> str:
    """People type codes with spaces or a dash in the middle, and backup codes in capitals."""
    return re.sub(r"[\s-]", "", text).lower()


@transaction.atomic
def authenticator_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the same one (and so the same QR code) on every visit until
    a code from it confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def authenticator_confirm(*, user: User, code: str, audit: AuditContext) -> tuple[TOTPDevice, list[str]]:
    """Turn on two-factor sign-in with the pending authenticator, once a code from it is right. Returns the
    device and a fresh set of backup codes, which are shown to the person once. Raises `TwoFactorError`."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        )
        if device is None:
            raise CodeRefused("Start the set-up again: the authenticator you were adding is gone.")
        failure = _check(device, code)
        if failure is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _backup_codes_replace(user=user)
            audit_record(actor=user, action="auth.2fa.device_added", patient=None, audit=audit, obj=device)
    if failure is not None:
        _audit_failure(user=user, failure=failure, audit=audit, detail="set-up")
        raise failure
    return device, codes


def two_factor_verify(*, user: User, code: str, audit: AuditContext) -> Verified:
    """Check a code from the authenticator app (six digits) or a backup code. Raises `TwoFactorError`."""
    code = normalise_code(code)
    backup = BACKUP_CODE.fullmatch(code) is not None
    with transaction.atomic():
        model = StaticDevice if backup else TOTPDevice
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            failure: TwoFactorError | None = CodeRefused(
                "That is not a backup code of yours." if backup else "Two-factor sign-in is not set up."
            )
        else:
            failure = _check(device, code)
        if failure is None:
            left = device.token_set.count() if backup else None
            audit_record(
                actor=user,
                action="auth.2fa.backup_code_used" if backup else "auth.2fa.verify",
                patient=None,
                audit=audit,
                detail=f"{left} backup codes left" if backup else "",
            )
    if failure is not None:
        _audit_failure(
            user=user, failure=failure, audit=audit, detail="backup code" if backup else "app code"
        )
        raise failure
    return Verified(device=device, backup_codes_left=left)


@transaction.atomic
def backup_codes_regenerate(*, user: User, audit: AuditContext) -> list[str]:
    """A new set of backup codes; the old ones stop working."""
    codes = _backup_codes_replace(user=user)
    audit_record(actor=user, action="auth.2fa.backup_codes_replaced", patient=None, audit=audit)
    return codes


@transaction.atomic
def two_factor_remove(*, user: User, audit: AuditContext) -> None:
    """Remove the authenticator and the backup codes. Staff are then asked to set up a new one at once."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="auth.2fa.device_removed", patient=None, audit=audit)


def _backup_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _check(device: TOTPDevice | StaticDevice, code: str) -> TwoFactorError | None:
    """Check a code against a locked device. Returns the failure rather than raising it, so the throttle's
    count of wrong codes is saved with the transaction instead of rolled back."""
    allowed, why = device.verify_is_allowed()
    if not allowed:
        if why and why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            return TooManyAttempts(
                f"Too many wrong codes. Wait {_wait_text(why.get('locked_until'))} and try again, "
                "or ask an administrator to reset your two-factor sign-in."
            )
        return TooManyAttempts("Codes cannot be checked at the moment. Try again later.")
    if device.verify_token(code):
        return None
    if isinstance(device, StaticDevice):
        return CodeRefused("That backup code is wrong or has already been used.")
    return CodeRefused(
        "That code is wrong or has already been used. Enter the code your authenticator app shows now; "
        "if it was just used, wait for the next one."
    )


def _wait_text(until: datetime.datetime | None) -> str:
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    if seconds < 120:
        return f"{seconds} seconds" if seconds > 1 else "a second"
    minutes = -(-seconds // 60)
    if minutes < 120:
        return f"{minutes} minutes"
    return f"{-(-minutes // 60)} hours"


def _audit_failure(*, user: User, failure: TwoFactorError, audit: AuditContext, detail: str) -> None:
    reason = "throttled" if isinstance(failure, TooManyAttempts) else "wrong code"
    audit_record(actor=user, action="auth.2fa.fail", patient=None, audit=audit, detail=f"{detail}: {reason}")
