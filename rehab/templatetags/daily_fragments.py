"""Tags for the pieces of Today that rehab/fragments.py keeps once rendered (the 0-10 scales and the weekly
red-flag checklist): the same markup as including their templates, without drawing it again each time."""

from django import template
from django.utils.safestring import SafeString

from rehab import fragments

register = template.Library()


@register.simple_tag
def scale(field, label: str, low: str, high: str, prefix: str) -> SafeString:
    """rehab/_scale.html for `field` (a bound 0-10 field), with ids that start with `prefix`."""
    return fragments.scale(field, label, low, high, prefix)


@register.simple_tag
def red_flag_checklist(form, legend: str) -> SafeString:
    """conditions/_red_flag_checklist.html for a RedFlagChecklistForm."""
    return fragments.red_flag_checklist(form, legend)
