"""crispy's markup of a blank form is kept by everything it shows; anything else is drawn every time."""

from django import forms
from django.template import Context, Template

from common.forms import FieldsOnlyMixin, crispy_markup


class LimitsForm(FieldsOnlyMixin, forms.Form):
    safe = forms.IntegerField(label="Safe pain, up to", min_value=0, max_value=9)
    reason = forms.CharField(max_length=500, required=False, help_text="The patient sees this.")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


def crispy_tag(form) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def test_a_blank_form_is_drawn_as_the_crispy_tag_draws_it_and_kept():
    form = LimitsForm(initial={"safe": 3, "version": 7})
    first = crispy_markup(form)
    assert first == crispy_tag(form)
    assert 'name="safe" value="3"' in first and 'name="version" value="7"' in first
    assert crispy_markup(LimitsForm(initial={"safe": 3, "version": 7})) is first


def test_another_initial_value_or_requirement_is_a_new_drawing():
    kept = crispy_markup(LimitsForm(initial={"safe": 3, "version": 7}))
    four = LimitsForm(initial={"safe": 4, "version": 7})
    assert 'value="4"' in crispy_markup(four)
    assert crispy_markup(four) == crispy_tag(four)
    required = LimitsForm(initial={"safe": 3, "version": 7}, reason_required=True)
    assert crispy_markup(required) != kept
    assert crispy_markup(required) == crispy_tag(required)


def test_a_sent_form_shows_its_own_values_and_errors():
    crispy_markup(LimitsForm(initial={"safe": 3, "version": 7}))
    sent = LimitsForm({"safe": "12", "version": "7"}, initial={"safe": 3, "version": 7})
    assert not sent.is_valid()
    markup = crispy_markup(sent)
    assert 'value="12"' in markup and "less than or equal to 9" in markup
    assert markup == crispy_tag(sent)
