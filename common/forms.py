import contextlib
from collections.abc import Iterator

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError


class FieldsOnlyMixin:
    """The template writes the <form> tag and the buttons; crispy renders only the fields, so several forms
    can share one <form>."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.helper = FormHelper()
        self.helper.form_tag = False


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on the form that sent the data: next to each field it names that the form has,
    the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


@contextlib.contextmanager
def refusals_on(form: forms.BaseForm) -> Iterator[None]:
    """Inside the block, a service's ValidationError becomes the form's errors instead of an exception, so the
    page goes on to show the form again with them."""
    try:
        yield
    except ValidationError as error:
        add_service_errors(form, error)
