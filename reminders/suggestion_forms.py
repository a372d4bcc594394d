"""The clinician's "suggest reminder times" form: up to six rows of a time of day and its weekdays, and a
note to the patient. The service (`services.clinicians.time_suggestion_create`) checks the whole suggestion
again, so the form's checks are for telling the clinician what to fix."""

from typing import cast

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import Layout
from django import forms

from common.forms import FieldsOnlyMixin
from reminders.forms import weekdays_field
from reminders.models import WEEKDAY_NAMES, WEEKDAYS
from reminders.services.clinicians import MAX_SUGGESTED_TIMES, NOTE_MAX_LENGTH

TIME_FORMAT = "%H:%M"


class SuggestedTimeForm(FieldsOnlyMixin, forms.Form):
    time = forms.TimeField(
        label="Time of day",
        input_formats=[TIME_FORMAT],
        widget=forms.TimeInput(attrs={"type": "time", "step": 60}, format=TIME_FORMAT),
        error_messages={
            "required": "Give a time, such as 08:00.",
            "invalid": "Give a time as hours and minutes, such as 08:00.",
        },
    )
    weekdays = weekdays_field(WEEKDAY_NAMES)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"weekdays": list(WEEKDAYS)})
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout("time", InlineCheckboxes("weekdays"))
        self.helper.disable_csrf = True  # the one <form> around every row has the token

    def clean_time(self):
        at = self.cleaned_data["time"]
        return at.replace(second=0, microsecond=0)


class BaseSuggestedTimeFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            at = form.cleaned_data.get("time") if form.has_changed() else None
            if at is None:
                continue
            if at in seen:
                raise forms.ValidationError(f"{at:%H:%M} is given twice; suggest each time of day once.")
            seen.add(at)

    def suggested_times(self) -> list[dict]:
        return [
            {"time": form.cleaned_data["time"], "weekdays": form.cleaned_data["weekdays"]}
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


SuggestedTimeFormSet = forms.formset_factory(
    SuggestedTimeForm,
    formset=BaseSuggestedTimeFormSet,
    extra=2,
    min_num=1,
    max_num=MAX_SUGGESTED_TIMES,
    absolute_max=MAX_SUGGESTED_TIMES,
    validate_min=True,
    validate_max=True,
)


class SuggestionNoteForm(FieldsOnlyMixin, forms.Form):
    note = forms.CharField(
        label="A note to the patient (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why these times, in a sentence. The patient sees it with the suggestion.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True


def suggestion_forms(data=None) -> tuple[BaseSuggestedTimeFormSet, SuggestionNoteForm]:
    """The two parts of the suggestion form, bound to `data` when given."""
    times = cast(BaseSuggestedTimeFormSet, SuggestedTimeFormSet(data, prefix="times"))
    return times, SuggestionNoteForm(data, prefix="suggestion")
