from typing import Any

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms

from conditions import red_flags, selfcheck

YES_NO = [("yes", "Yes"), ("no", "No")]
PLEASE_ANSWER = {"required": "Please answer this question."}


class ConditionSearchForm(forms.Form):
    q = forms.CharField(
        label="Search the condition library",
        max_length=100,
        required=False,
        strip=True,
        error_messages={"max_length": "Please use at most %(limit_value)d characters."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "condition-search mb-4"
        self.helper.attrs = {"role": "search"}
        self.helper.add_input(Submit("", "Search", css_class="btn-primary"))
        self.fields["q"].widget.attrs["placeholder"] = "For example: sitting, sciatica, tendonitis"


def _yes_or_no(question: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=question, choices=YES_NO, widget=forms.RadioSelect, error_messages=PLEASE_ANSWER
    )


class SelfCheckForm(forms.Form):
    """The questions of the hamstring self-check: a yes-or-no question for each red flag of the one screen
    (`conditions.red_flags`, named by its code, asked first), then five about the pain. Every one must be
    answered."""

    pain_location = forms.ChoiceField(
        label="Where is the pain worst?",
        choices=[(key, label) for key, (label, _) in selfcheck.PAIN_LOCATIONS.items()],
        widget=forms.RadioSelect,
        error_messages=PLEASE_ANSWER,
    )
    sudden_start = _yes_or_no(
        "Did the pain begin with one sudden movement, such as a sprint, a kick or a slip?"
    )
    aggravators = forms.MultipleChoiceField(
        label="Which of these make it worse? Tick all that apply.",
        choices=list(selfcheck.AGGRAVATORS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Please tick at least one answer, or “None of these”."},
    )
    duration = forms.ChoiceField(
        label="How long have you had this pain?",
        choices=list(selfcheck.DURATIONS.items()),
        widget=forms.RadioSelect,
        error_messages=PLEASE_ANSWER,
    )
    impact = forms.ChoiceField(
        label="How much does it limit your sleep, work and sport?",
        choices=list(selfcheck.IMPACTS.items()),
        widget=forms.RadioSelect,
        error_messages=PLEASE_ANSWER,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions = {flag.code: _yes_or_no(flag.question) for flag in red_flags.RED_FLAGS}
        self.fields = {**questions, **self.fields}
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_class = "self-check-form"
        self.helper.layout = Layout(
            Fieldset(
                "Signs that need checking",
                *[InlineRadios(code) for code in red_flags.RED_FLAG_CODES],
            ),
            Fieldset(
                "About your pain",
                "pain_location",
                InlineRadios("sudden_start"),
                "aggravators",
                "duration",
                "impact",
            ),
        )
        self.helper.add_input(Submit("", "See my result", css_class="btn-primary btn-lg"))

    def clean_aggravators(self) -> list[str]:
        chosen = self.cleaned_data["aggravators"]
        if "none" in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                "Choose “None of these” on its own, or only the activities that hurt."
            )
        return chosen

    def answers(self) -> dict[str, Any]:
        """The validated answers in the shape `selfcheck.assess` expects."""
        data = self.cleaned_data
        return {
            **{code: data[code] == "yes" for code in red_flags.RED_FLAG_CODES},
            "pain_location": data["pain_location"],
            "sudden_start": data["sudden_start"] == "yes",
            "aggravators": list(data["aggravators"]),
            "duration": data["duration"],
            "impact": data["impact"],
        }


NONE_OF_THESE = "none"


class RedFlagChecklistForm(forms.Form):
    """The red-flag screen as one short checklist, for the weekly check and the start of a flare-up: tick
    each sign that is new, or "none of these". One of the two is required, so an empty form is never read as
    "no red flags"."""

    signs = forms.MultipleChoiceField(
        label="Tick each of these that is true for you now, or “None of these”.",
        choices=[
            *((flag.code, flag.question) for flag in red_flags.RED_FLAGS),
            (NONE_OF_THESE, "None of these"),
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick the signs that are true for you, or “None of these”."},
    )

    def clean_signs(self) -> list[str]:
        chosen = self.cleaned_data["signs"]
        if NONE_OF_THESE in chosen and len(chosen) > 1:
            raise forms.ValidationError("Choose “None of these” on its own, or only the signs that are true.")
        return chosen

    def answers(self) -> dict[str, bool]:
        """Every question of the screen answered yes or no, as `red_flags.flags_answered_yes` expects."""
        chosen = set(self.cleaned_data["signs"])
        return {code: code in chosen for code in red_flags.RED_FLAG_CODES}
