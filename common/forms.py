import contextlib
from collections.abc import Iterable, Iterator
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.utils import render_crispy_form
from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString

from common.recent import RecentMarkup


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


def written_value(field: forms.Field, value) -> Any:
    """`value` as `field`'s widget writes it into the page: a string, or a list of strings for a widget of
    several choices; "" for nothing."""
    formatted = field.widget.format_value(field.prepare_value(value))
    return "" if formatted is None else formatted


def plain_field(
    field: forms.Field,
    *,
    name: str,
    label: str,
    value,
    errors=(),
    auto_id: str = "id_%s",
    choices: Iterable[tuple[Any, str]] | None = None,
) -> dict:
    """What a template needs to draw `field` as plain HTML, as crispy draws it but at a fraction of the cost,
    for pages with many forms: its id and name, label, value as its widget writes it (a list of strings for
    a widget of several choices), errors, help text and `aria-describedby`, the widget's attributes, and its
    choices (`options`) with the ones chosen marked. `value` is the value as the bound field gives it.
    `choices` stand in for the field's own when the caller already holds them: a ModelChoiceField would
    query its queryset again to list them."""
    widget = field.widget
    kind = getattr(widget, "input_type", "textarea")  # "text", "number", "select"...: a Textarea has none
    field_id = auto_id % name
    formatted = written_value(field, value)
    described = [f"{field_id}_helptext"] if field.help_text else []
    if errors:
        described.append(f"{field_id}_error")
    plain = {
        **widget.attrs,
        "id": field_id,
        "name": name,
        "label": label,
        "required": field.required,
        "required_attribute": field.required and widget.use_required_attribute(value),
        "type": kind,
        "value": formatted,
        "errors": list(errors),
        "help": field.help_text,
        "describedby": " ".join(described),
    }
    if isinstance(field, forms.ChoiceField):
        chosen = set(formatted)
        plain["options"] = [
            {"id": f"{field_id}_{index}", "value": str(key), "label": label, "chosen": str(key) in chosen}
            for index, (key, label) in enumerate(
                cast(Iterable[tuple[Any, str]], field.choices) if choices is None else choices
            )
        ]
    return plain


def plain_fields_of(
    form: forms.BaseForm, *, choices: dict[str, Iterable[tuple[Any, str]]] | None = None
) -> dict[str, dict]:
    """`plain_field` for each field of `form`, by name, with its values and errors (its `auto_id` is a
    format with `%s`, as Django's default is). `choices` by field name stand in for those fields' own."""
    return {
        name: plain_field(
            bound.field,
            name=bound.html_name,
            label=str(bound.label),
            value=bound.value(),
            errors=bound.errors,
            auto_id=str(form.auto_id),
            choices=(choices or {}).get(name),
        )
        for name, bound in ((name, form[name]) for name in form.fields)
    }


# Blank forms drawn by crispy: a few per page kind, a few dozen kinds.
_blank_crispy_forms = RecentMarkup(64)


def crispy_markup(form: forms.BaseForm) -> SafeString:
    """What `{% crispy form %}` draws for a form of `FieldsOnlyMixin` (its fields, no <form> tag), kept for
    an unbound form with no layout of its own: its markup is then a pure function of the form's class, prefix
    and ids and of what each field shows (label, required, help, widget and its attributes, choices, initial
    value) and of its crispy helper, which is the key. A bound form, one with a layout, or one whose choices
    come from the database is drawn every time."""
    helper = getattr(form, "helper", None)
    if (
        form.is_bound
        or helper is None
        or helper.layout is not None
        or any(isinstance(field, forms.ModelChoiceField) for field in form.fields.values())
    ):
        return render_crispy_form(form)
    key = (
        type(form),
        form.prefix,
        form.auto_id,
        repr(sorted(vars(helper).items())),
        tuple(
            (
                name,
                type(field),
                str(field.label),
                field.required,
                field.disabled,
                str(field.help_text),
                type(field.widget),
                getattr(field.widget, "input_type", None),
                repr(field.widget.attrs),
                repr(list(getattr(field, "choices", ()))),
                repr(form[name].value()),
            )
            for name, field in form.fields.items()
        ),
    )
    return _blank_crispy_forms.get_or_render(key, lambda: SafeString(render_crispy_form(form)))
