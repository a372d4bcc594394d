import uuid
from collections.abc import Callable, Iterable

from django.urls import reverse


def reverse_each(
    name: str, stand_in: object, *, args: Iterable = (), kwargs: dict | None = None
) -> Callable[[object], str]:
    """The address `reverse(name, ...)` gives for any value in place of `stand_in`, at the cost of one
    reverse: a page of many rows would otherwise reverse once per row. `stand_in` is one of `args` or
    `kwargs`, a value found nowhere else in the address (an id needs no quoting, so a row's goes in as is)."""
    address = reverse(name, args=list(args), kwargs=kwargs)
    before, found, after = address.partition(str(stand_in))
    if not found or str(stand_in) in after:
        raise ValueError(f"{stand_in!r} is not once in {address!r}")
    return lambda value: f"{before}{value}{after}"


def url_with_public_id(name: str) -> Callable[[uuid.UUID], str]:
    """`reverse(name, args=[public_id])` for every row of a page at the cost of one `reverse`."""
    placeholder = uuid.UUID(int=0)
    return reverse_each(name, placeholder, args=[placeholder])
