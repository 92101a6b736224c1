"""Background work of the related lists, through Django's Tasks API (`django-tasks` backport).

The embedded default runs these at once after the saving transaction commits; at scale a
worker (`shpalta worker`) runs them from the database queue. Arguments are plain ids. When
lists change, `signals.lists_changed` is sent, so cached pages show the new lists.
"""

from datetime import UTC, datetime

from django.db import transaction
from django_tasks import task

from . import rebuild, store, updates
from .signals import lists_changed


def update_article(article_id: int, force: bool = False) -> str:
    """`updates.update`, and for a story scheduled for later, its spread deferred to its time."""
    outcome = updates.update(article_id, force=force)
    if outcome == "scheduled":
        _spread_when_due(article_id)
    return outcome


def _spread_when_due(article_id: int) -> None:
    """A worker queue that can defer runs the spread once the story is out; without one, the
    next update of any article catches it up (updates.spread_due)."""
    seed = store.stored_seed(article_id)
    if seed is None or not spread_scheduled.get_backend().supports_defer:
        return
    run_after = datetime.fromtimestamp(seed.published + 1, tz=UTC)
    transaction.on_commit(lambda: spread_scheduled.using(run_after=run_after).enqueue())


@task()
def update_related(article_id: int, force: bool = False) -> str:
    """An article was saved (or its tags changed): re-index it, refresh its and its neighbours'
    lists, or withdraw it when it is no longer published."""
    outcome = update_article(article_id, force=force)
    if outcome != "unchanged":
        lists_changed.send(sender=update_related)
    if outcome == "published" and updates.has_stale():
        reweigh_related.enqueue()
    return outcome


@task()
def refresh_related(article_ids: list[int]) -> int:
    """Lists that lost an entry (its article was deleted) are filled again."""
    count = updates.refresh(article_ids)
    lists_changed.send(sender=refresh_related)
    return count


@task()
def spread_scheduled() -> int:
    """Scheduled articles that went live join their neighbours' lists."""
    count = updates.spread_due()
    if count:
        lists_changed.send(sender=spread_scheduled)
    return count


@task()
def reweigh_related() -> int:
    """Weights computed when the archive was much smaller are computed again, a batch a run."""
    count = updates.reweigh_stale()
    if count:
        lists_changed.send(sender=reweigh_related)
    return count


@task()
def rebuild_related() -> str:
    """Every list computed again in one streamed pass (after a bulk import: cheaper than an
    update per imported article); returns the rebuild's summary line."""
    summary = rebuild.rebuild_lists()
    lists_changed.send(sender=rebuild_related)
    return summary.line()
