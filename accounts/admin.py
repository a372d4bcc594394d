import functools

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.http import urlencode

from accounts.audit import AuditContext, audit_record, audit_staff_read, audit_staff_read_many
from accounts.audit_viewer import AuditFilter, AuditFilterForm, audit_view_detail
from accounts.closure import closure_complete
from accounts.lockouts import SignInLockoutAdmin  # noqa: F401 - registers the page of sign-in lockouts
from accounts.models import AccountClosureRequest, AuditEvent, ClinicianProfile, PatientProfile, User


class ReadOnlyMixin:
    """For admin pages (and inlines) of records that only the portal's own pages write."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PatientRecordAdmin(admin.ModelAdmin):
    """An admin page that shows patient data writes an audit row per patient it shows, as the portal's do.

    Subclasses say how to reach the patient from a row with `patient_of`.
    """

    def patient_of(self, obj) -> User | None:
        return obj.patient

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        patient = self.patient_of(obj) if obj is not None else None
        if patient is not None:
            audit_staff_read(
                actor=request.user, action=f"admin.{self.opts.model_name}.view", patient=patient,
                audit=AuditContext.of(request), obj=obj,
            )  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            patients = {
                patient.pk: patient for obj in changelist.result_list if (patient := self.patient_of(obj))
            }
            audit_staff_read_many(
                actor=request.user, action=f"admin.{self.opts.model_name}.list", patients=patients.values(),
                audit=AuditContext.of(request),
            )  # fmt: skip
        return response


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "time_zone")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class PatientProfileInline(admin.StackedInline):
    model = PatientProfile
    can_delete = False
    readonly_fields = ("closed_at",)
    extra = 0
    max_num = 1


class ClinicianProfileInline(admin.StackedInline):
    model = ClinicianProfile
    can_delete = False
    extra = 0
    max_num = 1


@admin.register(User)
class UserAdmin(PatientRecordAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    inlines = [PatientProfileInline, ClinicianProfileInline]
    list_display = ("email", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("last_name", "first_name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "time_zone")}),
        ("Access", {"fields": ("role", "is_active", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "role",
                    "time_zone",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    filter_horizontal = ("groups", "user_permissions")

    def patient_of(self, obj: User) -> User | None:
        return obj if obj.is_patient else None


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The audit viewer: read only, written by the portal itself, filtered with `AuditFilter`. Opening the
    list or one event is itself audited ("audit.view", the filters in the detail)."""

    list_display = ("at", "actor_link", "action", "patient_link", "detail", "ip")
    list_filter = (AuditFilter, "actor__role")
    search_fields = ("actor__email", "patient__email", "object_id", "ip", "detail")
    date_hierarchy = "at"
    list_select_related = ("actor", "patient")
    list_per_page = 50
    show_full_result_count = False  # a count of the whole log on every page grows with it
    readonly_fields = (
        "at", "actor", "action", "detail", "patient", "object_type", "object_id", "ip", "user_agent",
    )  # fmt: skip

    @admin.display(description="who", ordering="actor__email")
    def actor_link(self, event: AuditEvent) -> str:
        return _filter_link("actor", event.actor)

    @admin.display(description="patient", ordering="patient__email")
    def patient_link(self, event: AuditEvent) -> str:
        return _filter_link("patient", event.patient)

    def changelist_view(self, request, extra_context=None):
        form = AuditFilterForm(request.GET)
        if not form.is_valid():
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "The audit log cannot be filtered that way",
                "errors": form.error_lines(),
            }
            return TemplateResponse(
                request, "admin/accounts/auditevent/invalid_filter.html", context, status=400
            )
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            audit_record(
                actor=request.user, action="audit.view", patient=None, audit=AuditContext.of(request),
                detail=audit_view_detail(request),
            )  # fmt: skip
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        event = self.get_object(request, unquote(object_id))
        if response.status_code == 200 and event is not None:
            audit_record(
                actor=request.user, action="audit.view", patient=event.patient,
                audit=AuditContext.of(request), obj=event, detail=f"event {event.pk}",
            )  # fmt: skip
        return response


def _filter_link(parameter: str, person: User | None) -> str:
    """The person, linked to the audit log filtered by them."""
    if person is None:
        return "—"
    return format_html('<a href="?{}">{}</a>', urlencode({parameter: person.email}), person)


class ReadOnlyPatientRecordAdmin(ReadOnlyMixin, PatientRecordAdmin):
    """Patient records kept by the portal itself: readable here, audited, never edited."""


@admin.register(AccountClosureRequest)
class AccountClosureRequestAdmin(ReadOnlyPatientRecordAdmin):
    """Patients' requests to close their account. Their sign-in stopped when they asked; completing a request
    records who and when and marks the records closed, which are kept."""

    list_display = ("patient", "requested_at", "completed_at", "completed_by")
    list_filter = (("completed_at", admin.EmptyFieldListFilter),)
    search_fields = ("patient__email", "patient__first_name", "patient__last_name")
    list_select_related = ("patient", "completed_by")
    readonly_fields = ("patient", "reason", "requested_at", "completed_at", "completed_by")
    actions = ["complete_closure"]

    def has_complete_permission(self, request) -> bool:
        return request.user.is_admin

    @admin.action(description="Complete closure (the records are kept)", permissions=["complete"])
    def complete_closure(self, request, queryset) -> None:
        audit = AuditContext.of(request)
        completed = sum(
            closure_complete(closure=closure, by=request.user, audit=audit)
            for closure in queryset.select_related("patient")
        )
        skipped = queryset.count() - completed
        message = f"Completed {completed} account closure{pluralize(completed)}."
        if skipped:
            message += f" {skipped} {'was' if skipped == 1 else 'were'} already complete."
        self.message_user(request, message, messages.SUCCESS if completed else messages.WARNING)


def audit_history_views(site: admin.AdminSite) -> None:
    """Make the history page of every object in the admin write an "admin.history_view" audit row.

    Called once at start-up (portal/apps.py), when every app has registered its model admins, so an admin
    added later is covered without remembering a mixin. The patient is named where the admin knows one.
    """
    for model_admin in site._registry.values():
        if not getattr(model_admin.history_view, "audited", False):
            model_admin.history_view = _audited_history_view(model_admin)  # type: ignore[method-assign]


def _audited_history_view(model_admin: admin.ModelAdmin):
    plain_view = model_admin.history_view

    @functools.wraps(plain_view)
    def history_view(request, object_id, extra_context=None):
        response = plain_view(request, object_id, extra_context)
        obj = model_admin.get_object(request, unquote(object_id))
        if response.status_code == 200 and obj is not None:
            patient = model_admin.patient_of(obj) if isinstance(model_admin, PatientRecordAdmin) else None
            audit_record(
                actor=request.user, action="admin.history_view", patient=patient,
                audit=AuditContext.of(request), obj=obj, detail=f"{model_admin.opts.label} {obj.pk}",
            )  # fmt: skip
        return response

    history_view.audited = True  # type: ignore[attr-defined]
    return history_view
