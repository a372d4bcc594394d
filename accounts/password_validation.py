"""A password validator Django lacks: an upper bound, so that nobody sets a password the sign-in form (which
refuses longer ones before hashing them) would never accept."""

from django.core.exceptions import ValidationError

PASSWORD_MAX_LENGTH = 4096


class MaximumLengthValidator:
    def __init__(self, max_length: int = PASSWORD_MAX_LENGTH):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long: use at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password can have at most {self.max_length} characters."
