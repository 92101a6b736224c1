"""The site-wide content version that keys every cached page, feed and sitemap.

Saving or deleting an article, category, tag or author (and changing an article's tags or
authors) changes the version, which retires every cached page in one cheap UPDATE. A
scheduled article needs no save to appear: the version carries the next publication time and
changes by itself once that time has passed. Other timed changes (a breaking-news strip that
expires) join that time through `register_due`.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections, router
from django.db.models import Min
from django.utils import timezone

from shpalta.news.models import Article

from .models import SiteVersion

ROW = 1
DueSource = Callable[[datetime], datetime | None]
_due_sources: list[DueSource] = []


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: datetime


def register_due(source: DueSource) -> None:
    """A capability's next timed change (given now), so pages change then without a save."""
    if source not in _due_sources:
        _due_sources.append(source)


def _next_due(now: datetime) -> datetime | None:
    """The next scheduled article's publication (the status/date index) or registered change."""
    scheduled = Article.objects.released().filter(published_at__gt=now)
    dues = [scheduled.aggregate(due=Min("published_at"))["due"]]
    dues += [source(now) for source in _due_sources]
    return min((due for due in dues if due is not None), default=None)


def bump() -> Version:
    """Give the site a new version: one UPDATE, run inside the caller's transaction."""
    now = timezone.now()
    token = uuid.uuid4().hex
    due = _next_due(now)
    updated = SiteVersion.objects.filter(pk=ROW).update(token=token, changed_at=now, next_due=due)
    if not updated:
        SiteVersion.objects.update_or_create(
            pk=ROW, defaults={"token": token, "changed_at": now, "next_due": due}
        )
    return Version(token, now)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands raw datetimes back naive (stored in UTC); PostgreSQL hands them aware."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=UTC)


def _read_row():
    """Every request runs this: raw SQL, as the ORM's query building costs ten times the read."""
    connection = connections[router.db_for_read(SiteVersion)]
    table = connection.ops.quote_name(SiteVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, changed_at, next_due FROM {table} WHERE id = %s", [ROW])  # noqa: S608 - a model's table name
        return cursor.fetchone()


def current() -> Version:
    """The version in force: one primary-key read per request, a write only when one is due."""
    row = _read_row()
    if row is None:
        return bump()
    token, changed_at, next_due = row[0], _aware(row[1]), _aware(row[2])
    if next_due is not None and next_due <= timezone.now():
        return bump()
    return Version(token, changed_at)
