"""Form helpers for Django's admin that know no app."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class _SentChoiceField(forms.ModelChoiceField):
    """A row's choice of a model (its own id, or a foreign key), found among the choices that every row of its
    formset sent, which the formset reads in one query."""

    formset: "BatchedChoicesInlineFormSet"
    name_in_row: str

    def to_python(self, value: Any) -> models.Model | None:
        if value in self.empty_values:
            return None
        choice = self.formset.sent_choice(self, value)
        if choice is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return choice


class BatchedChoicesInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset whose rows look up their ids and foreign keys in one query per column.

    Django's own formset checks each row's hidden id, and each foreign key in it, with a query of its own: an
    N+1 on every save of a page with many rows, which the test suite's django-zeal refuses. The choices
    allowed are the same: those of each field's queryset.
    """

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if not form.is_bound:
            return
        for name, field in form.fields.items():
            if type(field) is forms.ModelChoiceField:
                # The same field, with its queryset, widget and messages; only the lookup changes.
                field.__class__ = _SentChoiceField
                sent_choice_field = cast(_SentChoiceField, field)
                sent_choice_field.formset = self
                sent_choice_field.name_in_row = name

    def sent_choice(self, field: _SentChoiceField, value: Any) -> models.Model | None:
        model = field.queryset.model  # type: ignore[union-attr]
        key_field = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
        try:
            key = key_field.to_python(value)
        except ValidationError:
            return None
        choices: dict[str, dict[Any, models.Model]] = self.__dict__.setdefault("_sent_choices", {})
        if field.name_in_row not in choices:
            choices[field.name_in_row] = self._choices_sent_for(field, key_field)
        return choices[field.name_in_row].get(key)

    def _choices_sent_for(self, field: _SentChoiceField, key_field: Any) -> dict[Any, models.Model]:
        keys = []
        for index in range(self.total_form_count()):
            sent = self.data.get(f"{self.add_prefix(index)}-{field.name_in_row}")
            if sent in field.empty_values:
                continue
            try:
                keys.append(key_field.to_python(sent))
            except ValidationError:
                continue
        rows = field.queryset.filter(**{f"{key_field.name}__in": keys})  # type: ignore[union-attr]
        return {getattr(row, key_field.attname): row for row in rows}
