"""What /healthz checks: the database always, Redis when the site is configured to use it.

Anyone may ask; only a request from this machine (the operator, a local probe) is told why a
service failed: an error names hosts, ports and driver messages. Others get each service's
state, "ok" or "error", and the error goes to the log.
"""

import ipaddress
import logging
from functools import cache

import redis
from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from .clients import client_ip

TIMEOUT_SECONDS = 2
log = logging.getLogger(__name__)


@cache
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )


def check_database(alias: str = "default") -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_redis() -> str:
    _redis_client(settings.REDIS_URL).ping()
    return "ok"


def run_checks() -> tuple[bool, dict[str, str]]:
    """Each configured service answers "ok" or the error it raised; healthy when all are ok."""
    checks = {"database": check_database}
    if "replica" in settings.DATABASES:
        checks["replica"] = lambda: check_database("replica")
    if settings.REDIS_URL:
        checks["redis"] = check_redis
    results = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure means unhealthy
            results[name] = f"error: {error}"
    return all(value == "ok" for value in results.values()), results


def is_local(request) -> bool:
    """The client is this machine: its address, behind the trusted proxies (as client_ip reads
    it, so a client's own X-Forwarded-For entry counts for nothing), is a loopback address."""
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    # ::ffff:127.0.0.1 (a dual-stack socket's IPv4 client) is loopback too.
    return address.is_loopback or bool(
        getattr(address, "ipv4_mapped", None) and address.ipv4_mapped.is_loopback
    )


def health_response(request) -> JsonResponse:
    healthy, services = run_checks()
    failed = {name: result for name, result in services.items() if result != "ok"}
    if failed:
        log.warning("Health check failed: %s", failed)
    if not is_local(request):
        services = {name: "ok" if result == "ok" else "error" for name, result in services.items()}
    status = {"status": "ok" if healthy else "error", **services}
    response = JsonResponse(status, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    """Answers /healthz first, before Host validation, HTTPS redirects and sessions.

    Load balancers probe each app server by its address, with whatever Host header (often the
    IP) and over plain HTTP; Django would refuse that Host (400) or redirect it (301).
    """

    PATH = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == self.PATH and request.method in ("GET", "HEAD"):
            return health_response(request)
        return self.get_response(request)
