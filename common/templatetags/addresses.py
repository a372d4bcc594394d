from django import template

from common.addresses import address

register = template.Library()


@register.simple_tag(name="address")
def address_tag(name: str, *args: object) -> str:
    """{% address 'rehab:today' %}: what {% url %} gives, reversed once per process (see `address`)."""
    return address(name, *args)
