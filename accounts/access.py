"""Role guards for pages that belong to one kind of account. Both answer 404, as the record doors do, so a
page's existence leaks nothing to the wrong role; a visitor who is not signed in is sent to sign in.

Under `require_POST`, put `login_required` on top as well, so that a visitor is sent to sign in before the
method is checked and a signed-in person of the wrong role gets 405 for a GET, as on every other page."""

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from accounts.audit import is_staff_user
from accounts.models import User

View = Callable[..., HttpResponse]


def _role_required(view: View, allowed: Callable[[User], bool]) -> View:
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not isinstance(request.user, User) or not allowed(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(guarded)


def patient_required(view: View) -> View:
    """The page is the signed-in patient's own (Today, My care team)."""
    return _role_required(view, lambda user: user.is_patient)


def staff_required(view: View) -> View:
    """The page is for clinicians and admins (My patients, the alert inbox)."""
    return _role_required(view, is_staff_user)
