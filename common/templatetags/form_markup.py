from django import template
from django.utils.safestring import SafeString

from common.forms import crispy_markup

register = template.Library()


@register.filter(name="crispy_fields")
def crispy_fields_filter(form) -> SafeString:
    """{{ form|crispy_fields }}: what {% crispy form %} draws, kept for a blank form (see `crispy_markup`)."""
    return crispy_markup(form)
