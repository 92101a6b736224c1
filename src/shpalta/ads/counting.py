"""Impressions and clicks counted honestly: popular's bot filter, reader identity, window and
per-client rate limit, applied to creatives instead of articles.

The view counter's primitives are used through popular's public functions
(`readers.user_agent`, `readers.not_a_reader` and `readers.content_length`, shared with the
view beacon, `readers.make_view` for the daily-rotating keyed reader hash with yesterday's
key and the hashed address beside it, `readers.client_key`,
`readers.SharedMinuteLimiter`, `conf.DEDUP_SECONDS`, the per-address budgets of `conf`): one
reader counts once per creative per 30 minutes, a crawler or a cross-site post never, a client
over its per-minute budget is refused, and one address rotating user agents adds at most
SHPALTA_VIEWS_PER_ADDRESS_ARTICLE readers to a creative and SHPALTA_VIEWS_PER_ADDRESS_SITE to
the site per half hour (a reader over budget keeps its mark: its repeats are duplicates).
Popular's storage is bound to articles (HourlyViews), so the marks and the daily counts live
here: in the database on the embedded path, the marks, rate window and budgets in Redis when
SHPALTA_REDIS_URL is set.
"""

import enum
import threading
import time
from datetime import UTC, date, datetime

from django.db import connection, transaction

from shpalta.ops import ratelimit
from shpalta.ops.clients import client_ip
from shpalta.popular import conf as popular_conf
from shpalta.popular import readers
from shpalta.popular.beacon import Malformed, id_from
from shpalta.popular.counters import redis_client

from . import conf
from .models import Creative, DailyStats, Mark

MAX_BODY = 256
MAX_ID = 2**63 - 1
PRUNE_EVERY = 60
MARK_KEEP_SECONDS = 2 * 3600
LIVE_IDS_SECONDS = 5  # how long a process trusts its list of creatives that may be counted


class Verdict(enum.StrEnum):
    COUNTED = "counted"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"  # a crawler, a cross-site post, a creative not running
    MALFORMED = "malformed"
    LIMITED = "limited"
    CAPPED = "capped"  # a new reader, but its address has had its budget for the half hour


class Kind(enum.StrEnum):
    IMPRESSION = "i"
    CLICK = "c"


def creative_id_from(body: bytes) -> int:
    """Exactly `{"creative": <positive integer>}`, as ads.js sends it (popular's parser)."""
    return id_from(body, "creative", MAX_ID, MAX_BODY)


class _LiveIds:
    """Ids of the creatives running now, refreshed every few seconds per process: a beacon
    for anything else is ignored without a query."""

    def __init__(self):
        self._lock = threading.Lock()
        self._at = 0.0
        self._ids: frozenset[int] = frozenset()

    def get(self, now: float) -> frozenset[int]:
        with self._lock:
            if now - self._at < LIVE_IDS_SECONDS:
                return self._ids
        at = datetime.fromtimestamp(now, tz=UTC)
        ids = frozenset(
            Creative.objects.running(at).exclude(starts_at__gt=at).values_list("pk", flat=True)
        )
        with self._lock:
            self._ids, self._at = ids, now
        return ids

    def reset(self):
        with self._lock:
            self._at, self._ids = 0.0, frozenset()


live_ids = _LiveIds()


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def add_to_stats(cursor, creative_id: int, day: date, kind: Kind) -> None:
    table = _q(DailyStats._meta.db_table)
    impressions, clicks = (1, 0) if kind is Kind.IMPRESSION else (0, 1)
    sql = (
        f"INSERT INTO {table} (creative_id, day, impressions, clicks) "  # noqa: S608 - model names
        "VALUES (%s, %s, %s, %s) ON CONFLICT (creative_id, day) DO UPDATE SET "
        f"impressions = {table}.impressions + excluded.impressions, "
        f"clicks = {table}.clicks + excluded.clicks"
    )
    cursor.execute(
        sql, [creative_id, connection.ops.adapt_datefield_value(day), impressions, clicks]
    )


class MinuteLimiter(readers.SharedMinuteLimiter):
    """Popular's per-minute windows shared by all processes (ops.ratelimit), under a scope of
    the ads' own: ad beacons do not eat the reader's view budget, nor views theirs."""

    scope = "ads"


ADDRESS_SCOPE = "ads-address"


def within_address_budget(kind: "Kind", creative_id: int, address: str, at: float) -> bool:
    """A new reader's place in its address's half-hour budgets (popular's bounds), counted
    across processes by ops.ratelimit; an address popular could not hash is not budgeted."""
    per_creative = popular_conf.views_per_address_article()
    per_site = popular_conf.views_per_address_site()
    window = popular_conf.ADDRESS_WINDOW_SECONDS
    if not address:
        return True
    if (
        per_creative
        and not ratelimit.hit(
            ADDRESS_SCOPE, f"{kind}:{address}:{creative_id}", per_creative, window, now=at
        )[0]
    ):
        return False
    return (
        not per_site
        or ratelimit.hit(ADDRESS_SCOPE, f"{kind}:{address}", per_site, window, now=at)[0]
    )


class DatabasePath:
    """Marks and counts in the site's database; the per-minute window and the address budgets
    in ops.ratelimit's store (shared by all processes), as popular's embedded path keeps them."""

    def __init__(self):
        self.limiter = MinuteLimiter()
        self._last_prune = 0.0
        self._prune_lock = threading.Lock()

    def record(self, kind: Kind, creative_id: int, ip: str, agent: str, now: float) -> Verdict:
        client = readers.client_key(ip, agent, now)
        if not self.limiter.allow(f"{kind}:{client}", conf.impressions_per_minute(), now):
            return Verdict.LIMITED
        reader = readers.make_view(ip, agent, creative_id, now)
        key, previous = f"{kind}:{reader.key}", f"{kind}:{reader.previous_key}"
        window = popular_conf.DEDUP_SECONDS
        table, column = _q(Mark._meta.db_table), _q("key")
        with transaction.atomic(), connection.cursor() as cursor:
            if reader.at % 86400 < window:  # just after midnight: yesterday's key still binds
                cursor.execute(
                    f"SELECT seen_at FROM {table} WHERE {column} = %s",  # noqa: S608
                    [previous],
                )
                row = cursor.fetchone()
                if row and reader.at < row[0] + window:
                    return Verdict.DUPLICATE
            cursor.execute(
                f"INSERT INTO {table} ({column}, seen_at) VALUES (%s, %s) "  # noqa: S608
                f"ON CONFLICT ({column}) DO UPDATE SET seen_at = excluded.seen_at "
                f"WHERE excluded.seen_at >= {table}.seen_at + {window} RETURNING {column}",
                [key, reader.at],
            )
            if cursor.fetchone() is None:
                return Verdict.DUPLICATE
            if not within_address_budget(kind, creative_id, reader.address, reader.at):
                return Verdict.CAPPED
            add_to_stats(cursor, creative_id, _day(reader.at), kind)
            self._maybe_prune(cursor, reader.at)
        return Verdict.COUNTED

    def _maybe_prune(self, cursor, now: int) -> None:
        with self._prune_lock:
            if now - self._last_prune < PRUNE_EVERY:
                return
            self._last_prune = now
        table = _q(Mark._meta.db_table)
        cursor.execute(
            f"DELETE FROM {table} WHERE seen_at < %s",  # noqa: S608
            [now - MARK_KEEP_SECONDS],
        )

    def reset(self) -> None:
        self.limiter.reset()
        ratelimit.reset(ADDRESS_SCOPE)
        self._last_prune = 0.0


MARK_LUA = """
-- KEYS: rate counter, mark today, mark yesterday, address budget on the creative, on the site
-- ARGV: limit, mark ttl, per-creative budget, per-site budget, budget ttl
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], 120) end
if n > tonumber(ARGV[1]) then return -1 end
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', tonumber(ARGV[2])) then return 0 end
for i = 4, 5 do
  local budget = tonumber(ARGV[i - 1])
  if budget > 0 and KEYS[i] ~= '' then
    if tonumber(redis.call('GET', KEYS[i]) or '0') >= budget then return 2 end
  end
end
for i = 4, 5 do
  if tonumber(ARGV[i - 1]) > 0 and KEYS[i] ~= '' then
    if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], tonumber(ARGV[5])) end
  end
end
return 1
"""


class RedisPath:
    """Rate window and marks in Redis (one atomic script, shared by every server); a counted
    impression or click is added to DailyStats at once."""

    def __init__(self, url: str, prefix: str):
        self.client = redis_client(url)
        self.prefix = prefix
        self._mark = self.client.register_script(MARK_LUA)

    def record(self, kind: Kind, creative_id: int, ip: str, agent: str, now: float) -> Verdict:
        client = readers.client_key(ip, agent, now)
        reader = readers.make_view(ip, agent, creative_id, now)
        window = popular_conf.ADDRESS_WINDOW_SECONDS
        slot = reader.at // window
        budget = f"{self.prefix}budget:{kind}:{reader.address}:{slot}"
        keys = [
            f"{self.prefix}rate:{kind}:{client}:{reader.at // 60}",
            f"{self.prefix}seen:{kind}:{reader.key}",
            f"{self.prefix}seen:{kind}:{reader.previous_key}",
            f"{budget}:{creative_id}" if reader.address else "",
            budget if reader.address else "",
        ]
        args = [
            conf.impressions_per_minute(),
            popular_conf.DEDUP_SECONDS,
            popular_conf.views_per_address_article(),
            popular_conf.views_per_address_site(),
            (slot + 1) * window - reader.at + 60,
        ]
        result = self._mark(keys=keys, args=args)
        if result == -1:
            return Verdict.LIMITED
        if result == 0:
            return Verdict.DUPLICATE
        if result == 2:
            return Verdict.CAPPED
        with connection.cursor() as cursor:
            add_to_stats(cursor, creative_id, _day(reader.at), kind)
        return Verdict.COUNTED

    def reset(self) -> None:
        keys = list(self.client.scan_iter(match=f"{self.prefix}*", count=1000))
        if keys:
            self.client.delete(*keys)


def _day(at: int) -> date:
    return datetime.fromtimestamp(at, tz=UTC).date()


_database_path = DatabasePath()
_redis_paths: dict[tuple[str, str], RedisPath] = {}
_paths_lock = threading.Lock()


def path() -> DatabasePath | RedisPath:
    url = conf.redis_url()
    if not url:
        return _database_path
    key = (url, conf.redis_prefix())
    with _paths_lock:
        if key not in _redis_paths:
            _redis_paths[key] = RedisPath(*key)
        return _redis_paths[key]


def count(request, kind: Kind, creative_id: int) -> Verdict:
    """The filter, then the count: a crawler or a cross-site request costs no write."""
    agent = readers.user_agent(request)
    if readers.not_a_reader(request, agent):
        return Verdict.IGNORED
    now = time.time()
    if creative_id not in live_ids.get(now):
        return Verdict.IGNORED
    return path().record(kind, creative_id, client_ip(request), agent, now)


def impression(request) -> Verdict:
    """The impression beacon: parse, filter, count."""
    if readers.content_length(request, MAX_BODY) > MAX_BODY:
        return Verdict.MALFORMED
    try:
        creative_id = creative_id_from(request.body)
    except Malformed:
        return Verdict.MALFORMED
    return count(request, Kind.IMPRESSION, creative_id)
