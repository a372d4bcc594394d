from django import forms

from accounts.models import ClinicianProfile, PatientProfile, User, time_zone_names
from common.forms import FieldsOnlyMixin


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


class _FieldsOnly(FieldsOnlyMixin, forms.ModelForm):
    pass


class AccountDetailsForm(_FieldsOnly):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices, help_text="Reminders and dates are shown in this time zone."
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "time_zone"]


class PatientDetailsForm(_FieldsOnly):
    class Meta:
        model = PatientProfile
        fields = ["sport_or_occupation", "goals"]
        labels = {"sport_or_occupation": "Sport or occupation", "goals": "Your goals"}
        widgets = {"goals": forms.Textarea(attrs={"rows": 3})}


class ClinicianDetailsForm(_FieldsOnly):
    class Meta:
        model = ClinicianProfile
        fields = ["registration_number"]
