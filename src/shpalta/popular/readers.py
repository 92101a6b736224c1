"""Who sent a beacon, told apart without storing who they are.

A reader is recognised by a keyed hash of (IP, user agent, article). The key is derived from
SECRET_KEY and the UTC date, so it changes every day: marks from different days cannot be
linked, and nothing that leaves this module contains an IP address.
"""

import ipaddress
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from crawlerdetect import CrawlerDetect
from django.utils.crypto import salted_hmac

from shpalta.ops import ratelimit

_crawlers = CrawlerDetect()
MAX_USER_AGENT = 512


@dataclass(frozen=True, slots=True)
class View:
    """One plausible beacon, ready to be counted at most once."""

    article_id: int
    at: int  # unix seconds
    key: str  # the reader under today's secret
    previous_key: str  # the same reader under yesterday's secret (see reader_keys)
    # The client address (an IPv6 /64) under today's secret, for the per-address budgets;
    # "" for a view from before they existed (an old journal line): not budgeted.
    address: str = ""


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:MAX_USER_AGENT]


def is_crawler(agent: str) -> bool:
    """Crawlers, scripts and clients that send no user agent at all do not count as readers."""
    return not agent.strip() or _crawlers.is_crawler(agent)


def not_a_reader(request, agent: str) -> bool:
    """A crawler (see is_crawler) or a cross-site post: a beacon that is never counted."""
    return is_crawler(agent) or request.META.get("HTTP_SEC_FETCH_SITE") == "cross-site"


def content_length(request, cap: int) -> int:
    """The declared body size; one over `cap` when the header is not a number."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return cap + 1


def _day_salt(day) -> str:
    return f"shpalta.popular.reader:{day.isoformat()}"


def reader_key(ip: str, agent: str, article_id: int, day) -> str:
    value = f"{ip}\n{agent}\n{article_id}"
    return salted_hmac(_day_salt(day), value, algorithm="sha256").hexdigest()[:32]


def network_of(ip: str) -> str:
    """What one client address stands for: an IPv4 address, or the /64 an IPv6 subscriber
    gets whole (rotating addresses inside it is free, so it is one address here)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def address_key(ip: str, at: float) -> str:
    """The client's network under the day's secret: budgets count per address, never store it."""
    day = datetime.fromtimestamp(at, tz=UTC).date()
    salt = f"shpalta.popular.address:{day.isoformat()}"
    return salted_hmac(salt, network_of(ip), algorithm="sha256").hexdigest()[:24]


def make_view(ip: str, agent: str, article_id: int, at: float | None = None) -> View:
    """Keys under today's and yesterday's secret: the rotation at midnight must not let a
    reader who was counted at 23:50 be counted again at 00:10."""
    at = int(time.time() if at is None else at)
    today = datetime.fromtimestamp(at, tz=UTC).date()
    return View(
        article_id=article_id,
        at=at,
        key=reader_key(ip, agent, article_id, today),
        previous_key=reader_key(ip, agent, article_id, today - timedelta(days=1)),
        address=address_key(ip, at),
    )


def client_key(ip: str, agent: str, at: float) -> str:
    """The rate-limit identity: a hash too, since it may be kept in Redis for a minute."""
    day = datetime.fromtimestamp(at, tz=UTC).date()
    salt = f"shpalta.popular.client:{day.isoformat()}"
    return salted_hmac(salt, f"{ip}\n{agent}", algorithm="sha256").hexdigest()[:24]


class SharedMinuteLimiter:
    """Fixed one-minute windows of beacons per client, shared by all the site's processes
    (shpalta.ops.ratelimit: a small SQLite file in the data directory on the embedded path).
    The embedded path's limiter; the Redis path counts inside its own script."""

    scope = "views"

    def allow(self, key: str, limit: int, at: float) -> bool:
        return ratelimit.hit(self.scope, key, limit, 60, now=at)[0]

    def reset(self):
        ratelimit.reset(self.scope)


class MinuteLimiter:
    """Fixed one-minute windows of beacons per client, kept in this process only.

    No longer the embedded path's limiter: with several processes each enforced the limit on
    its own, so the effective limit was multiplied by their number (see SharedMinuteLimiter).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._window = -1
        self._counts: dict[str, int] = {}

    def allow(self, key: str, limit: int, at: float) -> bool:
        window = int(at // 60)
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            count = self._counts.get(key, 0) + 1
            self._counts[key] = count
        return count <= limit

    def reset(self):
        with self._lock:
            self._window, self._counts = -1, {}
