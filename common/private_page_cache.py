"""Pages kept for one signed-in person, served again while nothing they show has changed.

A view names whose rows its page shows (`KeptPage`): always everyone's content (the library, names) and the
viewer's own rows (the bell, their settings), plus `among` (a queryset of user ids: the patient of a record)
or, with `of_followed`, everyone the viewer follows (a clinician's caseload, as one counter). Before drawing,
the digest of those people's change counters is read (one query, common/change_counters.py) and kept with
the page. A later request reads the digest again and gets the kept page only if it is the same. Every write
to a row the page shows, whoever makes it and however (the ORM, the admin, `update()`, SQL), changes a
counter in its own transaction, so a kept page is never behind the data: a red-flag hold, a new alert or a
logged session shows on the very next request.

The clock is the other input. The key holds the quarter hour of UTC (every time zone's date and hour turn
on a quarter hour), and a page is kept for settings.PRIVATE_PAGE_SECONDS (a minute), so what depends on the
time of day ("due now", an overdue check-in) is at most that far behind the clock.

Only a plain GET's 200 is kept: never a page with a message waiting, an htmx fragment, or a response that
sets a cookie or changed the session. The key holds the person, the address with its query, and a digest
of the CSRF secret, whose token the page's forms carry (signing in again starts a new secret). If the cache
cannot be reached, the page is drawn as usual.

A page behind a door (a patient's record) is kept with the door's decision, made when it was drawn: the
door reads the person's role and whether they are active (everyone's counter), the patient's care team
(the patient's counter) and today's date (the key), so while the digest and key stand the decision stands.
What must happen on every request still does: the audit rows of the patients shown, kept as the page's
`memo` and written again (accounts.audit.kept_and_audited).

One input is read before the counts: the signed-in person's own row, by the authentication middleware. It
is part of the key, as read, so a page drawn from it is only ever served to a request that read the same.
"""

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from common.change_counters import counts_of, digest_of, followed_by, shown_user_fields
from common.page_cache import is_plain_page

logger = logging.getLogger(__name__)

KEY_PREFIX = "private-page:"


@dataclasses.dataclass(frozen=True)
class Served:
    response: HttpResponse
    memo: Any


class KeptPage:
    """One request's use of a kept page. Create it first in the view, before anything the page shows is
    read (the access check included), so the page drawn is never older than the counts it is kept under:

        kept = KeptPage(request, among=record_owner(public_id))
        ...access check, audit...
        if (served := kept.served()) is not None:
            return served.response
        return kept.keep(render(...))

    `memo` is kept with the page and handed back on `served()`, for what the view must do again on every
    request, such as the audit rows of the patients a list shows. `of_followed=True` for a page about
    everyone the viewer follows (common/change_counters.py's `Following`: a clinician's caseload, whoever is
    on it today), read as one counter; the viewer's own counter counts a change of whom they follow.
    `worth_keeping=False` draws the page with nothing read or kept: for a page whose counters would cost
    more than they save."""

    def __init__(
        self,
        request: HttpRequest,
        *,
        among: QuerySet | None = None,
        of_followed: bool = False,
        query: tuple[str, ...] = (),
        worth_keeping: bool = True,
    ) -> None:
        self.request = request
        self.key = _key_for(request, query) if worth_keeping else None
        self.digest = ""
        if self.key is not None:
            user = request.user
            alongside = {name: expression_for(user) for name, expression_for in _read_alongside.items()}
            viewer = cast(int, user.pk)  # signed in (`_key_for`)
            people = (viewer, followed_by(viewer)) if of_followed else (viewer,)
            counts, values = counts_of(*people, among=among, alongside=alongside)
            self.digest = digest_of(counts)
            request.read_alongside = values  # type: ignore[attr-defined]

    def served(self) -> Served | None:
        if self.key is None or settings.PRIVATE_PAGE_SECONDS <= 0:
            return None
        kept = _read(self.key)
        if kept is None or kept[0] != self.digest:
            return None
        _, content, headers, memo = kept
        # The CSRF cookie is not sent again, as drawing the forms would: the request carries it, and the
        # page's tokens were masked from its secret, which is in the key. (Masking a new token cost a tenth
        # of serving a kept staff page.)
        return Served(HttpResponse(content, headers=headers), memo)

    def keep(self, response: HttpResponse, memo: Any = None) -> HttpResponse:
        if self.key is not None and is_plain_page(self.request, response):
            _write(self.key, (self.digest, response.content, dict(response.items()), memo))
        return response


def read_alongside(name: str, expression_for: Callable[[Any], RawSQL]) -> None:
    """Register a value every page shows around its own rows (the bell's unread count), read in the same
    query as the change counters by each page that is kept; the page drawn finds it in
    `request.read_alongside[name]`, or reads it itself when no counters were read. Called from ready()."""
    _read_alongside[name] = expression_for


_read_alongside: dict[str, Callable[[Any], RawSQL]] = {}


def _key_for(request: HttpRequest, query: tuple[str, ...]) -> str | None:
    """The key of this person's page at this address, or None when the request may not use a kept page.

    Only addresses whose query parameters are all in `query` (those the view reads) are kept, so made-up
    parameters cannot fill the cache. The person's own row is in the key as the middleware read it: it was
    read before the counters, and the page (its name, zone, and the door's decision from its role and
    active flag) is drawn from it."""
    user = getattr(request, "user", None)
    csrf_secret = request.META.get("CSRF_COOKIE")
    if (
        request.method != "GET"
        or user is None
        or not user.is_authenticated
        or not csrf_secret
        or request.headers.get("HX-Request")
        or any(name not in query for name in request.GET)
        # A message is shown by the next page drawn, so that page is drawn.
        or len(messages.get_messages(request))
    ):
        return None
    now = timezone.now()
    quarter = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    shown = [getattr(user, field.attname) for field in shown_user_fields(user)]
    parts = f"{request.get_full_path()}\n{csrf_secret}\n{quarter.isoformat()}\n{shown!r}"
    return f"{KEY_PREFIX}{user.pk}:{hashlib.sha256(parts.encode()).hexdigest()}"


def _read(key: str) -> tuple | None:
    try:
        return cache.get(key)
    except Exception:  # the cache is an optimisation: without it the page is drawn as usual
        logger.warning("Private page cache unavailable; drawing the page", exc_info=True)
        return None


def _write(key: str, kept: tuple) -> None:
    try:
        cache.set(key, kept, settings.PRIVATE_PAGE_SECONDS)
    except Exception:
        logger.warning("Private page cache unavailable; page not kept", exc_info=True)
