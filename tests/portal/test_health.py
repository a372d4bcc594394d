import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from tests.integration.conftest import closed_port_url

pytestmark = pytest.mark.django_db

# The test client connects from 127.0.0.1 unless told otherwise.
REMOTE = {"REMOTE_ADDR": "203.0.113.7"}


def test_health_is_503_and_names_redis_when_redis_is_down(client, settings):
    settings.REDIS_URL = closed_port_url()
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["worker"]["ok"] is False


def test_health_is_503_when_redis_is_up_but_no_worker_answers(client):
    response = client.get(reverse("health"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"] == {"ok": True}
    assert checks["worker"] == {"ok": False, "error": "no worker answered within a second"}


def test_health_answers_only_get_and_is_never_cached(client):
    assert client.post(reverse("health")).status_code == 405
    response = client.get(reverse("health"))
    assert "no-cache" in response["Cache-Control"]


def test_an_anonymous_remote_caller_learns_only_the_status(client, settings):
    settings.REDIS_URL = closed_port_url()
    response = client.get(reverse("health"), **REMOTE)
    assert response.status_code == 503
    assert response.json() == {"status": "failing"}


@pytest.mark.parametrize(
    "header",
    ["HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_REAL_IP", "HTTP_FORWARDED"],
)
def test_a_request_through_a_proxy_on_this_machine_learns_only_the_status(client, header):
    response = client.get(reverse("health"), REMOTE_ADDR="127.0.0.1", **{header: "127.0.0.1"})
    assert response.json() == {"status": "failing"}


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"])
def test_a_probe_on_this_machine_gets_the_details(client, address):
    response = client.get(reverse("health"), REMOTE_ADDR=address)
    assert set(response.json()["checks"]) == {"database", "redis", "worker", "beat"}


def test_a_signed_in_admin_gets_the_details_from_anywhere(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("health"), **REMOTE)
    assert response.json()["checks"]["database"] == {"ok": True}


@pytest.mark.parametrize("persona", ["patient", "clinician"])
def test_patients_and_clinicians_learn_only_the_status(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("health"), **REMOTE)
    assert response.json() == {"status": "failing"}


def test_an_admin_who_has_not_passed_the_second_factor_learns_only_the_status(client, admin_user):
    signed_in = client.post(
        reverse("accounts:login"), {"username": admin_user.email, "password": TEST_PASSWORD}, **REMOTE
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)
    response = client.get(reverse("health"), **REMOTE)
    assert response.json() == {"status": "failing"}
