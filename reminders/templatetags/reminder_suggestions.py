"""`{% time_suggestions %}`: the reminder times the care team suggested, with accept and decline buttons, for
the signed-in patient's Reminders page (nothing for anyone else, or when nothing waits). One query.

    {% load reminder_suggestions %}
    {% time_suggestions %}
"""

from django import template

from reminders.services.clinicians import pending_suggestions_for

register = template.Library()


@register.inclusion_tag("reminders/_suggestions.html", takes_context=True)
def time_suggestions(context: template.Context) -> dict:
    user = context.get("user")
    found = pending_suggestions_for(user) if user is not None else {"pending_suggestions": []}
    return {**found, "csrf_token": context.get("csrf_token")}
