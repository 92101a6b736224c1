"""Is this id an article readers can see? Asked by every beacon, so answered from memory."""

import threading
import time

from shpalta.news.models import Article

TTL_SECONDS = 30
MAX_ENTRIES = 50_000

_lock = threading.Lock()
_known: dict[int, tuple[float, tuple | None]] = {}


def _lookup(article_id: int) -> tuple | None:
    row = Article.objects.filter(pk=article_id).values_list("status", "published_at").first()
    return tuple(row) if row else None


def is_live(article_id: int) -> bool:
    """Article.is_live, on a status cached for TTL_SECONDS.

    The publication time is cached, not the verdict, so a scheduled article starts counting
    the moment it goes out; an unpublished one stops counting within TTL_SECONDS.
    """
    now = time.monotonic()
    with _lock:
        entry = _known.get(article_id)
    if entry is None or entry[0] < now:
        row = _lookup(article_id)
        with _lock:
            if len(_known) >= MAX_ENTRIES:
                _known.clear()
            _known[article_id] = (now + TTL_SECONDS, row)
    else:
        row = entry[1]
    if row is None:
        return False
    return Article.live_row(*row)


def forget() -> None:
    with _lock:
        _known.clear()
