"""What /healthz checks: the database always, Redis when the site is configured to use it."""

from functools import cache

import redis
from django.conf import settings
from django.db import connection

TIMEOUT_SECONDS = 2


@cache
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_redis() -> str:
    _redis_client(settings.REDIS_URL).ping()
    return "ok"


def run_checks() -> tuple[bool, dict[str, str]]:
    """Each configured service answers "ok" or the error it raised; healthy when all are ok."""
    checks = {"database": check_database}
    if settings.REDIS_URL:
        checks["redis"] = check_redis
    results = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure means unhealthy
            results[name] = f"error: {error}"
    return all(value == "ok" for value in results.values()), results
