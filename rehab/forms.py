from django import forms
from django.utils import timezone

from common import text_limits
from common.forms import FieldsOnlyMixin
from rehab.models import (
    HOLD_RANGE,
    PAIN_ALERT_ABOVE_MAX,
    PAIN_ALERT_TOO_HIGH,
    PAIN_LIMITS_OUT_OF_ORDER,
    REPS_RANGE,
    REST_RANGE,
    SETS_RANGE,
    TIMES_PER_DAY_RANGE,
    WEEKDAYS,
    Exercise,
    PlanStatus,
    PlanTemplate,
    Prescription,
    Stage,
)
from rehab.progress import CLINICIAN_CHECKS

REASON_HELP = "The patient sees this, so write it for them."


class _Bare(FieldsOnlyMixin, forms.Form):
    pass


class _ChangeForm(_Bare):
    """Every change to a plan carries the version it was made against and a reason."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(max_length=500, required=False, help_text=REASON_HELP)

    def changes(self) -> dict:
        """The cleaned values the change service takes besides the reason and the version."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("reason", "version")}


class PlanAssignForm(_Bare):
    template = forms.ModelChoiceField(
        queryset=PlanTemplate.objects.order_by("stage"), empty_label=None, label="Start from the template"
    )
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=text_limits.NOTE
    )

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if abs((start - timezone.localdate()).days) > 365:
            raise forms.ValidationError("Choose a start date within a year of today.")
        return start


class PrescriptionForm(_ChangeForm):
    sets = forms.IntegerField(min_value=SETS_RANGE[0], max_value=SETS_RANGE[1])
    reps = forms.IntegerField(min_value=REPS_RANGE[0], max_value=REPS_RANGE[1], required=False)
    hold_seconds = forms.IntegerField(
        label="Hold (seconds)", min_value=HOLD_RANGE[0], max_value=HOLD_RANGE[1], required=False
    )
    rest_seconds = forms.IntegerField(
        label="Rest (seconds)", min_value=REST_RANGE[0], max_value=REST_RANGE[1]
    )
    load = forms.CharField(max_length=200, required=False)
    times_per_day = forms.IntegerField(
        label="Times a day", min_value=TIMES_PER_DAY_RANGE[0], max_value=TIMES_PER_DAY_RANGE[1]
    )
    days_of_week = forms.TypedMultipleChoiceField(
        label="Days",
        choices=list(enumerate(day[:3] for day in WEEKDAYS)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )
    note_to_patient = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    in_flare_up_set = forms.BooleanField(
        label="In the flare-up set",
        required=False,
        help_text="Shown during a flare-up. With none ticked, the plan's isometric exercises are used.",
    )

    field_order = ["sets", "reps", "hold_seconds", "rest_seconds", "load", "times_per_day", "days_of_week",
                   "note_to_patient", "in_flare_up_set", "reason", "version"]  # fmt: skip

    @classmethod
    def for_prescription(cls, prescription: Prescription, version: int, data=None) -> "PrescriptionForm":
        initial = {
            name: getattr(prescription, name) for name in cls.base_fields if hasattr(prescription, name)
        }
        form = cls(data, initial={**initial, "version": version}, prefix=f"rx-{prescription.public_id}")
        return form

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("reps") is None and not cleaned.get("hold_seconds"):
            raise forms.ValidationError("Give repetitions, a hold time, or both.")
        return cleaned


class PrescriptionAddForm(_ChangeForm):
    exercise = forms.ModelChoiceField(queryset=Exercise.objects.order_by("name"), label="Add an exercise")

    field_order = ["exercise", "reason", "version"]


class PlanChangeForm(_ChangeForm):
    """For changes that need nothing but a reason: removing or moving an exercise."""


class PlanSettingsForm(_ChangeForm):
    stage = forms.TypedChoiceField(choices=Stage.choices, coerce=int)
    status = forms.ChoiceField(choices=PlanStatus.choices)
    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=text_limits.NOTE
    )

    field_order = ["stage", "status", "goals", "reason", "version"]


# --- the daily loop -------------------------------------------------------------------------------------


def _score_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        error_messages={
            "required": f"{label}: choose a number from 0 to 10.",
            "invalid": f"{label}: choose a number from 0 to 10.",
            "min_value": f"{label}: choose a number from 0 to 10.",
            "max_value": f"{label}: choose a number from 0 to 10.",
        },
    )


class SessionRateForm(forms.Form):
    """How a session went. The page draws the 0-10 scales itself (large buttons for one thumb)."""

    pain_during = _score_field("Pain during the exercises")
    pain_after = _score_field("Pain straight after")
    effort = _score_field("How hard it felt")
    note = forms.CharField(label="Anything to add?", max_length=1000, required=False)


class CheckInForm(forms.Form):
    day = forms.DateField(widget=forms.HiddenInput)
    pain_on_waking = _score_field("Pain when you woke up")
    load_test_pain = _score_field("Pain during three single-leg bridges")


class FlareUpEndForm(_Bare):
    note = forms.CharField(
        label="Note to the patient",
        max_length=text_limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why flare-up mode can end and what to do now. The patient sees it.",
    )


class PainLimitsForm(_ChangeForm):
    """The plan's pain limits: the alert limit at most `PAIN_ALERT_ABOVE_MAX`, the safe limit below it."""

    pain_safe_max = forms.IntegerField(
        label="Safe pain, up to",
        min_value=0,
        max_value=PAIN_ALERT_ABOVE_MAX - 1,
        error_messages={"max_value": PAIN_LIMITS_OUT_OF_ORDER},
    )
    pain_alert_above = forms.IntegerField(
        label="Ease off and alert above",
        min_value=1,
        max_value=PAIN_ALERT_ABOVE_MAX,
        error_messages={"max_value": PAIN_ALERT_TOO_HIGH},
        help_text=f"At most {PAIN_ALERT_ABOVE_MAX}/10.",
    )
    load_test_rise_alert = forms.IntegerField(
        label="Alert when the morning load test rises by", min_value=1, max_value=10
    )

    field_order = ["pain_safe_max", "pain_alert_above", "load_test_rise_alert", "reason", "version"]

    def clean(self):
        cleaned = super().clean() or {}
        safe, alert = cleaned.get("pain_safe_max"), cleaned.get("pain_alert_above")
        if safe is not None and alert is not None and safe >= alert:
            raise forms.ValidationError(PAIN_LIMITS_OUT_OF_ORDER)
        return cleaned


class StageAdvanceForm(_ChangeForm):
    clinician_checks = forms.MultipleChoiceField(
        label="Checked at an appointment",
        choices=list(CLINICIAN_CHECKS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    field_order = ["clinician_checks", "reason", "version"]

    def __init__(self, *args, stage: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].error_messages["required"] = "Say why the patient is ready: they see it."
        if stage != 3:
            del self.fields["clinician_checks"]
