"""Where a request came from, behind the reverse proxies the site is configured to trust."""

from django.conf import settings


def client_ip(request) -> str:
    """The address the request came from, trusting exactly SHPALTA_TRUSTED_PROXIES proxies.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the client is the
    N-th entry from the right; anything further left was written by the client and is ignored.
    """
    proxies = settings.SHPALTA_TRUSTED_PROXIES
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
