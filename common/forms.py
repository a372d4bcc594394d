from crispy_forms.helper import FormHelper


class FieldsOnlyMixin:
    """The template writes the <form> tag and the buttons; crispy renders only the fields, so several forms
    can share one <form>."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.helper = FormHelper()
        self.helper.form_tag = False
