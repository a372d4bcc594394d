from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.functional import LazyObject
from django.views.generic.edit import FormMixin

from accounts import lockouts, services
from accounts.audit import AuditContext
from accounts.forms import AccountDetailsForm, ClinicianDetailsForm, LoginForm, PatientDetailsForm
from accounts.models import ClinicianProfile, PatientProfile, User


def signed_in_user(request: HttpRequest) -> User:
    """The person behind a request that `login_required` has let through: the User itself, not the lazy
    wrapper the authentication middleware puts around it, through which every attribute read and every query
    naming the person passes again."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    while isinstance(user, LazyObject):
        user = user._wrapped  # type: ignore[attr-defined]  # set: isinstance() above evaluated each wrapper
    return user


class BadRequestOnInvalidForm(FormMixin):
    """A form sent back with errors answers 400, so clients and tests can tell it from a plain page view."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(BadRequestOnInvalidForm, auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm


class PasswordChangeView(BadRequestOnInvalidForm, auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session; the person's other sessions end
        services.audit_auth_event(
            action="auth.password_change", actor=form.user, audit=AuditContext.of(self.request)
        )
        return response


class PasswordResetView(BadRequestOnInvalidForm, auth_views.PasswordResetView):
    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        audit = AuditContext.of(self.request)
        if not lockouts.password_reset_allowed(email=form.cleaned_data["email"], audit=audit):
            return lockouts.reset_throttled_response(self.request)
        return super().form_valid(form)


class PasswordResetConfirmView(BadRequestOnInvalidForm, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)  # every session of the person ends
        services.audit_auth_event(
            action="auth.password_reset_done", actor=form.user, audit=AuditContext.of(self.request)
        )
        return response


def _profile_form(user: User, data=None) -> PatientDetailsForm | ClinicianDetailsForm | None:
    profile = user.profile
    if isinstance(profile, PatientProfile):
        return PatientDetailsForm(data, instance=profile)
    if isinstance(profile, ClinicianProfile):
        return ClinicianDetailsForm(data, instance=profile)
    return None


@login_required
def details_edit(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    data = request.POST if request.method == "POST" else None
    account_form = AccountDetailsForm(data, instance=user)
    profile_form = _profile_form(user, data)
    forms = [form for form in (account_form, profile_form) if form is not None]
    if request.method == "POST":
        if all(form.is_valid() for form in forms):
            services.user_update_details(
                user=user,
                audit=AuditContext.of(request),
                **account_form.cleaned_data,
                **(profile_form.cleaned_data if profile_form else {}),
            )
            messages.success(request, "Your details are saved.")
            return redirect("home")
        return render(request, "accounts/details_edit.html", {"forms": forms}, status=400)
    return render(request, "accounts/details_edit.html", {"forms": forms})
