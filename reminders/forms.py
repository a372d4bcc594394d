"""The Reminders page's questions. Each form checks what a person typed; the services in
`services/preferences.py` hold the rules that need the database (how many times, duplicates, SMS)."""

import datetime

from django import forms

from reminders.models import WEEKDAYS
from reminders.services.preferences import SETTINGS_FIELDS, Snooze, sms_enabled

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIME_FORMAT = "%H:%M"


class TiedErrorsMixin:
    """Inputs carry Bootstrap's classes, and after validation each input with an error names its message
    (aria-describedby), so a screen reader reads the problem with the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-control")

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            bound = self[name]  # type: ignore[index]
            widget = self.fields[name].widget  # type: ignore[attr-defined]
            described = [f"{bound.auto_id}-error"]
            if bound.help_text:
                described.append(f"{bound.auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(described)
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def _time_field(label: str, *, required: bool = True, help_text: str = "") -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[TIME_FORMAT],
        widget=forms.TimeInput(attrs={"type": "time", "step": 60}, format=TIME_FORMAT),
        error_messages={
            "required": f"{label}: give a time, such as 08:00.",
            "invalid": f"{label}: give a time as hours and minutes, such as 08:00.",
        },
    )


class SettingsForm(TiedErrorsMixin, forms.Form):
    """What to be reminded about, how, and when to be left alone."""

    exercise_on = forms.BooleanField(label="Time for my exercises", required=False)
    check_in_on = forms.BooleanField(
        label="The morning check-in, after a session that hurt more than it should", required=False
    )
    questionnaire_on = forms.BooleanField(label="A questionnaire is due", required=False)
    nudge_on = forms.BooleanField(label="One evening nudge if I have logged nothing that day", required=False)
    nudge_time = _time_field("Evening nudge at")
    plan_changed_on = forms.BooleanField(label="My clinician has changed my plan", required=False)
    in_app = forms.BooleanField(label="In the portal (the bell at the top)", required=False)
    email = forms.BooleanField(label="Email", required=False)
    sms = forms.BooleanField(label="Text message", required=False)
    sms_number = forms.CharField(
        label="Mobile number",
        required=False,
        max_length=16,
        help_text="In international form, starting with + and the country code, such as +447700900123.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    quiet_start = _time_field("Quiet from", required=False)
    quiet_end = _time_field("Quiet until", required=False)

    KINDS = ("exercise_on", "check_in_on", "questionnaire_on", "nudge_on", "plan_changed_on")
    CHANNELS = ("in_app", "email", "sms")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sms_offered = sms_enabled()
        if not self.sms_offered:
            del self.fields["sms"]
            del self.fields["sms_number"]

    def clean_sms_number(self) -> str:
        return "".join(self.cleaned_data.get("sms_number", "").split())

    def clean(self):
        cleaned = super().clean() or {}
        if any(cleaned.get(kind) for kind in self.KINDS) and not any(
            cleaned.get(channel) for channel in self.CHANNELS
        ):
            self.add_error(
                "in_app",
                "Choose at least one way to reach you. To stop reminders for a while, pause them instead.",
            )
        if cleaned.get("sms") and not cleaned.get("sms_number") and "sms_number" not in self.errors:
            self.add_error("sms_number", "Give your mobile number for text messages, or untick them.")
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if "quiet_start" not in self.errors and "quiet_end" not in self.errors:
            if (start is None) != (end is None):
                missing = "quiet_end" if end is None else "quiet_start"
                self.add_error(missing, "Give both ends of the quiet hours, or leave both empty.")
            elif start is not None and start == end:
                self.add_error(
                    "quiet_end", "The quiet hours must end at a different time from when they start."
                )
        return cleaned

    def changes(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name in SETTINGS_FIELDS}

    def kind_fields(self):
        return [self[name] for name in self.KINDS]

    def channel_fields(self):
        return [self[name] for name in self.CHANNELS if name in self.fields]


def weekdays_field(names: tuple[str, ...] = DAY_NAMES) -> forms.TypedMultipleChoiceField:
    """The days of the week a reminder time repeats on, as Monday 0 to Sunday 6."""
    return forms.TypedMultipleChoiceField(
        label="On these days",
        choices=list(zip(WEEKDAYS, names, strict=True)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one day of the week.",
            "invalid_choice": "Choose days of the week from the list.",
        },
    )


class TimeAddForm(TiedErrorsMixin, forms.Form):
    time = _time_field("Time of day")
    weekdays = weekdays_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"weekdays": list(WEEKDAYS)})
        super().__init__(*args, **kwargs)

    def weekday_options(self) -> list[tuple[int, str, bool]]:
        """(number, name, ticked) for each day, ticked as sent back or, at first, every day."""
        chosen = {str(day) for day in (self["weekdays"].value() or [])}
        return [(day, name, str(day) in chosen) for day, name in zip(WEEKDAYS, DAY_NAMES, strict=True)]


class PauseForm(TiedErrorsMixin, forms.Form):
    paused_until = forms.DateField(
        label="Pause every reminder up to and including",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Choose the last day of the pause.",
            "invalid": "Choose the last day of the pause as a date.",
        },
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if today is not None:
            self.fields["paused_until"].widget.attrs["min"] = today.isoformat()


class SnoozeForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[(Snooze.HOUR, "1 hour"), (Snooze.TOMORROW, "until tomorrow"), (Snooze.WEEK, "1 week")],
        error_messages={
            "required": "Choose how long to snooze for.",
            "invalid_choice": "Choose how long to snooze for: an hour, until tomorrow or a week.",
        },
    )

    def snooze(self) -> Snooze:
        return Snooze(self.cleaned_data["choice"])
