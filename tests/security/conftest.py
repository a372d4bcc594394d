"""Helpers the security suites share."""

from django.test import Client

from accounts.models import User


def signed_in_client(user: User | None, **client_options) -> Client:
    """A client signed in as `user`, or nobody for None. `force_login` also passes the second factor where
    the user needs one (tests/conftest.py), so staff reach the pages themselves, not the code page."""
    client = Client(**client_options)
    if user is not None:
        client.force_login(user)
    return client
