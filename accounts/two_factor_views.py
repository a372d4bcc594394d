"""The second step of sign-in, setting up an authenticator app, backup codes, and turning two-factor off.

`verify` and `set_up` open before the second factor is passed (the middleware lets them through); each checks
for itself who may use it. The other pages go through the middleware like any other page.
"""

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.models import Device

from accounts import two_factor
from accounts.audit import AuditContext, is_staff_user
from accounts.models import User
from accounts.two_factor_forms import AuthenticatorCodeForm, SignInCodeForm, TurnOffForm
from accounts.views import signed_in_user

NEW_BACKUP_CODES_SESSION_KEY = "two_factor_new_backup_codes"


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    next_url = _next_url(request)
    if two_factor.session_verified(request.user):
        return redirect(next_url)
    if two_factor.authenticator_for(user) is None:
        if is_staff_user(user):
            return redirect_to_login(next_url, reverse("accounts:two_factor_set_up"))
        return redirect(next_url)
    form = SignInCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                verified = two_factor.two_factor_verify(
                    user=user, code=form.cleaned_data["code"], audit=AuditContext.of(request)
                )
            except two_factor.TwoFactorError as error:
                form.add_error("code", error.message)
                status = _status_of(error)
            else:
                _mark_verified(request, verified.device)
                if verified.backup_codes_left is not None:
                    _warn_about_backup_codes(request, verified.backup_codes_left)
                return redirect(next_url)
    context = {"form": form, "next": next_url, "two_factor_pending": True}
    return render(request, "accounts/two_factor_verify.html", context, status=status)


@login_required
def set_up(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    next_url = _next_url(request)
    if two_factor.authenticator_for(user) is not None:
        return redirect("accounts:two_factor")
    device = two_factor.authenticator_pending(user=user)
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                device, codes = two_factor.authenticator_confirm(
                    user=user, code=form.cleaned_data["code"], audit=AuditContext.of(request)
                )
            except two_factor.TwoFactorError as error:
                form.add_error("code", error.message)
                status = _status_of(error)
            else:
                _mark_verified(request, device)
                request.session[NEW_BACKUP_CODES_SESSION_KEY] = codes
                messages.success(request, "Two-factor sign-in is on.")
                return redirect_to_login(next_url, reverse("accounts:two_factor_backup_codes"))
    context = {
        "form": form,
        "next": next_url,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#000", light="#fff"),
        "secret": two_factor.secret_base32(device),
        "config_url": device.config_url,
        "required": is_staff_user(user),
        "two_factor_pending": not two_factor.session_verified(request.user),
    }
    return render(request, "accounts/two_factor_set_up.html", context, status=status)


@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes, shown once: they are taken out of the session as the page is drawn."""
    codes = request.session.pop(NEW_BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        messages.info(request, "Backup codes are shown only once. Make new ones if you have lost them.")
        return redirect("accounts:two_factor")
    return render(
        request, "accounts/two_factor_backup_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    return _manage_page(request, signed_in_user(request), TurnOffForm())


@login_required
@require_POST
def backup_codes_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if two_factor.authenticator_for(user) is None:
        return redirect("accounts:two_factor")
    codes = two_factor.backup_codes_regenerate(user=user, audit=AuditContext.of(request))
    request.session[NEW_BACKUP_CODES_SESSION_KEY] = codes
    messages.success(request, "Your new backup codes are ready; the old ones no longer work.")
    return redirect("accounts:two_factor_backup_codes")


@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if two_factor.authenticator_for(user) is None:
        return redirect("accounts:two_factor")
    form = TurnOffForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, user, form, status=400)
    audit = AuditContext.of(request)
    try:
        two_factor.two_factor_verify(user=user, code=form.cleaned_data["code"], audit=audit)
    except two_factor.TwoFactorError as error:
        form.add_error("code", error.message)
        return _manage_page(request, user, form, status=_status_of(error))
    two_factor.two_factor_remove(user=user, audit=audit)
    if is_staff_user(user):
        messages.info(request, "Your authenticator app is removed. Set up the new one now.")
        return redirect("accounts:two_factor_set_up")
    messages.success(request, "Two-factor sign-in is off.")
    return redirect("accounts:two_factor")


def _manage_page(request: HttpRequest, user: User, form: TurnOffForm, status: int = 200) -> HttpResponse:
    context = {
        "authenticator": two_factor.authenticator_for(user),
        "backup_codes_left": two_factor.backup_codes_left(user),
        "required": is_staff_user(user),
        "form": form,
    }
    return render(request, "accounts/two_factor_manage.html", context, status=status)


def _mark_verified(request: HttpRequest, device: Device) -> None:
    """The session has passed the second factor: a new session id, as at any rise in privilege."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _warn_about_backup_codes(request: HttpRequest, left: int) -> None:
    if left == 0:
        messages.warning(request, "You used your last backup code. Make new ones under Two-factor sign-in.")
    elif left <= 3:
        messages.warning(
            request, f"You used a backup code; {left} left. Make new ones under Two-factor sign-in."
        )
    else:
        messages.info(request, f"You used a backup code; {left} left.")


def _status_of(error: two_factor.TwoFactorError) -> int:
    return 429 if isinstance(error, two_factor.TooManyAttempts) else 400


def _next_url(request: HttpRequest) -> str:
    """Where to go once the second factor is passed: the page first asked for, if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)
