"""Per-client request budget for search: a fixed window per client address.

Counted by shpalta.ops.ratelimit, so the budget is one for all the site's processes: in Redis
when configured, else in a small SQLite file in the data directory (the workers of
`shpalta serve` share it). Cheap, and enough to stop a script from hammering the index.
"""

from django.conf import settings

from shpalta.ops import ratelimit
from shpalta.ops.clients import client_ip


def client_key(request) -> str:
    """The reader's address: behind nginx or a load balancer REMOTE_ADDR is the proxy's, and
    every reader would share one budget; client_ip trusts SHPALTA_TRUSTED_PROXIES hops."""
    return client_ip(request) or "unknown"


def allow(request, scope: str = "search") -> tuple[bool, int]:
    """(allowed, seconds until the window resets)."""
    limit, window = settings.SHPALTA_SEARCH_RATE_LIMIT, settings.SHPALTA_SEARCH_RATE_WINDOW
    return ratelimit.hit(scope, client_key(request), limit, window)
