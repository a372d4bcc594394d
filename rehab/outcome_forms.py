"""The questionnaire pages' forms, one per kind, generated from the item tables in `rehab.outcomes`.

The forms own the questions and how crispy draws them; the rules for a scorable answer and their wording stay
with the scoring in `rehab.outcomes`, which `outcome_record` applies for every caller (the demo too). So the
fields take what was posted as it is, and `common.forms.add_service_errors` puts the service's complaints
back next to the answers they are about.
"""

from typing import ClassVar

from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.utils.html import format_html

from common.forms import FieldsOnlyMixin
from rehab import outcomes

# Said above every 0-10 item, because the scales do not all run the same way: on the VISA-H and the PSFS 0 is
# the worst answer, while on the pain rating (and on Today's pain scales) 0 is no pain.
HIGHER_IS_BETTER = (
    "Higher is better: 0 is the worst answer and 10 the best, the other way round from a pain score."
)
LOWER_IS_BETTER = "Lower is better: 0 means no pain and 10 the worst pain."


class ScaleField(forms.Field):
    """A whole number from 0 to 10, drawn as a row of large buttons (one Tab stop; arrow keys move along),
    with the scale's direction above it and what 0 and 10 mean at its two ends."""

    crispy_template = "rehab/_outcome_scale.html"
    numbers = range(11)

    def __init__(self, *, low: str, high: str, direction: str, **kwargs):
        super().__init__(required=False, **kwargs)
        self.low = low  # what 0 means
        self.high = high  # what 10 means
        self.direction = direction


class AnswerChoiceField(forms.Field):
    """One of a question's answers, drawn as a list of radio buttons."""

    crispy_template = "rehab/_outcome_choice.html"

    def __init__(self, *, choices: list[tuple[str, str, int]], **kwargs):
        super().__init__(required=False, **kwargs)
        self.choices = [(value, label) for value, label, _points in choices]


class ActivityField(forms.CharField):
    """A PSFS activity in the patient's words. One named in an earlier PSFS is `disabled`: the page shows it
    as text and Django keeps its initial value whatever is posted."""

    crispy_template = "rehab/_outcome_text.html"

    def __init__(self, **kwargs):
        super().__init__(required=False, widget=forms.TextInput(attrs={"maxlength": 100}), **kwargs)


Question = ScaleField | AnswerChoiceField | ActivityField


def _drawn(name: str, question: Question) -> Field:
    return Field(name, template=question.crispy_template)


class OutcomeForm(FieldsOnlyMixin, forms.Form):
    kind: ClassVar[str]
    scale_id_prefix: ClassVar[str]  # keeps the scales' ids apart from other forms' on a page

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        questions = self.questions()
        self.fields.update(questions)
        self.helper.disable_csrf = True  # the page writes the token with its <form> tag
        self.helper.form_show_errors = False  # the page lists every problem above the form
        self.helper.layout = self.layout(questions)

    def questions(self) -> dict[str, Question]:
        """The fields, in the order the page asks them, named as the scoring names the answers."""
        raise NotImplementedError

    def layout(self, questions: dict[str, Question]) -> Layout:
        return Layout(*(_drawn(name, question) for name, question in questions.items()))

    def answers(self) -> dict:
        """The answers as `outcome_record` takes them for this kind."""
        return dict(self.cleaned_data)


class VisaHForm(OutcomeForm):
    kind = outcomes.OutcomeKind.VISA_H
    scale_id_prefix = "visa"

    def questions(self) -> dict[str, Question]:
        questions: dict[str, Question] = {}
        for number, item in enumerate(outcomes.VISA_H_SCALE_ITEMS, start=1):
            questions[item.key] = ScaleField(
                label=f"{number}. {item.text}", low=item.low, high=item.high, direction=HIGHER_IS_BETTER
            )
        for number, choice_item in ((7, outcomes.VISA_H_ACTIVITY), (8, outcomes.VISA_H_DURATION)):
            questions[choice_item.key] = AnswerChoiceField(
                label=f"{number}. {choice_item.text}", choices=choice_item.choices
            )
        return questions


PSFS_ROWS = range(1, outcomes.PSFS_MAX_ACTIVITIES + 1)


class PsfsForm(OutcomeForm):
    """Five rows of an activity and how well it goes; the scoring ignores the rows left empty.

    `earlier`: the activities of the patient's previous PSFS. They fill the first rows, in their order, and
    cannot be changed there; the rows after them take new activities.
    """

    kind = outcomes.OutcomeKind.PSFS
    scale_id_prefix = "psfs"

    def __init__(self, *args, earlier: list[str] | tuple[str, ...] = (), **kwargs):
        self.earlier = list(earlier)[: outcomes.PSFS_MAX_ACTIVITIES]
        super().__init__(*args, **kwargs)

    def questions(self) -> dict[str, Question]:
        questions: dict[str, Question] = {}
        for n in PSFS_ROWS:
            kept = self._kept(n)
            questions[f"activity_{n}"] = ActivityField(
                label="What is the activity?", disabled=kept is not None, initial=kept
            )
            questions[f"rating_{n}"] = ScaleField(
                label="How well can you do it today?",
                low="I cannot do it at all",
                high="as well as before the problem",
                direction=HIGHER_IS_BETTER,
            )
        return questions

    def _kept(self, n: int) -> str | None:
        """The earlier activity row `n` keeps, if any."""
        return self.earlier[n - 1] if n <= len(self.earlier) else None

    def layout(self, questions: dict[str, Question]) -> Layout:
        return Layout(*(self._row(n, questions) for n in PSFS_ROWS))

    def _row(self, n: int, questions: dict[str, Question]) -> Fieldset:
        kept = self._kept(n)
        legend: str
        if kept is not None:
            legend = format_html("Activity {}: {}", n, kept)
        elif n > max(outcomes.PSFS_MIN_ACTIVITIES, len(self.earlier)):
            legend = format_html(
                'Activity {} <span class="fw-normal text-body-secondary">(optional)</span>', n
            )
        else:
            legend = f"Activity {n}"
        names = (f"activity_{n}", f"rating_{n}")
        return Fieldset(
            legend,
            *(_drawn(name, questions[name]) for name in names),
            css_class="card card-body mb-3",
            template="rehab/_outcome_fieldset.html",
        )

    def answers(self) -> dict:
        data = self.cleaned_data
        return {"activities": [(data[f"activity_{n}"], data[f"rating_{n}"]) for n in PSFS_ROWS]}


class PainRatingForm(OutcomeForm):
    kind = outcomes.OutcomeKind.PAIN_RATING
    scale_id_prefix = "pain"

    def questions(self) -> dict[str, Question]:
        return {
            "rating": ScaleField(
                label="Average pain over the last week",
                low="no pain",
                high="worst pain imaginable",
                direction=LOWER_IS_BETTER,
            )
        }


FORMS: dict[str, type[OutcomeForm]] = {form.kind: form for form in (VisaHForm, PsfsForm, PainRatingForm)}
