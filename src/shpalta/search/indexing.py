"""Keeping the index in step with the articles, in the same transaction as the change.

A save publishes, edits or unpublishes; a delete removes (both wired in shpalta.changes).
Writing the index inside the article's own transaction (rather than after commit) means a
rolled-back edit leaves no trace in search and a crash between commit and indexing cannot leave
search stale. Bulk changes that skip signals (QuerySet.update, bulk_create) are caught up by
`shpalta reindex`.
"""

from shpalta.news.models import Article
from shpalta.ops.batching import batched

from . import documents
from .backends import get_backend

BATCH = 500


def sync(article: Article) -> None:
    """Index a released article (scheduled ones too: the query hides those until their time
    comes); take any other out of the index."""
    backend = get_backend()
    if article.is_released:
        backend.index([documents.build(article)])
    else:
        backend.remove([article.pk])


def sync_many(articles) -> None:
    """`sync` for many articles at once (a bulk import): one write for the released ones, one
    removal for the others."""
    backend = get_backend()
    released = [a for a in articles if a.is_released]
    if released:
        backend.index(documents.build(a) for a in released)
    others = [a.pk for a in articles if not a.is_released]
    if others:
        backend.remove(others)


def reindex_all(progress=None) -> int:
    """Index every published article from scratch; `progress(n)` is told after each batch."""
    backend = get_backend()
    backend.clear()
    queryset = Article.objects.released().only(
        "id", "title", "lead", "body_text", "published_at", "category_id", "status"
    )
    total = 0
    for batch in batched(queryset.order_by("pk").iterator(chunk_size=BATCH), BATCH):
        total += backend.index(documents.build(a) for a in batch)
        if progress:
            progress(len(batch))
    return total


def settle() -> bool:
    """After many documents were written (a rebuild, a large import), outside any transaction:
    the index's database statistics and visibility brought up to date (VACUUM (ANALYZE) on
    PostgreSQL, nothing on SQLite). False when nothing was done."""
    return get_backend().settle()


def published_count() -> int:
    return Article.objects.released().count()


def unindex(article_id: int) -> None:
    get_backend().remove([article_id])
