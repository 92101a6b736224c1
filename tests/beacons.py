"""What the view-beacon tests (tests/popular) and the ad-impression tests (tests/ads) share."""

import os
from urllib.parse import urlsplit, urlunsplit

from tests.services import REDIS_URL

# A real browser's user agent: a reader to popular's bot filter.
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


def redis_database(env: str, number: int) -> str:
    """The URL in `env` if set, else database `number` on the test Redis server: a database of
    the counters' own, so a cache.clear() elsewhere cannot wipe them."""
    return os.environ.get(env) or urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{number}"))
