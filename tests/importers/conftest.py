"""The hostile server for the fetch tests, with a short deadline and a small cap."""

import pytest

from .evil_server import EvilServer


@pytest.fixture
def evil(settings):
    """Loopback is refused as in production; a test allows it where it needs to."""
    settings.SHPALTA_FETCH_DEADLINE_SECONDS = 2.0
    settings.SHPALTA_FETCH_MAX_BYTES = 1 << 20
    settings.SHPALTA_FETCH_ALLOW_PRIVATE = False
    settings.SHPALTA_FETCH_ALLOW_HOSTS = []
    with EvilServer() as server:
        yield server
