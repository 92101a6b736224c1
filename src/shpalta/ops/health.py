"""What /healthz checks: the database always, Redis when the site is configured to use it."""

from functools import cache

import redis
from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

TIMEOUT_SECONDS = 2


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


def health_response() -> JsonResponse:
    healthy, services = run_checks()
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
            return health_response()
        return self.get_response(request)
