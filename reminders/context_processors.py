"""The navbar bell's unread count, for every signed-in person.

The count is lazy: one COUNT query the first time a template reads `bell.unread`, none on pages that never
show the navbar, none for visitors who are not signed in.
"""

from functools import cached_property

from django.http import HttpRequest

from reminders.models import Notification


class Bell:
    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        return Notification.objects.filter(user=self.user, read_at__isnull=True).count()


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": Bell(user)}
