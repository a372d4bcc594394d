import pytest
from django.urls import reverse

from tests.integration.conftest import closed_port_url

pytestmark = pytest.mark.django_db


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
