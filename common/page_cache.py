"""Whole public pages for visitors who are not signed in, kept in the cache (Redis in production).

A view opts in with `@cache_public_page(query=(...))`, naming the query parameters it reads. A page is kept
only when everyone who is not signed in would get exactly the same bytes:

- the request is a GET from a visitor who is not signed in and has no message waiting to be shown;
- the response is a plain 200 that sets no cookie, asked for no CSRF token (a POST form carries one, so a
  page with one is never kept), did not change the session and is not marked private or no-store.

A signed-in person never reads the cache and never fills it, so nobody gets a page drawn for someone else.
Everything the middleware adds (security headers, Content-Security-Policy, Vary) is added to a cached page
as to any other: only the view's own response is kept. The policy has no per-request nonce, so nothing in
the kept bytes goes stale.

Editing what public pages show (the models in settings.PUBLIC_PAGE_SOURCES, such as condition articles)
bumps one version token; pages kept under an older token are never served again and expire on their own.
Pages also expire after PAGE_SECONDS. If the cache cannot be reached the page is simply drawn as usual.
"""

import functools
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PAGE_SECONDS = 60 * 15
VERSION_KEY = "public-page:version"
KEY_PREFIX = "public-page:"

View = Callable[..., HttpResponse]


def cache_public_page(*, query: Iterable[str] = ()) -> Callable[[View], View]:
    """Serve the view's page from the cache to visitors who are not signed in. `query` names the query
    parameters that change the page; any others are ignored, so `?utm_source=...` shares the plain page."""
    params = tuple(query)

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _may_share(request):
                return view(request, *args, **kwargs)
            key = page_key(request, params)
            version, kept = _read(key)
            if version is not None and kept is not None and kept[0] == version:
                return _response_from(kept)
            response = view(request, *args, **kwargs)
            if version is not None and _is_shareable(request, response):
                _write(key, (version, response.content, dict(response.items())))
            return response

        return wrapper

    return decorator


def page_key(request: HttpRequest, params: Iterable[str]) -> str:
    """The path and the values of the named parameters, hashed (a key holds no visitor's search words)."""
    query = urlencode([(name, value) for name in params for value in request.GET.getlist(name)])
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return KEY_PREFIX + digest


def public_pages_changed() -> None:
    """Forget every kept page: now, and again once the transaction that made the change commits, so a page
    drawn from the old rows in between is not kept under the new token."""
    _new_version()
    transaction.on_commit(_new_version)


def connect_invalidation() -> None:
    """Edits to the models named in settings.PUBLIC_PAGE_SOURCES forget the kept pages. Called once from
    CommonConfig.ready()."""
    for label in getattr(settings, "PUBLIC_PAGE_SOURCES", ()):
        model = apps.get_model(label)
        post_save.connect(_on_change, sender=model, dispatch_uid=f"public-page-save:{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"public-page-delete:{label}")


def _on_change(sender, **kwargs) -> None:
    public_pages_changed()


def _may_share(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if request.method != "GET" or user is None or user.is_authenticated:
        return False
    # A message (such as "You were signed out") is shown by the next page drawn, so that page is drawn.
    return not len(messages.get_messages(request))


def is_plain_page(request: HttpRequest, response: HttpResponse) -> bool:
    """A plain 200, drawn whole, that sets no cookie and did not change the session: what a cache may keep
    (here for everyone, and in common/private_page_cache.py for one person)."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and getattr(response, "is_rendered", True)  # a TemplateResponse is rendered later, not kept
        and not response.cookies
        and not (session is not None and session.modified)
    )


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        is_plain_page(request, response)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _response_from(kept: tuple) -> HttpResponse:
    _, content, headers = kept
    return HttpResponse(content, headers=headers)


def _read(key: str) -> tuple[str | None, tuple | None]:
    """The current version token and the kept page, in one round trip; (None, None) when the cache fails."""
    try:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
        return version, found.get(key)
    except Exception:  # the cache is an optimisation: without it the page is drawn as usual
        logger.warning("Public page cache unavailable; drawing the page", exc_info=True)
        return None, None


def _write(key: str, kept: tuple) -> None:
    try:
        cache.set(key, kept, PAGE_SECONDS)
    except Exception:
        logger.warning("Public page cache unavailable; page not kept", exc_info=True)


def _new_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # Without the token the cache cannot be read either (`_read` fails the same way); once it is back,
        # pages expire within PAGE_SECONDS.
        logger.error("Public page cache unavailable; could not forget the kept pages", exc_info=True)
