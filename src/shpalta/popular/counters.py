"""Counting views once: the embedded path (SQL, group commit) and the Redis path.

Both paths answer the same question for a View — counted, or already counted in the last
30 minutes — and both end in HourlyViews. The embedded path writes there directly, inside
the transaction that also records the reader mark, so a count exists exactly when its mark
does. The Redis path increments counters atomically in Redis and `flush()` moves them to the
database in one write per (article, hour) per flush.
"""

import enum
import logging
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import OperationalError, connection, transaction

from shpalta.news.models import Article
from shpalta.ops.batching import batched

from . import conf
from .applied import apply_once
from .groupcommit import GroupCommit
from .journal import Journal
from .models import AddressBudget, HourlyViews, ReaderMark
from .readers import SharedMinuteLimiter, View

log = logging.getLogger(__name__)

CHUNK = 300  # rows per multi-row statement: far below every backend's parameter limit
PRUNE_EVERY = 60  # seconds between deletions of expired reader marks
# Marks outlive the 30-minute window so that a journal segment recovered late (after a
# crash) is still de-duplicated against views counted meanwhile.
MARK_KEEP_SECONDS = 2 * 3600


def _nothing() -> None:
    pass


class Outcome(enum.StrEnum):
    COUNTED = "counted"
    DUPLICATE = "duplicate"
    QUEUED = "queued"  # in the journal: counted or not when the segment is applied
    LIMITED = "limited"
    CAPPED = "capped"  # a new reader, but its address has had its budget (see budgets())


@dataclass
class FlushSummary:
    flushes: int = 0
    replayed: int = 0
    articles: int = 0
    views: int = 0  # counted, i.e. added to HourlyViews
    received: int = 0  # journal lines read, duplicates included

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def hour_of(at: int) -> datetime:
    return datetime.fromtimestamp(at - at % 3600, tz=UTC)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def add_to_buckets(cursor, totals: dict[tuple[int, datetime], int]) -> None:
    """One UPSERT row per (article, hour): the write count does not grow with views."""
    if not totals:
        return
    table = _q(HourlyViews._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    # Identifiers come from model metadata, values go as parameters.
    sql = (
        f"INSERT INTO {table} (article_id, hour, views) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (article_id, hour) DO UPDATE SET views = {table}.views + excluded.views"
    )
    cursor.executemany(sql, [(a, adapt(h), n) for (a, h), n in sorted(totals.items())])


def budget_keys(view: View) -> tuple[str, str]:
    """The view's address budgets: on its article, on the whole site, for its half hour."""
    slot = view.at // conf.ADDRESS_WINDOW_SECONDS
    return f"a:{view.address}:{view.article_id}:{slot}", f"s:{view.address}:{slot}"


def budget_ends(view: View) -> int:
    return (view.at // conf.ADDRESS_WINDOW_SECONDS + 1) * conf.ADDRESS_WINDOW_SECONDS


def budgets() -> tuple[int, int]:
    """(per article, per site) readers one address may add per half hour; 0 is no bound."""
    return conf.views_per_address_article(), conf.views_per_address_site()


def existing_articles(cursor, ids: Iterable[int]) -> set[int]:
    """Articles deleted since their beacon was accepted get no counter (and break no FK)."""
    ids = sorted(set(ids))
    found: set[int] = set()
    table, pk = _q(Article._meta.db_table), _q(Article._meta.pk.column)
    for chunk in batched(ids, 900):
        marks = ", ".join(["%s"] * len(chunk))
        sql = f"SELECT {pk} FROM {table} WHERE {pk} IN ({marks})"  # noqa: S608 - as above
        cursor.execute(sql, list(chunk))
        found.update(row[0] for row in cursor.fetchall())
    return found


# --- embedded path ----------------------------------------------------------------------


class DatabaseCounter:
    """Reader marks and hourly counters in the site's database.

    With SHPALTA_VIEWS_FLUSH_SECONDS > 0 (the default) a beacon is appended to this
    process's journal and batches reach the database every that many seconds (see
    journal.py); with 0 every beacon is written before it is answered, concurrent ones
    sharing a transaction (group commit). Both end in `apply`.
    """

    background = True  # the journal's flusher thread; tests drive flushes themselves

    def __init__(self):
        self.limiter = SharedMinuteLimiter()  # one budget for all processes (ops.ratelimit)
        self.writer = GroupCommit(self._write_batch)
        self._last_prune = 0.0
        self._prune_lock = threading.Lock()
        self._journal: Journal | None = None
        self._journal_key: tuple | None = None
        self._journal_lock = threading.Lock()

    def record(
        self, view: View, client: str, on_flush_due: Callable[[], None] = _nothing
    ) -> Outcome:
        """Counted in this process's journal (or at once); its flushes need no hand-over."""
        if not self.limiter.allow(client, conf.views_per_minute(), view.at):
            return Outcome.LIMITED
        if conf.flush_seconds() > 0:
            self.journal().append(view)
            return Outcome.QUEUED
        counted = self.writer.submit(view, view.key)
        return Outcome.COUNTED if counted else Outcome.DUPLICATE

    def journal(self) -> Journal:
        """This process's journal: a forked server worker opens its own."""
        key = (os.getpid(), str(conf.journal_dir()), conf.flush_seconds())
        with self._journal_lock:
            if self._journal_key != key:
                self._journal = Journal(conf.journal_dir(), self.apply, max(1, key[2]))
                self._journal_key = key
                if self.background:
                    self._journal.start()
            return self._journal

    def flush(self) -> FlushSummary:
        """Apply every journal segment no live process holds (this one's current one too)."""
        if not conf.journal_dir().exists():
            return FlushSummary()
        segments, views, counted = self.journal().flush()
        return FlushSummary(flushes=segments, views=counted, received=views)

    def _write_batch(self, views: Sequence[View]) -> set[str]:
        """Retries a batch the database refused (SQLite: lock wait timed out) a few times."""
        for attempt in range(3):
            try:
                return self.apply(views)
            except OperationalError:
                if attempt == 2:
                    raise
                log.warning("popular: view batch of %d retried after lock timeout", len(views))
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def apply(self, views: Sequence[View]) -> set[str]:
        """Count each view whose reader has no fresh mark; return the keys that counted."""
        first: dict[str, View] = {}
        for view in views:
            first.setdefault(view.key, view)
        with transaction.atomic(), connection.cursor() as cursor:
            live = existing_articles(cursor, (v.article_id for v in first.values()))
            candidates = [v for v in first.values() if v.article_id in live]
            candidates = self._drop_seen_yesterday(cursor, candidates)
            counted = self._mark(cursor, candidates)
            counted = self._within_budgets(cursor, [v for v in candidates if v.key in counted])
            totals = Counter((v.article_id, hour_of(v.at)) for v in candidates if v.key in counted)
            add_to_buckets(cursor, totals)
            self._maybe_prune(cursor, max((v.at for v in views), default=0))
        return counted

    @staticmethod
    def _drop_seen_yesterday(cursor, views: list[View]) -> list[View]:
        """In the first half hour after UTC midnight, honour marks made under yesterday's key."""
        early = [v for v in views if v.at % 86400 < conf.DEDUP_SECONDS]
        if not early:
            return views
        table = _q(ReaderMark._meta.db_table)
        seen: dict[str, int] = {}
        for chunk in batched(early, 900):
            marks = ", ".join(["%s"] * len(chunk))
            key = _q("key")
            sql = f"SELECT {key}, seen_at FROM {table} WHERE {key} IN ({marks})"  # noqa: S608
            cursor.execute(sql, [v.previous_key for v in chunk])
            seen.update(cursor.fetchall())
        return [
            v
            for v in views
            if v.previous_key not in seen or v.at >= seen[v.previous_key] + conf.DEDUP_SECONDS
        ]

    @staticmethod
    def _mark(cursor, views: list[View]) -> set[str]:
        """Insert a mark, or renew one older than the de-duplication window; RETURNING names
        exactly the rows that were written, i.e. the views that count."""
        counted: set[str] = set()
        table, key = _q(ReaderMark._meta.db_table), _q("key")
        for chunk in batched(views, CHUNK):
            rows = ", ".join(["(%s, %s)"] * len(chunk))
            sql = (
                f"INSERT INTO {table} ({key}, seen_at) VALUES {rows} "  # noqa: S608 - model names
                f"ON CONFLICT ({key}) DO UPDATE SET seen_at = excluded.seen_at "
                f"WHERE excluded.seen_at >= {table}.seen_at + {conf.DEDUP_SECONDS} "
                f"RETURNING {key}"
            )
            cursor.execute(sql, [value for v in chunk for value in (v.key, v.at)])
            counted.update(row[0] for row in cursor.fetchall())
        return counted

    @staticmethod
    def _within_budgets(cursor, views: list[View]) -> set[str]:
        """The keys of the new readers their address's budgets still admit, oldest first.

        Every budget row the batch touches is created or locked first (an UPSERT that changes
        nothing, in key order, RETURNING the count), so a concurrent batch in another process
        waits for this transaction and then sees its counts: the bounds are exact across
        processes on SQLite and PostgreSQL alike. A reader over budget keeps the mark just
        made: it is not counted, and its reloads in the next half hour are duplicates.
        """
        per_article, per_site = budgets()
        subject = [v for v in views if v.address] if per_article or per_site else []
        admitted = {v.key for v in views} - {v.key for v in subject}
        if not subject:
            return admitted
        ends: dict[str, int] = {}
        for view in subject:
            for key in budget_keys(view):
                ends[key] = budget_ends(view)
        table, key_col = _q(AddressBudget._meta.db_table), _q("key")
        used: dict[str, int] = {}
        for chunk in batched(sorted(ends), CHUNK):
            rows = ", ".join(["(%s, %s, 0)"] * len(chunk))
            sql = (
                f"INSERT INTO {table} ({key_col}, ends, used) VALUES {rows} "  # noqa: S608
                f"ON CONFLICT ({key_col}) DO UPDATE SET used = {table}.used "
                f"RETURNING {key_col}, used"
            )
            cursor.execute(sql, [value for k in chunk for value in (k, ends[k])])
            used.update(cursor.fetchall())
        before = dict(used)
        for view in sorted(subject, key=lambda v: (v.at, v.key)):
            on_article, on_site = budget_keys(view)
            if per_article and used[on_article] >= per_article:
                continue
            if per_site and used[on_site] >= per_site:
                continue
            used[on_article] += 1
            used[on_site] += 1
            admitted.add(view.key)
        changed = [(n, k) for k, n in sorted(used.items()) if n != before[k]]
        if changed:
            sql = f"UPDATE {table} SET used = %s WHERE {key_col} = %s"  # noqa: S608
            cursor.executemany(sql, changed)
        return admitted

    def _maybe_prune(self, cursor, now: int) -> None:
        """Marks older than the window can neither block a view nor help anyone: delete them."""
        with self._prune_lock:
            if now - self._last_prune < PRUNE_EVERY:
                return
            self._last_prune = now
        table = _q(ReaderMark._meta.db_table)
        sql = f"DELETE FROM {table} WHERE seen_at < %s"  # noqa: S608 - table from model metadata
        cursor.execute(sql, [now - MARK_KEEP_SECONDS])
        budgets_table = _q(AddressBudget._meta.db_table)
        sql = f"DELETE FROM {budgets_table} WHERE ends < %s"  # noqa: S608 - as above
        cursor.execute(sql, [now - MARK_KEEP_SECONDS])

    def reset(self) -> None:
        self.limiter.reset()
        self._last_prune = 0.0
        with self._journal_lock:
            self._journal, self._journal_key = None, None


# --- Redis path ---------------------------------------------------------------------------

RECORD_LUA = """
-- KEYS: rate counter, mark today, mark yesterday, pending hash, flush-due flag,
--       address budget on the article, address budget on the site
-- ARGV: limit, mark ttl, hash field, flush interval, article budget, site budget (0: none),
--       budget ttl
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], 120) end
if n > tonumber(ARGV[1]) then return -1 end
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', tonumber(ARGV[2])) then return 0 end
local per_article, per_site = tonumber(ARGV[5]), tonumber(ARGV[6])
if per_article > 0 and tonumber(redis.call('GET', KEYS[6]) or '0') >= per_article then
  return -2
end
if per_site > 0 and tonumber(redis.call('GET', KEYS[7]) or '0') >= per_site then return -2 end
if per_article > 0 or per_site > 0 then
  for i = 6, 7 do
    redis.call('INCR', KEYS[i])
    redis.call('EXPIRE', KEYS[i], tonumber(ARGV[7]))
  end
end
redis.call('HINCRBY', KEYS[4], ARGV[3], 1)
if redis.call('SET', KEYS[5], '1', 'NX', 'EX', tonumber(ARGV[4])) then return 2 end
return 1
"""

DETACH_LUA = """
-- KEYS: pending hash, flush hash, in-flight set; ARGV: flush id
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
"""

_clients: dict[str, object] = {}
_clients_lock = threading.RLock()


def redis_client(url: str):
    import redis

    with _clients_lock:
        if url not in _clients:
            _clients[url] = redis.Redis.from_url(url, socket_timeout=5, health_check_interval=30)
        return _clients[url]


class RedisCounter:
    """Marks expire in Redis by themselves; counts wait in one hash until flushed.

    The beacon's whole decision (rate limit, both marks, increment, is a flush due) is one
    Lua script, so it is atomic and costs one round trip however many servers run.
    """

    def __init__(self, url: str, prefix: str):
        self.client = redis_client(url)
        self.prefix = prefix
        self.pending = f"{prefix}pending"
        self.inflight = f"{prefix}flushing"
        self.flush_due = f"{prefix}flush-due"
        self._record = self.client.register_script(RECORD_LUA)
        self._detach = self.client.register_script(DETACH_LUA)

    def record(
        self, view: View, client: str, on_flush_due: Callable[[], None] = _nothing
    ) -> Outcome:
        """Counted in Redis; the first count after each flush interval calls `on_flush_due`."""
        on_article, on_site = budget_keys(view)
        per_article, per_site = budgets() if view.address else (0, 0)
        keys = [
            f"{self.prefix}rate:{client}:{view.at // 60}",
            f"{self.prefix}seen:{view.key}",
            f"{self.prefix}seen:{view.previous_key}",
            self.pending,
            self.flush_due,
            f"{self.prefix}budget:{on_article}",
            f"{self.prefix}budget:{on_site}",
        ]
        args = [
            conf.views_per_minute(),
            conf.DEDUP_SECONDS,
            f"{view.article_id}:{view.at - view.at % 3600}",
            max(1, conf.flush_seconds()),
            per_article,
            per_site,
            budget_ends(view) - view.at + 60,
        ]
        result = self._record(keys=keys, args=args)
        if result == -1:
            return Outcome.LIMITED
        if result == -2:
            return Outcome.CAPPED
        if result == 2:
            on_flush_due()
        return Outcome.COUNTED if result >= 1 else Outcome.DUPLICATE

    def flush_key(self, flush_id: str) -> str:
        return f"{self.prefix}flush:{flush_id}"

    def flush(self) -> FlushSummary:
        """Move every pending count into HourlyViews, safely repeatable at any point.

        1. RENAME the pending hash to a flush hash named by a fresh id and list the id as
           in flight (atomic); new beacons start a new pending hash meanwhile.
        2. For every id in flight (this one and any left by a flush that failed), add its
           counts to HourlyViews and record the id in AppliedFlush, in one transaction.
           An id already in AppliedFlush was applied before: its counts are not added again.
        3. Only then delete the flush hash and the id.
        A crash between any two steps leaves either the counts in Redis (step 2 retried)
        or the id in AppliedFlush (step 2 skipped): no view is lost or counted twice.
        """
        summary = FlushSummary()
        flush_id = uuid.uuid4().hex
        self._detach(keys=[self.pending, self.flush_key(flush_id), self.inflight], args=[flush_id])
        for raw_id in sorted(self.client.smembers(self.inflight)):
            fid = raw_id.decode()
            raw = self.client.hgetall(self.flush_key(fid))
            applied = apply_flush(fid, parse_pending(raw))
            if applied is None:
                summary.replayed += 1
            else:
                summary.flushes += 1
                summary.articles += applied[0]
                summary.views += applied[1]
            pipe = self.client.pipeline(transaction=True)
            pipe.delete(self.flush_key(fid))
            pipe.srem(self.inflight, fid)
            pipe.execute()
        return summary

    def pending_views(self) -> int:
        total = sum(int(v) for v in self.client.hvals(self.pending))
        for raw_id in self.client.smembers(self.inflight):
            total += sum(int(v) for v in self.client.hvals(self.flush_key(raw_id.decode())))
        return total

    def reset(self) -> None:
        keys = list(self.client.scan_iter(match=f"{self.prefix}*", count=1000))
        if keys:
            self.client.delete(*keys)


def parse_pending(raw: dict) -> dict[tuple[int, datetime], int]:
    totals: dict[tuple[int, datetime], int] = {}
    for field, value in raw.items():
        article, hour = field.decode().split(":")
        totals[(int(article), hour_of(int(hour)))] = int(value)
    return totals


def apply_flush(flush_id: str, totals: dict[tuple[int, datetime], int]) -> tuple[int, int] | None:
    """Add one flush's counts exactly once; None when this flush id was applied already."""

    def write() -> tuple[int, int]:
        with connection.cursor() as cursor:
            live = existing_articles(cursor, (a for a, _ in totals))
            kept = {k: n for k, n in totals.items() if k[0] in live}
            add_to_buckets(cursor, kept)
        return len({a for a, _ in kept}), sum(kept.values())

    return apply_once(flush_id, write)


# --- choosing a path ----------------------------------------------------------------------

_database_counter = DatabaseCounter()
_redis_counters: dict[tuple[str, str], RedisCounter] = {}


def counter() -> DatabaseCounter | RedisCounter:
    """Redis when SHPALTA_REDIS_URL is set, the site's database otherwise."""
    url = conf.redis_url()
    if not url:
        return _database_counter
    key = (url, conf.redis_prefix())
    with _clients_lock:
        if key not in _redis_counters:
            _redis_counters[key] = RedisCounter(*key)
        return _redis_counters[key]


def record(view: View, client: str, on_flush_due: Callable[[], None] = _nothing) -> Outcome:
    """Count one view; with Redis, `on_flush_due` is told when the counters should be moved to
    the database (the beacon hands that to tasks.schedule_flush)."""
    return counter().record(view, client, on_flush_due)


def flush() -> FlushSummary:
    """Redis counters, or the embedded path's journal segments, into the database."""
    return counter().flush()
