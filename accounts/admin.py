from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.audit import AuditContext, audit_staff_read, audit_staff_read_many
from accounts.models import AuditEvent, ClinicianProfile, PatientProfile, User


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
    """The audit log: read only, written by the portal itself."""

    list_display = ("at", "actor", "action", "patient", "object_type", "object_id", "ip", "user_agent")
    list_filter = ("action", "actor__role", "at")
    search_fields = ("actor__email", "patient__email", "object_id", "ip")
    date_hierarchy = "at"
    list_select_related = ("actor", "patient")
    readonly_fields = list_display


class ReadOnlyPatientRecordAdmin(ReadOnlyMixin, PatientRecordAdmin):
    """Patient records kept by the portal itself: readable here, audited, never edited."""
