from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from accounts.admin import ReadOnlyMixin, ReadOnlyPatientRecordAdmin
from common.admin_forms import BatchedChoicesInlineFormSet
from rehab.models import (
    WEEKDAYS,
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
    Stage,
)
from rehab.outcomes import VISA_H_WORDING_NOTE, OutcomeKind


def stage_in_words(stage: int) -> str:
    """'1 Settle' for stage 1: short enough for a column of the exercise list."""
    return f"{stage} {Stage(stage).name.capitalize()}"


class ExerciseAdminForm(forms.ModelForm):
    """The exercise's stages as checkboxes; the model keeps them as a JSON list of stage numbers."""

    stages = forms.TypedMultipleChoiceField(
        choices=Stage.choices,
        coerce=int,
        # "radiolist" lays the boxes out as the admin lays out its radio buttons.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "radiolist"}),
        help_text="The loading stages the exercise belongs to.",
        error_messages={
            "required": "Choose at least one stage.",
            "invalid_choice": "%(value)s is not a stage: choose among the stages listed.",
        },
    )

    class Meta:
        model = Exercise
        fields = (
            "name", "slug", "summary", "stages", "hip_flexion", "target", "position", "equipment",
            "is_isometric", "clinician_choice_only", "steps", "cautions", "default_sets", "default_reps",
            "default_hold_seconds", "default_rest_seconds", "default_times_per_day", "default_days_per_week",
            "default_load_note", "illustration", "illustration_alt",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Blank in the table only for exercises made before positions existed; every save gives one.
        self.fields["position"].required = True
        self.fields["position"].error_messages["required"] = (
            "Choose the body position the exercise is done in."
        )

    def clean_stages(self) -> list[int]:
        return sorted(set(self.cleaned_data["stages"]))


class StageListFilter(admin.SimpleListFilter):
    title = "stage"
    parameter_name = "stage"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(str(stage), label) for stage, label in Stage.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> QuerySet[Exercise]:
        value = self.value()
        if value is None:
            return queryset
        try:
            stage = int(value)
        except ValueError:
            return queryset.none()
        # The library is a few dozen rows, and a JSON "contains" lookup is not available on SQLite.
        rows = queryset.values_list("pk", "stages")
        return queryset.filter(
            pk__in=[pk for pk, stages in rows if isinstance(stages, list) and stage in stages]
        )


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseAdminForm
    list_display = (
        "picture", "name", "stages_in_words", "compression", "target", "position", "isometric",
        "clinician_only",
    )  # fmt: skip
    list_display_links = ("name",)
    list_filter = (
        StageListFilter, "hip_flexion", "target", "position", "is_isometric", "clinician_choice_only",
    )  # fmt: skip
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("illustration_preview",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "summary",
                    "stages",
                    "hip_flexion",
                    "target",
                    "position",
                    "equipment",
                )
            },
        ),
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

    @admin.display(description="Stages")
    def stages_in_words(self, exercise: Exercise) -> str:
        valid = [stage for stage in exercise.stages if stage in Stage.values]
        return format_html_join(mark_safe("<br>"), "{}", ((stage_in_words(s),) for s in valid)) or "None"

    @admin.display(description="Hip flexion", ordering="hip_flexion")
    def compression(self, exercise: Exercise) -> str:
        return exercise.get_hip_flexion_display()

    @admin.display(description="Flare-up set", boolean=True, ordering="is_isometric")
    def isometric(self, exercise: Exercise) -> bool:
        return exercise.is_isometric

    @admin.display(description="Clinician's choice", boolean=True, ordering="clinician_choice_only")
    def clinician_only(self, exercise: Exercise) -> bool:
        return exercise.clinician_choice_only

    # The name is in the same row, so the thumbnail is decorative (alt="").
    @admin.display(description="Picture")
    def picture(self, exercise: Exercise) -> str:
        if not exercise.illustration:
            return "No picture"
        return format_html(
            '<img src="{}" alt="" width="64" height="40" class="portal-admin-thumbnail">',
            static(exercise.illustration),
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


class PlanTemplateItemAdminForm(forms.ModelForm):
    """A template's exercise, its days as checkboxes; the model keeps them as a JSON list, 0 for Monday."""

    days_of_week = forms.TypedMultipleChoiceField(
        label="Days",
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "radiolist inline"}),
        error_messages={
            "required": "Choose at least one day.",
            "invalid_choice": "%(value)s is not a day: choose among the days listed.",
        },
    )

    class Meta:
        model = PlanTemplateItem
        fields = (
            "order", "exercise", "sets", "reps", "hold_seconds", "rest_seconds", "load", "times_per_day",
            "days_of_week",
        )  # fmt: skip

    def clean_days_of_week(self) -> list[int]:
        return sorted(set(self.cleaned_data["days_of_week"]))


# Stacked: a row of nine fields and seven day boxes does not fit a table at any width.
class PlanTemplateItemInline(admin.StackedInline):
    model = PlanTemplateItem
    form = PlanTemplateItemAdminForm
    formset = BatchedChoicesInlineFormSet
    extra = 0
    autocomplete_fields = ("exercise",)
    fields = (
        ("order", "exercise"),
        ("sets", "reps", "hold_seconds", "rest_seconds"),
        "load",
        ("times_per_day", "days_of_week"),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[PlanTemplateItem]:
        # Each item is titled "template: exercise".
        return super().get_queryset(request).select_related("template", "exercise")


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

    list_display = (
        "patient",
        "date",
        "slot_name",
        "extra",
        "pain_during",
        "pain_after",
        "effort",
        "suggestion",
    )
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
