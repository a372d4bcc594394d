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


def _role_required(allowed: Callable[[User], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not isinstance(request.user, User) or not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorator


patient_required = _role_required(lambda user: user.is_patient)
patient_required.__doc__ = "The page is the signed-in patient's own (Today, My care team)."

staff_required = _role_required(is_staff_user)
staff_required.__doc__ = "The page is for clinicians and admins (My patients, the alert inbox)."
