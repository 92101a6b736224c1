"""Are PostgreSQL and Redis reachable? For `make test` (the second, services run) and for tests.

As a script: `python tests/services.py URL...` exits 0 when every URL's host:port accepts a
connection, 1 when one does not (the services run is skipped), and 2 when one does not while
SHPALTA_REQUIRE_SERVICES=1 (CI: a missing service is a failure, never a silent skip).

In tests: `require_service(url)` skips the test, or fails it when services are required.
"""

import os
import socket
import sys
from urllib.parse import urlsplit

DEFAULT_PORTS = {"postgres": 5432, "postgresql": 5432, "redis": 6379}
POSTGRES_URL = os.environ.get(
    "SHPALTA_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("SHPALTA_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def required() -> bool:
    return os.environ.get("SHPALTA_REQUIRE_SERVICES") == "1"


def unreachable(url: str, timeout: float = 2.0) -> str | None:
    """None when the URL's server accepts a TCP connection, else why not."""
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or DEFAULT_PORTS.get(parts.scheme, 0)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as error:
        return f"{parts.scheme} at {host}:{port} is not reachable ({error})"


def require_service(url: str) -> str:
    """For tests that need a real server: skip without it, or fail when services are required."""
    import pytest

    problem = unreachable(url)
    if problem:
        if required():
            pytest.fail(f"{problem} and SHPALTA_REQUIRE_SERVICES=1")
        pytest.skip(problem)
    return url


def main(urls: list[str]) -> int:
    problems = [problem for url in urls if (problem := unreachable(url))]
    if not problems:
        return 0
    for problem in problems:
        print(problem, file=sys.stderr)
    if required():
        print(
            "SHPALTA_REQUIRE_SERVICES=1: the PostgreSQL + Redis run cannot be skipped.",
            file=sys.stderr,
        )
        return 2
    print("Skipping the PostgreSQL + Redis run of the suite.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or [POSTGRES_URL, REDIS_URL]))
