"""Audit of sign-in events, from Django's and django-axes' signals; connected in AccountsConfig.ready().

Sign-in and sign-out happen inside Django's own views (and the admin's), so their signals are the one place
that sees every one of them. Authenticators are added and removed by the two-factor pages and by the admin,
so `User.has_authenticator` is kept from their signals too.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import lockouts, services, two_factor
from accounts.audit import WITHOUT_REQUEST, AuditContext
from accounts.middleware import session_start
from accounts.models import User


def _audit_context(request: HttpRequest | None) -> AuditContext:
    return AuditContext.of(request) if request is not None else WITHOUT_REQUEST


def on_sign_in(sender, request: HttpRequest, user: User, **kwargs) -> None:
    session_start(request)
    services.audit_auth_event(action="auth.sign_in", actor=user, audit=_audit_context(request))


def on_sign_out(sender, request: HttpRequest, user: User | None, **kwargs) -> None:
    if user is not None:
        services.audit_auth_event(action="auth.sign_out", actor=user, audit=_audit_context(request))


def on_sign_in_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    address = lockouts.normalised_address(credentials.get("username") or "")
    services.audit_auth_event(action="auth.sign_in_failed", address=address, audit=_audit_context(request))


def on_locked_out(
    sender, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs
) -> None:
    reasons = lockouts.lockout_reasons(address=username, ip=ip_address)
    if reasons:
        services.audit_auth_event(
            action="auth.lockout",
            address=username or "",
            audit=_audit_context(request),
            detail=", ".join(reasons),
        )


def on_authenticator_saving(sender, instance: TOTPDevice, **kwargs) -> None:
    """Note whose device this was as stored: the admin can give a device to someone else. A new device has
    no owner before."""
    if instance._state.adding:
        return
    stored = TOTPDevice.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
    instance._owner_before = stored  # type: ignore[attr-defined]


def on_authenticator_changed(sender, instance: TOTPDevice, **kwargs) -> None:
    owners = {instance.user_id, getattr(instance, "_owner_before", None)} - {None}
    two_factor.authenticator_kept_up(instance, owners=owners)  # type: ignore[arg-type]


def connect() -> None:
    pre_save.connect(on_authenticator_saving, sender=TOTPDevice, dispatch_uid="accounts.2fa.saving")
    post_save.connect(on_authenticator_changed, sender=TOTPDevice, dispatch_uid="accounts.2fa.saved")
    post_delete.connect(on_authenticator_changed, sender=TOTPDevice, dispatch_uid="accounts.2fa.gone")
    user_logged_in.connect(on_sign_in, dispatch_uid="accounts.audit.sign_in")
    user_logged_out.connect(on_sign_out, dispatch_uid="accounts.audit.sign_out")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="accounts.audit.sign_in_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="accounts.audit.lockout")
