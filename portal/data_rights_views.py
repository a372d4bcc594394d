"""The patient's "Download my data" and "Close my account" pages."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.audit import AuditContext
from accounts.models import User
from accounts.views import signed_in_user
from common.forms import refusals_on
from portal.data_rights import account_close, export_file_name, patient_data_export
from portal.data_rights_forms import AccountCloseForm


def _signed_in_patient(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not user.is_patient:
        raise Http404("These pages are for patients.")
    return user


@login_required
@require_http_methods(["GET", "POST"])
def data_export(request: HttpRequest) -> HttpResponse:
    """GET explains what the download holds; POST sends it (a POST, so no prefetch or crawler makes one)."""
    patient = _signed_in_patient(request)
    if request.method == "GET":
        return render(request, "portal/data_export.html")
    archive = patient_data_export(patient=patient, audit=AuditContext.of(request))
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export_file_name(patient=patient)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_close_view(request: HttpRequest) -> HttpResponse:
    patient = _signed_in_patient(request)
    form = AccountCloseForm(request.POST if request.method == "POST" else None, user=patient)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            account_close(patient=patient, reason=form.cleaned_data["reason"], audit=AuditContext.of(request))
            logout(request)
            return redirect("account_closed")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/account_close.html", {"form": form}, status=status)


@require_GET
def account_closed(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/account_closed.html")
