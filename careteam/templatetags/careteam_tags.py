from django import template

from accounts.models import User
from careteam.selectors import open_alert_count

register = template.Library()


@register.simple_tag
def needs_attention_count(user: User) -> int:
    """Open alerts of the clinician's patients: one COUNT query, used on the home page only."""
    if not user.is_authenticated or not user.is_clinician:
        return 0
    return open_alert_count(user)
