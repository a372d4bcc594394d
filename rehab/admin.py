from django.contrib import admin
from django.templatetags.static import static
from django.utils.html import format_html

from accounts.admin import ReadOnlyMixin, ReadOnlyPatientRecordAdmin
from rehab.models import (
    Exercise,
    ExerciseDone,
    FlareUp,
    MorningCheckIn,
    OutcomeMeasure,
    PlanRevision,
    PlanTemplate,
    PlanTemplateItem,
    Prescription,
    RehabPlan,
    SessionLog,
)
from rehab.outcomes import VISA_H_WORDING_NOTE, OutcomeKind


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("name", "stages", "hip_flexion", "target", "is_isometric", "clinician_choice_only")
    list_filter = ("hip_flexion", "target", "is_isometric", "clinician_choice_only")
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("illustration_preview",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary", "stages", "hip_flexion", "target", "equipment")}),
        ("Use", {"fields": ("is_isometric", "clinician_choice_only")}),
        (
            "How to",
            {
                "fields": ("steps", "cautions"),
                "description": "Write pain limits in the cautions as {safe_max} and {alert_above}, never as "
                "numbers: each patient then reads their own plan's limits, for example 2/10.",
            },
        ),
        (
            "Default dosage",
            {
                "fields": (
                    ("default_sets", "default_reps", "default_hold_seconds", "default_rest_seconds"),
                    ("default_times_per_day", "default_days_per_week"),
                    "default_load_note",
                )
            },
        ),
        ("Illustration", {"fields": ("illustration", "illustration_alt", "illustration_preview")}),
    )

    @admin.display(description="Preview")
    def illustration_preview(self, exercise: Exercise) -> str:
        if not exercise.illustration:
            return "No illustration"
        return format_html(
            '<img src="{}" alt="{}" width="320" height="200">',
            static(exercise.illustration),
            exercise.illustration_alt,
        )


class PlanTemplateItemInline(admin.TabularInline):
    model = PlanTemplateItem
    extra = 0
    autocomplete_fields = ("exercise",)
    fields = ("order", "exercise", "sets", "reps", "hold_seconds", "rest_seconds", "load", "times_per_day",
              "days_of_week")  # fmt: skip


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("stage", "name")
    inlines = [PlanTemplateItemInline]


class PrescriptionInline(ReadOnlyMixin, admin.TabularInline):
    model = Prescription
    extra = 0
    fields = ("order", "exercise", "sets", "reps", "hold_seconds", "times_per_day", "days_of_week")
    readonly_fields = fields


# Plans and the daily record change only through the portal's pages, where every plan save leaves a revision.
@admin.register(RehabPlan)
class RehabPlanAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("patient", "stage", "status", "lead_clinician", "start_date", "version")
    list_select_related = ("patient", "lead_clinician")
    list_filter = ("status", "stage")
    search_fields = ("patient__email", "patient__last_name")
    inlines = [PrescriptionInline]


@admin.register(PlanRevision)
class PlanRevisionAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("plan", "number", "author", "reason", "created_at")
    search_fields = ("plan__patient__email", "reason")
    list_select_related = ("plan__patient", "author")

    def patient_of(self, obj: PlanRevision):
        return obj.plan.patient


class ExerciseDoneInline(ReadOnlyMixin, admin.TabularInline):
    model = ExerciseDone
    extra = 0
    fields = ("exercise", "sets_done", "sets_prescribed")
    readonly_fields = fields


@admin.register(SessionLog)
class SessionLogAdmin(ReadOnlyPatientRecordAdmin):
    """The patient's own record: read-only here, written only from the Today page."""

    list_display = ("patient", "date", "slot_name", "pain_during", "pain_after", "effort", "suggestion")
    list_filter = ("suggestion", "in_flare_up")
    search_fields = ("patient__email", "patient__last_name")
    date_hierarchy = "date"
    inlines = [ExerciseDoneInline]


@admin.register(MorningCheckIn)
class MorningCheckInAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("patient", "date", "pain_on_waking", "load_test_pain", "suggestion")
    list_filter = ("suggestion",)
    search_fields = ("patient__email", "patient__last_name")
    date_hierarchy = "date"


@admin.register(FlareUp)
class FlareUpAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("plan", "started_at", "started_by", "ended_at", "ended_by")
    search_fields = ("plan__patient__email",)
    list_select_related = ("plan__patient", "started_by", "ended_by")

    def patient_of(self, obj: FlareUp):
        return obj.plan.patient


@admin.register(OutcomeMeasure)
class OutcomeMeasureAdmin(ReadOnlyPatientRecordAdmin):
    list_display = ("patient", "kind", "taken_on", "score")
    list_filter = ("kind",)
    search_fields = ("patient__email", "patient__last_name")
    readonly_fields = ("wording_note",)

    @admin.display(description="VISA-H wording")
    def wording_note(self, measure: OutcomeMeasure) -> str:
        return VISA_H_WORDING_NOTE if measure.kind == OutcomeKind.VISA_H else "Not a VISA-H questionnaire."
