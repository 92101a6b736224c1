"""Keeping the index in step with the articles, in the same transaction as the change.

A save publishes, edits or unpublishes; a delete removes. Writing the index inside the
article's own transaction (rather than after commit) means a rolled-back edit leaves no trace
in search and a crash between commit and indexing cannot leave search stale. Bulk changes
that skip signals (QuerySet.update, bulk_create) are caught up by `shpalta reindex`.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shpalta.news.models import Article

from . import documents
from .backends import get_backend

BATCH = 500


def searchable(article: Article) -> bool:
    """Published, including scheduled ones: the query hides those until their time comes."""
    return article.status == Article.Status.PUBLISHED


def sync(article: Article) -> None:
    backend = get_backend()
    if searchable(article):
        backend.index([documents.build(article)])
    else:
        backend.remove([article.pk])


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def rebuild(progress=None) -> int:
    """Index every published article from scratch; `progress(n)` is told after each batch."""
    backend = get_backend()
    backend.clear()
    queryset = Article.objects.released().only(
        "id", "title", "lead", "body_text", "published_at", "category_id", "status"
    )
    total = 0
    for batch in _batches(queryset.order_by("pk").iterator(chunk_size=BATCH), BATCH):
        total += backend.index(documents.build(a) for a in batch)
        if progress:
            progress(len(batch))
    return total


def published_count() -> int:
    return Article.objects.released().count()


@receiver(post_save, sender=Article, dispatch_uid="search_index_article")
def _article_saved(sender, instance: Article, raw=False, **kwargs):
    if not raw:
        sync(instance)


@receiver(post_delete, sender=Article, dispatch_uid="search_unindex_article")
def _article_deleted(sender, instance: Article, **kwargs):
    get_backend().remove([instance.pk])
