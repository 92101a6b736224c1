"""The site-wide content version that keys every cached page, feed and sitemap.

Saving or deleting an article, category, tag or author (and changing an article's tags or
authors) changes the version, which retires every cached page in one cheap UPDATE. A
scheduled article needs no save to appear: the version carries the next publication time and
changes by itself once that time has passed. Other timed changes (a breaking-news strip that
expires) join that time through `register_due`.

The row in the database is the truth; a process does not read it on every request. Each
process remembers the version it last read, with its next due time, and a change is announced
after commit next to the pages, where checking for it costs almost nothing:

- pages in a shared cache (Redis, the scale path): a notice key in that cache, which the page
  cache reads in the same round trip as the page;
- pages in each process's memory on a SQLite site (the embedded default): a small file beside
  the database (`shpalta.sqlite3-version`), whose stat tells each process whether it changed;
- otherwise (PostgreSQL with a per-process cache, maybe several machines): the row on every
  request, as nothing else is shared.

The notice is only ever replaced by a new, never-seen value (a file's new inode and time, a
random token), and a process reads the row only after it has seen the notice, so the version
it remembers beside a notice is never older than the last change announced before it. Between
a commit and its announcement (microseconds) a process may still serve the version before.
"""

import contextvars
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import connections, router, transaction
from django.db.models import Min
from django.utils import timezone

from shpalta.news.models import Article

from .models import SiteVersion

ROW = 1
NOTICE_KEY = "site-version-notice"  # in the shared cache: a new random value at every change
NOTICE_SUFFIX = "-version"  # beside the SQLite file, as its -wal and -shm files are
# A file's time comes from a coarse clock (a tick of a few ms; whole seconds on some
# filesystems): two changes within one tick can leave the same time. A stat younger than this
# is therefore not trusted, and the row is read until it has settled (git does the same).
SETTLED_NS = 2_000_000_000
DueSource = Callable[[datetime], datetime | None]
_due_sources: list[DueSource] = []


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: datetime


@dataclass(frozen=True)
class _Memo:
    """What this process read from the row, and the notice it had seen just before."""

    notice: object
    version: Version
    due: float | None  # the row's next_due, in seconds since the epoch


_memo: _Memo | None = None


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
    """Give the site a new version: one UPDATE, run inside the caller's transaction, announced
    to the other processes once it commits."""
    now = timezone.now()
    token = uuid.uuid4().hex
    due = _next_due(now)
    updated = SiteVersion.objects.filter(pk=ROW).update(token=token, changed_at=now, next_due=due)
    if not updated:
        SiteVersion.objects.update_or_create(
            pk=ROW, defaults={"token": token, "changed_at": now, "next_due": due}
        )
    transaction.on_commit(announce, using=router.db_for_write(SiteVersion))
    return Version(token, now)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands raw datetimes back naive (stored in UTC); PostgreSQL hands them aware."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=UTC)


def _read_row(alias: str):
    """Raw SQL, as the ORM's query building costs ten times the read."""
    connection = connections[alias]
    table = connection.ops.quote_name(SiteVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, changed_at, next_due FROM {table} WHERE id = %s", [ROW])  # noqa: S608 - a model's table name
        return cursor.fetchone()


# -- the notice ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    kind: str  # "cache", "file" or "": nowhere, the row is read on every request
    path: Path | None  # the notice file
    primary: str  # the database the row is written to, and read from before it is remembered


def _where() -> _Place:
    """Where changes are announced. Worked out once per process (again if a test changes the
    settings)."""
    global _place
    if _place is None:
        # In a copy of the context: asking a router where writes go may pin the rest of the
        # request to the primary (db_router's read-your-writes), and nothing is written here.
        primary = contextvars.copy_context().run(router.db_for_write, SiteVersion)
        database = connections[primary]
        if not isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache | DummyCache):
            _place = _Place("cache", None, primary)
        elif database.vendor == "sqlite":
            _place = _Place("file", _notice_file(str(database.settings_dict["NAME"])), primary)
        else:
            _place = _Place("", None, primary)
    return _place


def _notice_file(name: str) -> Path:
    """Beside the database file, so every process using it finds the same one; an in-memory
    database (one process) keeps it in the data directory."""
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return Path(settings.DATA_DIR) / f"site{NOTICE_SUFFIX}"
    return Path(name + NOTICE_SUFFIX)


def _settings_changed(setting: str, **kwargs) -> None:
    global _place, _memo
    if setting in {"CACHES", "DATABASES", "DATA_DIR"}:
        _place, _memo = None, None


setting_changed.connect(_settings_changed)
_place: _Place | None = None


UNSETTLED = object()  # a notice that must not be remembered: equal to nothing, not even itself


def read_notice():
    """The notice as it stands (None if there is none yet), or UNSETTLED."""
    place = _where()
    if place.kind == "cache":
        return cache.get(NOTICE_KEY)
    if not place.kind:
        return UNSETTLED
    try:
        stat = os.stat(place.path)
    except FileNotFoundError:
        return None
    if time.time_ns() - stat.st_mtime_ns < SETTLED_NS:
        return UNSETTLED
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def row_removed(sender, using: str, **kwargs) -> None:
    """The row deleted (by hand, or emptied by a flush): announced once that commits, so every
    process reads it again and makes a new one."""
    transaction.on_commit(announce, using=using)


def announce(**kwargs) -> None:
    """Tell every process that the row changed (or may have: a delete, a flush): a new notice
    nobody has seen. This process forgets what it read as well."""
    global _memo
    _memo = None
    place = _where()
    if place.kind == "cache":
        cache.set(NOTICE_KEY, uuid.uuid4().hex, None)
    elif place.kind == "file":
        path = place.path
        # A new file renamed over the old one: a new inode and a new time, never a half write.
        handle, temporary = tempfile.mkstemp(prefix=path.name, dir=path.parent)
        try:
            os.write(handle, uuid.uuid4().hex.encode())
        finally:
            os.close(handle)
        os.replace(temporary, path)


# -- the version in force -----------------------------------------------------------------------


def in_shared_cache() -> bool:
    """The notice is a key in the cache that holds the pages (read it with them: `noticed`)."""
    return _where().kind == "cache"


def remembered() -> Version | None:
    """The version this process last read (the page cache guesses its key from it)."""
    memo = _memo
    return memo.version if memo is not None else None


def current() -> Version:
    """The version in force. No query while the notice is the one this process saw when it
    last read the row and no scheduled change has come due; else one primary-key read (and a
    write only when a change is due)."""
    return noticed(read_notice())


def noticed(notice) -> Version:
    """`current()` for a caller that has read the notice itself (the page cache reads it in
    the same round trip as the page)."""
    global _memo
    memo = _memo
    if memo is not None and memo.notice == notice and (memo.due is None or time.time() < memo.due):
        return memo.version
    if notice is None:  # the first process, a flushed cache, a removed file
        announce()
        notice = read_notice()
    place = _where()
    # The row is remembered only from the primary (a replica may lag behind the notice), and
    # only outside a transaction (what a transaction read may be rolled back).
    remember = notice is not UNSETTLED and not connections[place.primary].in_atomic_block
    row = _read_row(place.primary if remember else router.db_for_read(SiteVersion))
    if row is None:
        return bump()
    token, changed_at, next_due = row[0], _aware(row[1]), _aware(row[2])
    if next_due is not None and next_due <= timezone.now():
        return bump()
    version = Version(token, changed_at)
    if remember:
        _memo = _Memo(notice, version, next_due.timestamp() if next_due else None)
    return version
