"""The popular app's knobs, read from Django settings (which take them from SHPALTA_* variables)."""

from pathlib import Path

from django.conf import settings

DEDUP_SECONDS = 30 * 60
"""One count per reader per article in this many seconds."""


def views_per_minute() -> int:
    """Beacons a client (IP + user agent) may send a minute; NAT-ed readers differ by UA."""
    return settings.SHPALTA_VIEWS_PER_MINUTE


ADDRESS_WINDOW_SECONDS = 30 * 60
"""The per-address budgets count readers in fixed half hours (UTC :00 and :30)."""


def views_per_address_article() -> int:
    """Distinct readers one client address can have counted on one article per half hour
    (0: no bound). Readers behind one NAT differ by browser; so does a script rotating
    user agents, and this is what it can add at most."""
    return settings.SHPALTA_VIEWS_PER_ADDRESS_ARTICLE


def views_per_address_site() -> int:
    """Views one client address can have counted on the whole site per half hour (0: no bound)."""
    return settings.SHPALTA_VIEWS_PER_ADDRESS_SITE


def flush_seconds() -> int:
    """How often counted views are moved to the database (journal or Redis); 0 on the
    embedded path: every beacon is written before it is answered."""
    return settings.SHPALTA_VIEWS_FLUSH_SECONDS


def journal_dir() -> Path:
    """Where the embedded path's journal segments live (beside the SQLite database).

    SHPALTA_VIEWS_JOURNAL_DIR is not among the settings (no environment variable sets it):
    only a settings module of one's own, or a test, moves the journal elsewhere.
    """
    configured = getattr(settings, "SHPALTA_VIEWS_JOURNAL_DIR", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "views-journal"


def cache_seconds() -> int:
    return settings.SHPALTA_POPULAR_CACHE_SECONDS


def half_life_hours() -> float:
    """Freshness decay for the site's blocks: 0 ranks by plain views."""
    return float(settings.SHPALTA_POPULAR_HALF_LIFE_HOURS)


def redis_url() -> str:
    return settings.REDIS_URL


def redis_prefix() -> str:
    return settings.SHPALTA_POPULAR_REDIS_PREFIX
