from django import template

from rehab.models import RehabPlan
from rehab.pain_limits import with_pain_limits

register = template.Library()


@register.filter
def with_limits(text: str, plan: RehabPlan | None) -> str:
    """`{{ caution|with_limits:plan }}`: a library text with the plan's own pain limits written in."""
    return with_pain_limits(text, plan or None)
