"""/healthz tells a load balancer whether this app server can do its work."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthy_with_the_database_alone(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_redis_is_checked_when_configured(client, settings):
    from tests.services import REDIS_URL, require_service

    settings.REDIS_URL = require_service(REDIS_URL)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_an_unreachable_redis_makes_the_server_unhealthy(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"] == "ok"
    assert body["redis"].startswith("error:")


def test_a_load_balancer_probing_by_address_gets_an_answer(client, settings):
    settings.REDIS_URL = ""
    settings.SECURE_SSL_REDIRECT = True  # would answer 301 to a plain-HTTP probe
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    # any other page still refuses a host that is not allowed
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code in (400, 301)
