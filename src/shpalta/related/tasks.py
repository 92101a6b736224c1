"""Background work of the related lists, through Django's Tasks API (`django-tasks` backport).

The embedded default runs these at once after the saving transaction commits; at scale a
worker (`shpalta worker`) runs them from the database queue. Arguments are plain ids. When
lists change, the site's content version changes too, so cached pages show the new lists.
"""

from django_tasks import task

from shpalta.feeds import versioning

from . import updates


@task()
def update_related(article_id: int, force: bool = False) -> str:
    """An article was saved (or its tags changed): re-index it, refresh its and its neighbours'
    lists, or withdraw it when it is no longer published."""
    outcome = updates.update(article_id, force=force)
    if outcome != "unchanged":
        versioning.bump()
    if outcome == "published" and updates.has_stale():
        reweigh_related.enqueue()
    return outcome


@task()
def refresh_related(article_ids: list[int]) -> int:
    """Lists that lost an entry (its article was deleted) are filled again."""
    count = updates.refresh(article_ids)
    versioning.bump()
    return count


@task()
def spread_scheduled() -> int:
    """Scheduled articles that went live join their neighbours' lists."""
    count = updates.spread_due()
    if count:
        versioning.bump()
    return count


@task()
def reweigh_related() -> int:
    """Weights computed when the archive was much smaller are computed again, a batch a run."""
    count = updates.reweigh_stale()
    if count:
        versioning.bump()
    return count
