"""Demo readers for `shpalta load_demo`: a fresh `make run` shows «Популярне» at once.

Wired to news' `demo_loaded` in shpalta.changes.receivers. The views go through the real
counting path (`counters.record`, then `counters.flush`), one reader per address and browser,
so they are de-duplicated, rate-limited and bucketed by hour like a browser's beacons. Real
views come only from real browsers: the page's beacon, with bots and headless browsers
filtered out (readers.is_crawler).
"""

import random
import time
from datetime import timedelta

from django.utils import timezone

from shpalta.news import demo as news_demo
from shpalta.news.models import Article

from . import counters, readers
from .models import HourlyViews

# Readers of the twelve newest demo stories, most read first: a long tail, as on a news site.
READERS = [160, 120, 95, 80, 64, 50, 40, 32, 25, 20, 15, 12]
SPREAD_SECONDS = 6 * 3600  # views fall in the last six hours: inside every ranking window
# Ordinary browsers (the demo's readers are not bots), on phones and desktops.
AGENTS = [
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
]


def load_views() -> int:
    """Count demo views unless someone has read the site in the last day; returns how many."""
    since = timezone.now() - timedelta(hours=24)
    if HourlyViews.objects.filter(hour__gte=since).exists():
        return 0
    stories = list(
        Article.objects.published()
        .filter(import_source=news_demo.SOURCE)
        .order_by("-published_at")
        .values_list("pk", flat=True)[: len(READERS)]
    )
    rng = random.Random(len(stories))  # the same plausible order on every fresh site
    rng.shuffle(stories)
    now = time.time()
    recorded = sum(
        _read(article_id, count, now, rng)
        for article_id, count in zip(stories, READERS, strict=False)
    )
    counters.flush()
    return recorded


def _read(article_id: int, count: int, now: float, rng: random.Random) -> int:
    """`count` distinct readers of one story, each sending one beacon."""
    recorded = 0
    for reader in range(count):
        ip = f"203.0.113.{reader // len(AGENTS) % 250 + 1}"  # TEST-NET-3: for documentation
        agent = AGENTS[reader % len(AGENTS)]
        at = now - rng.uniform(0, SPREAD_SECONDS)
        view = readers.make_view(ip, agent, article_id, at)
        outcome = counters.record(view, readers.client_key(ip, agent, at))
        recorded += outcome is not counters.Outcome.LIMITED
    return recorded
