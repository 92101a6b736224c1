"""Edit locks: the first editor to open a story holds it while their form sends heartbeats;
anyone else sees who and since when, and may take it over explicitly."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import EditLock

HEARTBEAT_SECONDS = 30  # how often an open form says it is still there (static/newsroom/lock.js)
LAPSE_SECONDS = 90  # three missed heartbeats and the lock is gone


def _alive(lock: EditLock | None, now) -> bool:
    return lock is not None and lock.heartbeat > now - timedelta(seconds=LAPSE_SECONDS)


def holder_other_than(article, user) -> EditLock | None:
    """The live lock of someone else on this story, if there is one."""
    lock = EditLock.objects.select_related("holder").filter(article=article).first()
    if _alive(lock, timezone.now()) and lock.holder_id != user.pk:
        return lock
    return None


@transaction.atomic
def acquire(article, user, take_over: bool = False) -> EditLock:
    """Hold the story for `user`, unless someone else holds it and this is no take-over: then
    their lock is returned unchanged."""
    now = timezone.now()
    lock = EditLock.objects.select_for_update().filter(article=article).first()
    if lock and _alive(lock, now) and lock.holder_id != user.pk and not take_over:
        return lock
    if lock is None:
        return EditLock.objects.create(article=article, holder=user, since=now, heartbeat=now)
    if lock.holder_id != user.pk or not _alive(lock, now):
        lock.holder, lock.since = user, now
    lock.heartbeat = now
    lock.save()
    return lock


def beat(article, user) -> EditLock | None:
    """Keep `user`'s lock alive; the other holder's lock when it was taken over, else None."""
    now = timezone.now()
    kept = EditLock.objects.filter(article=article, holder=user).update(heartbeat=now)
    if kept:
        return None
    other = holder_other_than(article, user)
    if other is None:
        acquire(article, user)
    return other


def release(article, user) -> None:
    EditLock.objects.filter(article=article, holder=user).delete()
