"""The navbar bell's unread count, for every signed-in person.

The count is lazy: one COUNT query the first time a template reads `bell.unread`, none on pages that never
show the navbar, none for visitors who are not signed in. A page kept for the person
(common/private_page_cache.py) reads it in the same query as its change counters instead.
"""

from functools import cached_property

from django.db.models import IntegerField
from django.db.models.expressions import RawSQL
from django.http import HttpRequest

from reminders.models import Notification


def unread_count(user) -> RawSQL:
    """The person's unread notifications, as an expression (for `read_alongside`): the same count as
    `Bell.unread`, written as SQL because it is built on every kept page and Django's subquery costs more to
    build than the rest of serving the page."""
    table = Notification._meta.db_table
    return RawSQL(  # noqa: S611 (a model's table; the person's id goes as a parameter)
        f"SELECT COUNT(*) FROM {table} WHERE user_id = %s AND read_at IS NULL",  # noqa: S608
        [user.pk],
        output_field=IntegerField(),
    )


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
