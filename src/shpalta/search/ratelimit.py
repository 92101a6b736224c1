"""Per-client request budget for search, kept in Django's cache (Redis on the scale path).

A fixed window per client address: cheap (one cache increment), shared by every app server
when the cache is Redis, and enough to stop a script from hammering the index.
"""

import time

from django.conf import settings
from django.core.cache import cache

from shpalta.ops.clients import client_ip


def client_key(request) -> str:
    """The reader's address: behind nginx or a load balancer REMOTE_ADDR is the proxy's, and
    every reader would share one budget; client_ip trusts SHPALTA_TRUSTED_PROXIES hops."""
    return client_ip(request) or "unknown"


def allow(request, scope: str = "search") -> tuple[bool, int]:
    """(allowed, seconds until the window resets)."""
    limit, window = settings.SHPALTA_SEARCH_RATE_LIMIT, settings.SHPALTA_SEARCH_RATE_WINDOW
    now = int(time.time())
    slot = now // window
    key = f"ratelimit:{scope}:{client_key(request)}:{slot}"
    if cache.add(key, 1, timeout=window + 1):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 1)
            used = 1
    return used <= limit, window - now % window
