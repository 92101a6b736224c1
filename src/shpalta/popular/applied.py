"""Applying a batch of counts exactly once, for the journal and the Redis path alike.

Both move counts to HourlyViews in batches named by an id (a journal segment, a Redis
flush) and may retry a batch whose commit they did not see. The id is recorded in
AppliedFlush in the transaction that writes the counts, so a retry finds it and adds
nothing. A retry comes within minutes (the next flush), so records older than a week
can go; pruning them here keeps the table small on both paths.
"""

from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import AppliedFlush

KEEP_APPLIED_FLUSHES = timedelta(days=7)


def apply_once(flush_id: str, write: Callable[[], tuple[int, int]]) -> tuple[int, int] | None:
    """`write() -> (articles, views)` and the record of `flush_id`, in one transaction.

    None, and nothing written, when the id was applied already — found here, or committed
    by another process between our check and our insert (its primary key refuses ours).
    """
    try:
        with transaction.atomic():
            if AppliedFlush.objects.filter(pk=flush_id).exists():
                return None
            articles, views = write()
            AppliedFlush.objects.create(flush_id=flush_id, articles=articles, views=views)
            cutoff = timezone.now() - KEEP_APPLIED_FLUSHES
            AppliedFlush.objects.filter(applied_at__lt=cutoff).delete()
    except IntegrityError:
        return None
    return articles, views
