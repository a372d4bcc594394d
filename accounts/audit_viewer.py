"""The admins' audit viewer: the audit log in Django's admin, filtered by who, which patient, what and when.

The admin's list of audit events gains one filter, a small form (`AuditFilterForm`), and every opening of the
list or of one event is itself audited as "audit.view" with the filters in `detail`.
"""

import datetime
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import AuditEvent

PERSON_MAX_LENGTH = 254
KIND_MAX_LENGTH = 64


def _person_matches(field: str, text: str) -> Q:
    """Every word of `text` in the person's email, first or last name: "anna smith" or "anna@clinic"."""
    condition = Q()
    for word in text.split():
        condition &= (
            Q(**{f"{field}__email__icontains": word})
            | Q(**{f"{field}__first_name__icontains": word})
            | Q(**{f"{field}__last_name__icontains": word})
        )
    return condition


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label="Who",
        required=False,
        max_length=PERSON_MAX_LENGTH,
        help_text="Email or name of the person who acted.",
    )
    patient = forms.CharField(
        label="Patient",
        required=False,
        max_length=PERSON_MAX_LENGTH,
        help_text="Email or name of the patient.",
    )
    kind = forms.CharField(
        label="Kind",
        required=False,
        max_length=KIND_MAX_LENGTH,
        help_text="The event's name or its start, e.g. “auth.sign_in” or “auth.”.",
    )
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label="To (inclusive)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    FIELDS = ("actor", "patient", "kind", "since", "until")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The first day comes after the last one.")
        return cleaned

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """The events that match; dates are days in the viewer's own time zone."""
        data: dict = self.cleaned_data
        if data.get("actor", "").strip():
            events = events.filter(_person_matches("actor", data["actor"]))
        if data.get("patient", "").strip():
            events = events.filter(_person_matches("patient", data["patient"]))
        if data.get("kind", "").strip():
            events = events.filter(action__startswith=data["kind"].strip())
        zone = timezone.get_current_timezone()
        if data.get("since"):
            events = events.filter(at__gte=datetime.datetime.combine(data["since"], datetime.time(), zone))
        if data.get("until"):
            next_day = data["until"] + datetime.timedelta(days=1)
            events = events.filter(at__lt=datetime.datetime.combine(next_day, datetime.time(), zone))
        return events

    def error_lines(self) -> list[str]:
        lines: list[str] = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            lines.extend(f"{label}: {error}" if label else str(error) for error in errors)
        return lines


class AuditFilter(admin.ListFilter):
    """The admin list filter that shows `AuditFilterForm` and applies it. The other filters' parameters and
    the search are kept as hidden fields, so filtering here does not drop them."""

    title = "who, patient, kind and dates"
    template = "admin/accounts/auditevent/audit_filter.html"

    def __init__(self, request: HttpRequest, params: dict, model, model_admin) -> None:
        super().__init__(request, params, model, model_admin)
        values = {name: params.pop(name)[-1] for name in AuditFilterForm.FIELDS if name in params}
        self.form = AuditFilterForm(values)
        self.active = any(str(value).strip() for value in values.values())
        self.keep = [
            (name, value)
            for name, values_of_name in request.GET.lists()
            if name not in AuditFilterForm.FIELDS and name != "p"
            for value in values_of_name
        ]

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str | None]:
        return list(AuditFilterForm.FIELDS)

    def choices(self, changelist) -> Iterator[Any]:
        yield {"form": self.form, "keep": self.keep}

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.form.is_valid():  # the admin's changelist_view refuses invalid filters before this
            return queryset.none()
        return self.form.filter(queryset)


def audit_view_detail(request: HttpRequest) -> str:
    """The filters, search and page of a request to the viewer, as the audit row's detail."""
    pairs = [f"{name}={value}" for name, values in request.GET.lists() for value in values if value.strip()]
    return "; ".join(pairs) or "unfiltered"
