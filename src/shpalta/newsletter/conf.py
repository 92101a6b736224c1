"""Newsletter settings, read when used."""

from datetime import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def send_time() -> time:
    raw = getattr(settings, "SHPALTA_NEWSLETTER_TIME", "08:00")
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"SHPALTA_NEWSLETTER_TIME={raw!r}: use the hour and minute, e.g. 08:00."
        ) from None


def top() -> int:
    return getattr(settings, "SHPALTA_NEWSLETTER_TOP", 5)


def batch() -> int:
    return max(1, getattr(settings, "SHPALTA_NEWSLETTER_BATCH", 100))


def rate_limit() -> int:
    return getattr(settings, "SHPALTA_NEWSLETTER_RATE_LIMIT", 10)


def stale_seconds() -> float:
    return getattr(settings, "SHPALTA_NEWSLETTER_STALE_SECONDS", 120.0)


def can_send() -> bool:
    """Mail goes out only through a configured server, or to the console while debugging."""
    return not settings.EMAIL_BACKEND.endswith("dummy.EmailBackend")
