import functools
import uuid
from collections.abc import Callable, Iterable

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def address(name: str, *args: object) -> str:
    """`reverse(name, args=args)`, worked out once per process for each name and arguments: an address
    changes only with the URL configuration and the script prefix, which are part of the key. Every page
    links to a few dozen addresses (the menu, the footer, its forms), at some 30 µs a `reverse`."""
    return _address(get_urlconf(), get_script_prefix(), name, tuple(str(arg) for arg in args))


@functools.lru_cache(maxsize=4096)
def _address(urlconf: str | None, prefix: str, name: str, args: tuple[str, ...]) -> str:
    return reverse(name, urlconf=urlconf, args=args)


@receiver(setting_changed)
def _forget_addresses(*, setting: str, **kwargs) -> None:
    """A test that swaps ROOT_URLCONF changes what the default URL configuration (None) means."""
    if setting == "ROOT_URLCONF":
        _address.cache_clear()


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
