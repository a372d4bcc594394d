from django import forms

from accounts.two_factor import BACKUP_CODE, TOTP_CODE, normalise_code


def _code_field(*, autofocus: bool) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
    return forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows, or one of your backup codes.",
        widget=forms.TextInput(attrs={**attrs, "autofocus": True} if autofocus else attrs),
    )


class SignInCodeForm(forms.Form):
    """The second step of sign-in: a code from the authenticator app, or a backup code."""

    code = _code_field(autofocus=True)

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not (TOTP_CODE.fullmatch(code) or BACKUP_CODE.fullmatch(code)):
            raise forms.ValidationError(
                "Enter the 6 digits your authenticator app shows, or one of your 8-character backup codes."
            )
        return code


class AuthenticatorCodeForm(forms.Form):
    """Confirms a new authenticator: only the app's own code proves it was set up right."""

    code = forms.CharField(
        label="6-digit code from the app",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not TOTP_CODE.fullmatch(code):
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows for this portal.")
        return code


class TurnOffForm(SignInCodeForm):
    """Removing the second factor asks for a code, so a borrowed or stolen session cannot do it."""

    code = _code_field(autofocus=False)
