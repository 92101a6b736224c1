"""Cache scopes: pages that change on their own clock, retired without retiring the site.

A live story gets a new entry every few minutes for hours; changing the site version for each
would empty the whole page cache that often. Instead the story's page and its update feed
declare a scope (`declare(request, "live:42")`) while they render; the page cache remembers
that those addresses belong to the scope and keys them by the scope's token as well as the
site's, and `bump("live:42")` retires exactly them. Tokens live in the database, so every
app-server process sees a change at once.
"""

import uuid

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from .models import CacheScope

REQUEST_ATTRIBUTE = "shpalta_cache_scope"


def declare(request, scope: str) -> None:
    """Said by a view or a template tag while rendering: this answer changes with `scope`."""
    setattr(request, REQUEST_ATTRIBUTE, scope)


def declared(request) -> str | None:
    return getattr(request, REQUEST_ATTRIBUTE, None)


def token(scope: str) -> str:
    """The scope's token (empty before its first change): one primary-key read, raw SQL."""
    connection = connections[router.db_for_read(CacheScope)]
    table = connection.ops.quote_name(CacheScope._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE name = %s", [scope])  # noqa: S608 - a model's table name
        row = cursor.fetchone()
    return row[0] if row else ""


def bump(scope: str) -> str:
    """Give the scope a new token: one UPDATE, or the row's first INSERT (racing ones agree)."""
    fresh, now = uuid.uuid4().hex, timezone.now()
    if CacheScope.objects.filter(name=scope).update(token=fresh, changed_at=now):
        return fresh
    try:
        with transaction.atomic():
            CacheScope.objects.create(name=scope, token=fresh, changed_at=now)
    except IntegrityError:  # another process created it meanwhile: take over its row
        CacheScope.objects.filter(name=scope).update(token=fresh, changed_at=now)
    return fresh
