"""The ads app's knobs, read from Django settings (which take them from SHPALTA_* variables)."""

from django.conf import settings


def network_hosts() -> list[str]:
    """Origins of ad networks whose scripts, frames and beacons the CSP lets in (none by
    default): `https://ads.example.net`, one per comma in SHPALTA_ADS_NETWORK_HOSTS."""
    return list(settings.SHPALTA_ADS_NETWORK_HOSTS)


def impressions_per_minute() -> int:
    """Impression beacons one client (IP + user agent) may send a minute."""
    return settings.SHPALTA_ADS_IMPRESSIONS_PER_MINUTE


def redis_url() -> str:
    return settings.REDIS_URL


def redis_prefix() -> str:
    return settings.SHPALTA_ADS_REDIS_PREFIX
