"""The care team record in Django's admin is read only: it is written through the portal's pages, where the
access policy, the audit log and the rules (one lead, append-only notes) apply."""

from django.contrib import admin

from accounts.admin import ReadOnlyMixin, ReadOnlyPatientRecordAdmin
from careteam.models import Alert, CareTeamMembership, Note, NoteAddendum, Referral


@admin.register(CareTeamMembership)
class CareTeamMembershipAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("patient", "clinician", "discipline", "role", "active_from", "active_to")
    list_filter = ("role", "discipline")
    search_fields = ("patient__email", "clinician__email", "patient__last_name", "clinician__last_name")
    list_select_related = ("patient", "clinician")


class NoteAddendumInline(ReadOnlyMixin, admin.StackedInline):
    model = NoteAddendum
    extra = 0
    can_delete = False
    fields = ("created_at", "author", "author_discipline", "reason", "body")
    readonly_fields = fields


@admin.register(Note)
class NoteAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("created_at", "patient", "author", "author_discipline", "visibility")
    list_filter = ("author_discipline", "visibility")
    search_fields = ("patient__email", "author__email", "patient__last_name")
    date_hierarchy = "created_at"
    list_select_related = ("patient", "author")
    inlines = [NoteAddendumInline]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("created_at", "patient", "discipline", "to_clinician", "urgency", "status", "reviewed_by")
    list_filter = ("status", "urgency", "discipline")
    search_fields = ("patient__email", "patient__last_name")
    list_select_related = ("patient", "to_clinician", "reviewed_by")


@admin.register(Alert)
class AlertAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("raised_at", "patient", "kind", "severity", "acknowledged_at", "acknowledged_by")
    list_filter = ("kind", "severity", ("acknowledged_at", admin.EmptyFieldListFilter))
    search_fields = ("patient__email", "patient__last_name", "trigger")
    list_select_related = ("patient", "acknowledged_by")
