"""The navbar bell's unread count, for every signed-in person.

The count is lazy: one COUNT query the first time a template reads `bell.unread`, none on pages that never
show the navbar, none for visitors who are not signed in. A page kept for the person
(common/private_page_cache.py) reads it in the same query as its change counters instead.
"""

from functools import cached_property

from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from reminders.models import Notification


def unread_count(user) -> Coalesce:
    """The person's unread notifications, as an expression (for `read_alongside`)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True).order_by()
    return Coalesce(Subquery(unread.values("user").annotate(count=Count("pk")).values("count")), 0)


class Bell:
    def __init__(self, user, *, unread: int | None = None) -> None:
        self.user = user
        if unread is not None:
            self.unread = unread

    @cached_property
    def unread(self) -> int:
        return Notification.objects.filter(user=self.user, read_at__isnull=True).count()


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    read_alongside = getattr(request, "read_alongside", {})
    return {"bell": Bell(user, unread=read_alongside.get("unread"))}
