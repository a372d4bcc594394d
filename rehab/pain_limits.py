"""Pain limits in the library's patient texts.

Exercise cautions and stage summaries never state a pain score: they say ``{safe_max}`` and ``{alert_above}``,
and this module fills those in. Shown with a plan, they become that plan's own limits ("2/10"), so a patient
whose clinician set a lower limit never reads the default. Shown without a plan, they say that the care team
sets the limit, with the usual default in brackets.

Plain ``str.replace`` rather than ``str.format``: admins edit these texts, and a stray brace must not break
the page.
"""

from rehab.models import RehabPlan

SAFE_MAX = "{safe_max}"
ALERT_ABOVE = "{alert_above}"

WITHOUT_PLAN = {
    SAFE_MAX: "the safe limit your care team sets (often 3/10)",
    ALERT_ABOVE: "the limit your care team sets for easing off (often 5/10)",
}


def with_pain_limits(text: str, plan: RehabPlan | None) -> str:
    """`text` with its pain-limit placeholders filled in from `plan`, or in words when there is no plan."""
    if plan is None:
        values = WITHOUT_PLAN
    else:
        values = {SAFE_MAX: f"{plan.pain_safe_max}/10", ALERT_ABOVE: f"{plan.pain_alert_above}/10"}
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text
