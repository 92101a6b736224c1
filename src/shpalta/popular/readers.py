"""Who sent a beacon, told apart without storing who they are.

A reader is recognised by a keyed hash of (IP, user agent, article). The key is derived from
SECRET_KEY and the UTC date, so it changes every day: marks from different days cannot be
linked, and nothing that leaves this module contains an IP address.
"""

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from crawlerdetect import CrawlerDetect
from django.utils.crypto import salted_hmac

_crawlers = CrawlerDetect()
MAX_USER_AGENT = 512


@dataclass(frozen=True, slots=True)
class View:
    """One plausible beacon, ready to be counted at most once."""

    article_id: int
    at: int  # unix seconds
    key: str  # the reader under today's secret
    previous_key: str  # the same reader under yesterday's secret (see reader_keys)


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:MAX_USER_AGENT]


def is_crawler(agent: str) -> bool:
    """Crawlers, scripts and clients that send no user agent at all do not count as readers."""
    return not agent.strip() or _crawlers.is_crawler(agent)


def _day_salt(day) -> str:
    return f"shpalta.popular.reader:{day.isoformat()}"


def reader_key(ip: str, agent: str, article_id: int, day) -> str:
    value = f"{ip}\n{agent}\n{article_id}"
    return salted_hmac(_day_salt(day), value, algorithm="sha256").hexdigest()[:32]


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
    )


def client_key(ip: str, agent: str, at: float) -> str:
    """The rate-limit identity: a hash too, since it may be kept in Redis for a minute."""
    day = datetime.fromtimestamp(at, tz=UTC).date()
    salt = f"shpalta.popular.client:{day.isoformat()}"
    return salted_hmac(salt, f"{ip}\n{agent}", algorithm="sha256").hexdigest()[:24]


class MinuteLimiter:
    """Fixed one-minute windows of beacons per client, kept in this process.

    Used on the embedded path, where one process serves the site; with several processes
    each enforces the limit on its own, so the effective limit is multiplied by their number.
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
