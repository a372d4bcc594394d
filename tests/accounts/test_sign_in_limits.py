"""Over-long credentials are refused with a message before they reach the database or the password hasher.

On SQLite a case-insensitive email match with a pattern over 50,000 characters is an error, so without the
limits these posts answered 500 as soon as one account existed.
"""

import pytest
from django.contrib.auth.signals import user_login_failed
from django.urls import reverse

from accounts.forms import LoginForm
from accounts.password_validation import PASSWORD_MAX_LENGTH
from tests.factories import TEST_PASSWORD, PatientFactory

pytestmark = pytest.mark.django_db

HUGE_EMAIL = "a" * 50_000 + "@example.org"


@pytest.fixture
def error_client(client):
    """A 500 comes back as a response, as a browser would see it, instead of raising in the test."""
    client.raise_request_exception = False
    return client


@pytest.fixture
def account(db):
    return PatientFactory(email="runner@example.org")


@pytest.fixture
def authentication_attempts():
    attempts: list[dict] = []

    def record(sender, credentials, **kwargs):
        attempts.append(credentials)

    user_login_failed.connect(record)
    yield attempts
    user_login_failed.disconnect(record)


def test_a_50000_character_email_on_sign_in_is_refused_with_a_message(error_client, account):
    response = error_client.post(reverse("accounts:login"), {"username": HUGE_EMAIL, "password": "anything"})
    assert response.status_code == 400
    assert "at most 254 characters" in response.content.decode()


def test_an_over_long_password_on_sign_in_is_refused_with_a_message(error_client, account):
    password = "p" * (PASSWORD_MAX_LENGTH + 1)
    response = error_client.post(reverse("accounts:login"), {"username": account.email, "password": password})
    assert response.status_code == 400
    assert f"at most {PASSWORD_MAX_LENGTH} characters" in response.content.decode()


def test_over_long_credentials_never_reach_authentication(account, authentication_attempts):
    for data in (
        {"username": HUGE_EMAIL, "password": TEST_PASSWORD},
        {"username": account.email, "password": "p" * (PASSWORD_MAX_LENGTH + 1)},
    ):
        form = LoginForm(data=data)
        assert not form.is_valid()
    assert authentication_attempts == []


def test_credentials_at_the_limits_still_sign_in_normally(client, rf, account):
    account.set_password("p" * PASSWORD_MAX_LENGTH)
    account.save()
    response = client.post(
        reverse("accounts:login"), {"username": account.email, "password": "p" * PASSWORD_MAX_LENGTH}
    )
    assert response.status_code == 302
    email_of_254 = "b" * 64 + "@" + "c" * 63 + "." + "d" * 63 + "." + "e" * 57 + ".org"
    assert len(email_of_254) == 254
    form = LoginForm(request=rf.post("/"), data={"username": email_of_254, "password": "wrong"})
    assert form.has_error("__all__", "invalid_login")  # checked against the accounts, not refused as too long
    assert not form.has_error("username")


def test_the_sign_in_field_tells_the_browser_its_limits(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'maxlength="254"' in page
    assert f'maxlength="{PASSWORD_MAX_LENGTH}"' in page


def test_a_50000_character_email_on_the_admin_sign_in_is_refused_with_a_message(error_client, account):
    response = error_client.post(reverse("admin:login"), {"username": HUGE_EMAIL, "password": "anything"})
    assert response.status_code < 500
    assert "at most 254 characters" in response.content.decode()


def test_a_50000_character_email_on_password_reset_is_refused_with_a_message(
    error_client, account, mailoutbox
):
    response = error_client.post(reverse("accounts:password_reset"), {"email": HUGE_EMAIL})
    assert response.status_code == 400
    assert "at most 254 characters" in response.content.decode()
    assert mailoutbox == []


def test_a_password_longer_than_sign_in_accepts_cannot_be_set(client):
    account = PatientFactory(password="an old password of mine")
    client.force_login(account)
    too_long = "p" * (PASSWORD_MAX_LENGTH + 1)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "an old password of mine", "new_password1": too_long, "new_password2": too_long},
    )
    assert response.status_code == 400
    assert f"at most {PASSWORD_MAX_LENGTH} characters" in response.content.decode()
    account.refresh_from_db()
    assert account.check_password("an old password of mine")
