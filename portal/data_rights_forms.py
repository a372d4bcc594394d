from django import forms

from accounts.models import CLOSURE_REASON_MAX_LENGTH, User
from accounts.password_validation import PASSWORD_MAX_LENGTH
from common.forms import FieldsOnlyMixin


class AccountCloseForm(FieldsOnlyMixin, forms.Form):
    """The patient confirms with their password, so an unattended signed-in phone cannot close the account."""

    confirm = forms.BooleanField(
        label="I understand that I will no longer be able to sign in, and that my records are kept.",
        error_messages={"required": "Tick the box to confirm that you want to close your account."},
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    reason = forms.CharField(
        label="Why you are leaving (optional)",
        required=False,
        max_length=CLOSURE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with your request for the clinic to read.",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
