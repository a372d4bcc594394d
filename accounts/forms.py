from typing import cast

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from accounts.models import ClinicianProfile, PatientProfile, User, time_zone_names
from accounts.password_validation import PASSWORD_MAX_LENGTH
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


# Long enough for any passphrase or password manager, short enough that nobody makes the server hash megabytes


class BoundedCredentialsMixin:
    """Refuse an over-long email address or password before `authenticate()` runs.

    Django's AuthenticationForm gives the email field a max_length but no validator, so any length reached
    the database: on SQLite a case-insensitive match with a pattern over 50,000 characters is an error, a 500.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        username = cast(forms.CharField, self.fields["username"])  # AuthenticationForm set its max_length
        username.validators.append(MaxLengthValidator(username.max_length))
        password = self.fields["password"]
        password.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
        password.widget.attrs["maxlength"] = PASSWORD_MAX_LENGTH


class LoginForm(BoundedCredentialsMixin, AuthenticationForm):
    pass


class AdminLoginForm(BoundedCredentialsMixin, AdminAuthenticationForm):
    pass
