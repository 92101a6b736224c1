"""Most read over a window, from the hourly counters, optionally favouring fresh articles."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from shpalta.news.models import Article

from . import conf
from .models import HourlyViews

WINDOWS = {"24h": 24, "7d": 24 * 7, "30d": 24 * 30}
MAX_ITEMS = 100
CACHE_VERSION = 1


@dataclass(frozen=True)
class Ranked:
    article_id: int
    views: int
    score: float


def floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def window_start(window: str, now: datetime) -> datetime:
    """A window of N hours is the current (partial) hour and the N-1 hours before it.

    At 12:30 the 24 h window starts at 13:00 yesterday: the hour 12:00–12:59 yesterday is
    out, so the window never counts more than 24 hourly buckets.
    """
    return floor_hour(now) - timedelta(hours=WINDOWS[window] - 1)


def decay_factor(published_at: datetime, now: datetime, half_life_hours: float) -> float:
    """Halve an article's weight for every `half_life_hours` of its age (0: no decay)."""
    if half_life_hours <= 0:
        return 1.0
    age_hours = max(0.0, (now - published_at).total_seconds() / 3600)
    return 0.5 ** (age_hours / half_life_hours)


def rank_by_views(
    window: str = "24h",
    limit: int = 5,
    half_life_hours: float = 0,
    now: datetime | None = None,
) -> list[Ranked]:
    """Published articles by views in the window, most first; ties go to the newer article.

    With decay, score = views × 0.5^(age / half-life), so yesterday's hit gives way to
    today's story with fewer but fresher readers. Every article with views in the window
    is scored (not only the top by views), so the decayed order is exact.
    """
    if window not in WINDOWS:
        raise ValueError(f"unknown window {window!r}: use one of {', '.join(WINDOWS)}")
    now = now or timezone.now()
    rows = (
        HourlyViews.objects.filter(
            hour__gte=window_start(window, now),
            hour__lte=floor_hour(now),
            article__in=Article.objects.published(),
        )
        .values("article", "article__published_at")
        .annotate(total=Sum("views"))
    )
    if half_life_hours <= 0:
        rows = rows.order_by("-total", "-article__published_at", "-article")[:limit]
        return [Ranked(r["article"], r["total"], float(r["total"])) for r in rows]
    scored = [
        Ranked(
            r["article"],
            r["total"],
            r["total"] * decay_factor(r["article__published_at"], now, half_life_hours),
        )
        for r in rows
    ]
    published = {r["article"]: r["article__published_at"] for r in rows}
    scored.sort(key=lambda r: (-r.score, -published[r.article_id].timestamp(), -r.article_id))
    return scored[:limit]


def cache_key(window: str, limit: int, half_life: float) -> str:
    return f"popular:rank:{CACHE_VERSION}:{window}:{limit}:{half_life:g}"


def most_read(window: str = "24h", limit: int = 5, half_life_hours: float | None = None):
    """`rank_by_views` cached briefly: the blocks sit on every page, the counts move slowly."""
    half_life = conf.half_life_hours() if half_life_hours is None else half_life_hours
    seconds = conf.cache_seconds()
    if seconds <= 0:
        return rank_by_views(window, limit, half_life)
    key = cache_key(window, limit, half_life)
    ranked = cache.get(key)
    if ranked is None:
        ranked = rank_by_views(window, limit, half_life)
        cache.set(key, ranked, seconds)
    return ranked


def popular_articles(window="24h", limit=5, exclude=None, half_life_hours=None, queryset=None):
    """Articles for a block or the API, in ranked order, each with `.views` set; empty without
    views. `queryset` says what to load of each (by default the title and link a block shows)."""
    return resolve(ranked_for(window, limit, exclude, half_life_hours), queryset)


def ranked_for(window="24h", limit=5, exclude=None, half_life_hours=None) -> list[Ranked]:
    """The ranking behind `popular_articles`, not yet read from the articles (`exclude`: a
    story, or its id, left out, e.g. the one the block sits beside)."""
    if exclude is None:
        return most_read(window, limit, half_life_hours)
    exclude_id = getattr(exclude, "pk", exclude)
    ranked = most_read(window, limit + 1, half_life_hours)
    return [r for r in ranked if r.article_id != exclude_id][:limit]


def resolve(ranked: list[Ranked], queryset=None) -> list:
    """Ranked ids to published articles (one query), keeping the order, with `.views` set.

    By default only what a block's item shows (title and link) is loaded, not the bodies.
    """
    if not ranked:
        return []
    if queryset is None:
        queryset = Article.objects.only("title", "slug", "status", "published_at")
    # Read by key, then the publishing rule in memory (Article.is_live): with published() in
    # the query SQLite walked the date index over the whole archive, 10 ms on every page.
    found = queryset.in_bulk([r.article_id for r in ranked])
    items = []
    for r in ranked:
        article = found.get(r.article_id)
        if article is not None and article.is_live:
            article.views = r.views
            items.append(article)
    return items
