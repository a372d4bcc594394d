from typing import Any, cast

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from common import text_limits
from common.forms import FieldsOnlyMixin, written_value
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
    BodyPosition,
    Exercise,
    HipFlexion,
    PlanStatus,
    PlanTemplate,
    Prescription,
    RehabPlan,
    Stage,
    Target,
)
from rehab.progress import CLINICIAN_CHECKS

REASON_HELP = "The patient sees this, so write it for them."
REASON_REQUIRED = "Give a reason for this change: the patient sees it."
REASON_SEED_OUTDATED = (
    "This reason was suggested before you changed anything. Check the one made from your change, then save."
)


class _Bare(FieldsOnlyMixin, forms.Form):
    pass


class _ChangeForm(_Bare):
    """Every change to a plan carries the version it was made against and a reason.

    The reason is required while the plan is active (`reason_required`): the patient reads it. The box starts
    with `reason_seed()`, a short suggestion; a form that can tell what the sent values change says so in
    `reason_from_changes()`, and when the reason is missing, or is the seed made before the change, the form
    is refused with that suggestion filled in, for the clinician to check and send again.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(max_length=500, required=False, help_text=REASON_HELP)

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial = {**self.initial}  # the seed below must not land in a dict the caller shares
        reason = self.fields["reason"]
        reason.required = reason_required
        reason.error_messages["required"] = REASON_REQUIRED
        seed = self.reason_seed()
        if seed:
            self.initial.setdefault("reason", seed)

    def reason_seed(self) -> str:
        """The suggestion the reason box starts with, before anything is changed."""
        return ""

    def reason_from_changes(self, cleaned: dict) -> str:
        """A short reason made from what the sent values change; empty when the form cannot tell."""
        return ""

    def clean(self):
        cleaned = super().clean() or {}
        if self.has_error("reason", "required"):
            others_valid = not self.errors.keys() - {"reason"}
            self._offer_reason(self.reason_from_changes(cleaned) if others_valid else "")
        elif cleaned.get("reason") and cleaned["reason"] == self.reason_seed() and not self.errors:
            suggestion = self.reason_from_changes(cleaned)
            if suggestion and suggestion != cleaned["reason"]:
                self.add_error("reason", REASON_SEED_OUTDATED)
                self._offer_reason(suggestion)
        return cleaned

    def _offer_reason(self, suggestion: str) -> None:
        """Fill the refused form's reason box with `suggestion` (or the seed), for the clinician to check."""
        suggestion = suggestion or self.reason_seed()
        if suggestion:
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict, both copy
            data[self.add_prefix("reason")] = suggestion
            self.data = data

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


# Which way a rise in each dosage field moves the load: more rest between sets is less load. The days count.
LOAD_DIRECTION = {
    "sets": 1,
    "reps": 1,
    "hold_seconds": 1,
    "times_per_day": 1,
    "days_of_week": 1,
    "rest_seconds": -1,
}


def dosage_reasons(*, pain_safe_max: int, after_flare_up: bool) -> dict[str, str]:
    """The short reasons offered for a dosage change, by what the change does to the load."""
    return {
        "more": f"Progressed load: pain ≤ {pain_safe_max} after sessions",
        "less": "Reduced after flare-up" if after_flare_up else "Reduced the load to let the pain settle",
        "mixed": "Adjusted the dosage to how your sessions went",
        "other": "Updated how to do this exercise",
    }


def _load_size(name: str, value) -> int:
    return len(value or []) if name == "days_of_week" else (value or 0)


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

    def __init__(
        self, *args, prescription: Prescription, pain_safe_max: int, after_flare_up: bool = False, **kwargs
    ):
        self.prescription, self.after_flare_up = prescription, after_flare_up
        self.reasons = dosage_reasons(pain_safe_max=pain_safe_max, after_flare_up=after_flare_up)
        super().__init__(*args, **kwargs)
        for name, direction in LOAD_DIRECTION.items():
            # Read by static/rehab/builder.js, which picks the matching reason as the clinician types.
            self.fields[name].widget.attrs["data-load"] = "more" if direction > 0 else "less"
        # The dosage on a grid: the dose, when to do it, then the words; two columns on a phone.
        self.helper.disable_csrf = True  # the template's <form> has its token
        self.helper.layout = Layout(
            Row(
                Column("sets", css_class="col-6 col-md-3"),
                Column("reps", css_class="col-6 col-md-3"),
                Column("hold_seconds", css_class="col-6 col-md-3"),
                Column("rest_seconds", css_class="col-6 col-md-3"),
                css_class="g-2",
            ),
            Row(
                Column("times_per_day", css_class="col-6 col-md-3"),
                Column(InlineCheckboxes("days_of_week"), css_class="col-12 col-md-9"),
                css_class="g-2",
            ),
            Row(
                Column("load", css_class="col-12 col-md-6"),
                Column("note_to_patient", css_class="col-12 col-md-6"),
                css_class="g-2",
            ),
            "in_flare_up_set",
            "reason",
            "version",
        )

    @classmethod
    def for_prescription(
        cls, prescription: Prescription, plan: RehabPlan, *, after_flare_up: bool = False, data=None
    ) -> "PrescriptionForm":
        initial = {
            name: getattr(prescription, name) for name in cls.base_fields if hasattr(prescription, name)
        }
        return cls(
            data,
            initial={**initial, "version": plan.version},
            prefix=f"rx-{prescription.public_id}",
            prescription=prescription,
            pain_safe_max=plan.pain_safe_max,
            after_flare_up=after_flare_up,
            reason_required=plan.is_active,
        )

    @classmethod
    def plain_fields(
        cls,
        prescription: Prescription,
        plan: RehabPlan,
        *,
        after_flare_up: bool = False,
        reasons: dict[str, str] | None = None,
        failed: "PrescriptionForm | None" = None,
    ) -> dict:
        """The values and errors of the dosage form of `prescription`, for the builder to draw it in plain
        HTML (templates/rehab/_plan_items.html writes what this form's crispy layout would, and a test checks
        that it does: crispy took most of the page's time for a plan of several exercises). `failed` is this
        form sent back with errors, whose values and errors are shown. `reasons` are `dosage_reasons` when
        the caller has them (one plan's rows share them).

        `values` are the fields' values as their widgets write them (strings), `errors` each field's errors
        (every field has a list), `days` the day boxes with the ones ticked.
        """
        errors: dict[str, Any] = {}
        if failed is not None:
            values = {name: failed[name].value() for name in cls.base_fields}
            errors, reasons = failed.errors, failed.reasons
        else:
            reasons = reasons or dosage_reasons(
                pain_safe_max=plan.pain_safe_max, after_flare_up=after_flare_up
            )
            values = {name: getattr(prescription, name, None) for name in cls.base_fields}
            values |= {"version": plan.version, "reason": reasons["less" if after_flare_up else "more"]}
        written = {name: written_value(field, values[name]) for name, field in cls.base_fields.items()}
        prefix = f"rx-{prescription.public_id}"
        days = cast(forms.TypedMultipleChoiceField, cls.base_fields["days_of_week"])
        return {
            "prefix": prefix,
            "values": written,
            "errors": {name: list(errors.get(name, [])) for name in cls.base_fields},
            "non_field_errors": list(errors.get(NON_FIELD_ERRORS, [])),
            "days": [
                {
                    "id": f"id_{prefix}-days_of_week_{index}",
                    "value": str(key),
                    "label": label,
                    "ticked": str(key) in written["days_of_week"],
                }
                for index, (key, label) in enumerate(cast(list[tuple[int, str]], days.choices))
            ],
            "in_flare_up_set": forms.CheckboxInput().check_test(values["in_flare_up_set"]),
            "reason_required": plan.is_active,
            "reasons": reasons,
        }

    def reason_seed(self) -> str:
        return self.reasons["less" if self.after_flare_up else "more"]

    def reason_from_changes(self, cleaned: dict) -> str:
        before = self.prescription
        moved = [
            (_load_size(name, cleaned.get(name)) - _load_size(name, getattr(before, name))) * direction
            for name, direction in LOAD_DIRECTION.items()
        ]
        more, less = any(step > 0 for step in moved), any(step < 0 for step in moved)
        if more and less:
            return self.reasons["mixed"]
        if more or less:
            return self.reasons["more" if more else "less"]
        other = any(cleaned.get(name) != getattr(before, name) for name in ("load", "note_to_patient"))
        other = other or bool(cleaned.get("in_flare_up_set")) != before.in_flare_up_set
        other = other or sorted(cleaned.get("days_of_week") or []) != sorted(before.days_of_week)
        return self.reasons["other"] if other else ""

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("reps") is None and not cleaned.get("hold_seconds"):
            raise forms.ValidationError("Give repetitions, a hold time, or both.")
        return cleaned


class PrescriptionAddForm(_ChangeForm):
    """Adding one exercise found by the library search; each result sends its own copy of this form."""

    exercise = forms.ModelChoiceField(queryset=Exercise.objects.order_by("name"), label="Add an exercise")

    field_order = ["exercise", "reason", "version"]

    def __init__(self, *args, in_flare_up: bool = False, **kwargs):
        self.in_flare_up = in_flare_up
        super().__init__(*args, **kwargs)

    @staticmethod
    def reason_for(*, in_flare_up: bool) -> str:
        """The reason an addition starts with (the revision's summary already names the exercise)."""
        return (
            "A gentle option while the flare-up settles"
            if in_flare_up
            else "Next step to build on your progress"
        )

    def reason_seed(self) -> str:
        return self.reason_for(in_flare_up=self.in_flare_up)


class PlanChangeForm(_ChangeForm):
    """For changes that need nothing but a reason: removing an exercise (`removing`) or moving one."""

    def __init__(self, *args, removing: bool = False, **kwargs):
        self.removing = removing
        super().__init__(*args, **kwargs)

    def reason_seed(self) -> str:
        return "Not needed for now" if self.removing else ""


class PlanSettingsForm(_ChangeForm):
    stage = forms.TypedChoiceField(choices=Stage.choices, coerce=int)
    status = forms.ChoiceField(choices=PlanStatus.choices)
    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=text_limits.NOTE
    )

    field_order = ["stage", "status", "goals", "reason", "version"]

    def __init__(self, *args, plan: RehabPlan, **kwargs):
        self.plan = plan
        super().__init__(*args, reason_required=plan.is_active, **kwargs)

    @classmethod
    def for_plan(cls, plan: RehabPlan, data=None) -> "PlanSettingsForm":
        initial = {"version": plan.version, "stage": plan.stage, "status": plan.status, "goals": plan.goals}
        return cls(data, initial=initial, plan=plan)

    def reason_seed(self) -> str:
        return "Updated your goals with you"

    def reason_from_changes(self, cleaned: dict) -> str:
        status, stage = cleaned.get("status"), cleaned.get("stage")
        if status and status != self.plan.status:
            return {
                PlanStatus.ACTIVE: "Restarted the plan",
                PlanStatus.PAUSED: "Paused the plan for now",
                PlanStatus.COMPLETED: "Finished this plan: well done",
            }[PlanStatus(status)]
        if stage and stage != self.plan.stage:
            return f"Moved to {Stage(stage).label}"
        if (cleaned.get("goals") or "").strip() != self.plan.goals:
            return "Updated your goals with you"
        return ""


class ExerciseSearchForm(forms.Form):
    """The plan builder's search of the exercise library (a GET form: its fields are the page's query)."""

    q = forms.CharField(
        label="Name, equipment or words",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": "Search with at most 100 characters."},
    )
    stage = forms.TypedChoiceField(
        label="Stage",
        choices=[("", "Any stage"), *Stage.choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a stage from the list (1 to 4), or any stage."},
    )
    compression = forms.ChoiceField(
        label="Compression (hip flexion)",
        choices=[("", "Any"), *((value, f"{label} hip flexion") for value, label in HipFlexion.choices)],
        required=False,
        error_messages={"invalid_choice": "Choose low, medium or high compression, or any."},
    )
    target = forms.ChoiceField(
        label="Works",
        choices=[("", "Any muscles"), *Target.choices],
        required=False,
        error_messages={"invalid_choice": "Choose the muscles from the list, or any."},
    )
    position = forms.ChoiceField(
        label="Body position",
        choices=[("", "Any position"), *BodyPosition.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a body position from the list, or any position."},
    )

    @classmethod
    def for_plan(cls, plan: RehabPlan, data) -> "ExerciseSearchForm":
        """Bound to `data` when it holds any of the search's fields; else the next stage's exercises are
        shown (the plan's own came with its template), or the last stage's for a plan at the last stage."""
        bound = data if any(name in data for name in cls.base_fields) else None
        return cls(bound, initial={"stage": min(plan.stage + 1, max(Stage.values))}, auto_id="search-%s")

    def filters(self) -> dict | None:
        """The selector's arguments, or None when a value is not one the search knows."""
        if not self.is_bound:
            return {
                "text": "",
                "stage": self.initial["stage"],
                "hip_flexion": "",
                "target": "",
                "position": "",
            }
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return {
            "text": data["q"].strip(),
            "stage": data["stage"],
            "hip_flexion": data["compression"],
            "target": data["target"],
            "position": data["position"],
        }

    def kept(self) -> list[tuple[str, str]]:
        """The search as name/value pairs, carried by the add forms so the results stay after an addition."""
        filters = self.filters() or {}
        values = {
            "q": filters.get("text", ""),
            "stage": filters.get("stage") or "",
            "compression": filters.get("hip_flexion", ""),
            "target": filters.get("target", ""),
            "position": filters.get("position", ""),
        }
        return [(name, str(value)) for name, value in values.items()]


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


class SessionPlayedForm(SessionRateForm):
    """The end of the exercise player: the exercises ticked as on Today (`done`, and `sets-<public id>` for
    each), whether it is an extra session, and how it went. The ranges are the services' to check."""

    day = forms.DateField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "The date of the session is missing or not a date.",
            "invalid": "The date of the session is missing or not a date.",
        },
    )
    extra = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, items: list[Prescription], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(item.public_id): item for item in items}
        self.fields["done"] = forms.MultipleChoiceField(
            choices=[(key, item.exercise.name) for key, item in self.items.items()],
            required=False,
            error_messages={"invalid_choice": "One of the exercises is not part of this session."},
        )
        for key, item in self.items.items():
            self.fields[f"sets-{key}"] = forms.IntegerField(
                required=False,
                error_messages={"invalid": f"{item.exercise.name}: sets done must be a whole number."},
            )

    def ticked(self) -> list[tuple[Prescription, int]]:
        """The exercises ticked, each with the sets done (all its sets when the number is left empty)."""
        ticked = []
        for key in self.cleaned_data["done"]:
            sets = self.cleaned_data.get(f"sets-{key}")
            ticked.append((self.items[key], self.items[key].sets if sets is None else sets))
        return ticked


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

    def reason_seed(self) -> str:
        return "Adjusted your pain limits after our review"

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
        self.stage = stage
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].error_messages["required"] = "Say why the patient is ready: they see it."
        if stage != 3:
            del self.fields["clinician_checks"]

    def reason_seed(self) -> str:
        return f"Ready to move on to stage {self.stage + 1}" if self.stage < max(Stage.values) else ""
