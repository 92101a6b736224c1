"""The site-wide content version that keys every cached page, feed and sitemap.

Saving or deleting an article, category, tag or author (and changing an article's tags or
authors) changes the version, which retires every cached page in one cheap UPDATE. A
scheduled article needs no save to appear: the version carries the next publication time and
changes by itself once that time has passed.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, Subquery
from django.utils import timezone

from shpalta.news.models import Article

from .models import SiteVersion

ROW = 1


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: datetime


def _next_due(now: datetime) -> Subquery:
    """The publication time of the next scheduled article (served by the status/date index)."""
    scheduled = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
    return Subquery(
        scheduled.order_by().values("status").annotate(due=Min("published_at")).values("due")[:1]
    )


def bump() -> Version:
    """Give the site a new version: one UPDATE, run inside the caller's transaction."""
    now = timezone.now()
    token = uuid.uuid4().hex
    updated = SiteVersion.objects.filter(pk=ROW).update(
        token=token, changed_at=now, next_due=_next_due(now)
    )
    if not updated:
        SiteVersion.objects.update_or_create(
            pk=ROW, defaults={"token": token, "changed_at": now, "next_due": _next_due(now)}
        )
    return Version(token, now)


def current() -> Version:
    """The version in force: one primary-key read per request, a write only when one is due."""
    row = SiteVersion.objects.filter(pk=ROW).values_list("token", "changed_at", "next_due").first()
    if row is None:
        return bump()
    token, changed_at, next_due = row
    if next_due is not None and next_due <= timezone.now():
        return bump()
    return Version(token, changed_at)
