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


PUBLIC = "203.0.113.5"


def test_the_public_answer_names_each_component_state_only(client, settings):
    """Hosts, ports and driver messages are for the operator, not for anyone who asks."""
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    response = client.get("/healthz", REMOTE_ADDR=PUBLIC)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "redis": "error"}
    body = response.content.decode()
    assert "127.0.0.1" not in body and ":9" not in body and "onnect" not in body


@pytest.mark.parametrize("remote", ["127.0.0.1", "::1", "127.0.0.2", "::ffff:127.0.0.1"])
def test_a_local_request_gets_the_details(client, settings, remote):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    body = client.get("/healthz", REMOTE_ADDR=remote).json()
    assert body["redis"].startswith("error:") and len(body["redis"]) > len("error: ")


def test_a_forwarded_for_header_does_not_make_a_request_local(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    settings.SHPALTA_TRUSTED_PROXIES = 0
    spoofed = client.get("/healthz", REMOTE_ADDR=PUBLIC, HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert spoofed.json()["redis"] == "error"
    # Behind a proxy on this machine every request comes from loopback: the client is the one
    # the proxy names, and what the client wrote further left counts for nothing.
    settings.SHPALTA_TRUSTED_PROXIES = 1
    proxied = client.get(
        "/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"127.0.0.1, {PUBLIC}"
    )
    assert proxied.json()["redis"] == "error"
