"""Rendered pieces of the patient's daily pages (Today and My progress), kept in memory by their inputs.

Each piece here is a pure function of what its key holds, and the key holds all of it: a change to any input
(a new session, a check-in, a new limit, another day) makes a new key, so nothing can be served stale. Only
markup is kept, in this process, and the least recently used pieces are dropped first.
"""

import datetime
import hashlib
import pickle

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from common.recent import RecentMarkup
from rehab import selectors
from rehab.models import RehabPlan

# A six-month progress page is about 100 kB, so a few dozen of them.
_charts = RecentMarkup(48)
# A scale or the weekly checklist with nothing chosen: a handful of them in all.
_blank_forms = RecentMarkup(32)


def progress_charts(plan: RehabPlan, today: datetime.date) -> SafeString:
    """The "Along the way" list and the four charts of `selectors.progress_of`, as markup.

    The plan's history is read every time (one query); the charts are drawn from it only when that history,
    the plan's start and limits, the patient's time zone or today differ from a page drawn before."""
    history = selectors.progress_history(plan, today)
    inputs = (
        today,
        plan.start_date,
        plan.pain_safe_max,
        plan.pain_alert_above,
        plan.patient.time_zone,
        sorted((kind, rows) for kind, rows in history.items()),
    )
    key = hashlib.blake2b(pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL), digest_size=20).digest()
    return _charts.get_or_render(
        key,
        lambda: render_to_string(
            "rehab/_progress_charts.html", {"progress": selectors.progress_of(plan, today, history=history)}
        ),
    )


def scale(field, label: str, low: str, high: str, prefix: str) -> SafeString:
    """A 0-10 scale of rehab/_scale.html for a form's field; one with nothing chosen and no error is kept."""
    name, value, errors = field.html_name, field.value(), field.errors
    context = {
        "name": name,
        "label": label,
        "low": low,
        "high": high,
        "prefix": prefix,
        "value": value,
        "errors": errors,
        "scale": range(11),
    }
    if value not in (None, "") or errors:
        return render_to_string("rehab/_scale.html", context)
    return _blank_forms.get_or_render(
        ("scale", name, label, low, high, prefix), lambda: render_to_string("rehab/_scale.html", context)
    )


def red_flag_checklist(form, legend: str) -> SafeString:
    """conditions/_red_flag_checklist.html for a RedFlagChecklistForm; an unanswered one is kept."""
    context = {"form": form, "legend": legend}
    if form.is_bound:
        return render_to_string("conditions/_red_flag_checklist.html", context)
    field = form.fields["signs"]
    key = ("red_flags", type(form), form.prefix, form.auto_id, legend, field.label, tuple(field.choices))
    return _blank_forms.get_or_render(
        key, lambda: render_to_string("conditions/_red_flag_checklist.html", context)
    )
