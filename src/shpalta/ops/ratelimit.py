"""Fixed-window request budgets that hold across every process of the site.

`hit(scope, client, limit, window)` counts one request of `client` in the current window of
`window` seconds and says whether it is within `limit`. Where the count lives:

- with SHPALTA_REDIS_URL: in Django's cache, which is then Redis (one INCR, shared by every
  app server);
- without it (the embedded default): in a small SQLite file in SHPALTA_DATA_DIR
  (`ratelimit.sqlite3`, WAL, mode 0600), one atomic UPSERT ... RETURNING per request, so the
  workers of `shpalta serve` share one budget. An in-process dictionary (what the site used
  before, still there with SHPALTA_RATELIMIT_STORE=process) let each of N workers grant the
  whole limit: N times the limit in all.

Clients are stored as keyed hashes (never an address in the file). Should the file fail (a
full or read-only disk), the request is counted in this process instead and a warning is
logged once a minute: limits then hold per worker, as they did before, rather than not at all.
"""

import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

log = logging.getLogger(__name__)

FILENAME = "ratelimit.sqlite3"
PRUNE_EVERY = 60  # seconds between deletions of expired windows, per process
BUSY_TIMEOUT_MS = 2000
BUSY_DEADLINE = 10.0  # seconds a request waits for a busy file before counting in-process
IO_RETRIES = 25  # reopenings after a disk I/O error before counting in-process
IO_RETRY_PAUSE = 0.01  # seconds between them
SQLITE_IOERR = 10  # the primary result code of every SQLITE_IOERR_* (the low byte)

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hits ("
    " key TEXT PRIMARY KEY, ends INTEGER NOT NULL, n INTEGER NOT NULL) WITHOUT ROWID"
)
# One statement, so one atomic step in SQLite whatever the number of processes: a row whose
# window has ended starts again at 1; MAX keeps a request timed a moment earlier by another
# thread from moving the window back.
UPSERT = (
    "INSERT INTO hits (key, ends, n) VALUES (?, ?, 1) ON CONFLICT (key) DO UPDATE SET "
    "n = CASE WHEN hits.ends >= excluded.ends THEN hits.n + 1 ELSE 1 END, "
    "ends = MAX(hits.ends, excluded.ends) RETURNING n"
)


def busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY/SQLITE_LOCKED: another process holds the file for a moment."""
    message = str(error).lower()
    return "locked" in message or "busy" in message


def io_error(error: sqlite3.Error) -> bool:
    """SQLITE_IOERR_*: the disk failed a read or a write. The one cause seen here (a persistent
    SQLITE_IOERR_SHORT_READ under a loaded CI run) was our own dropped locks, fixed in `_open`;
    an error that passes is retried on a fresh connection before counting in the process."""
    return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF == SQLITE_IOERR


def client_hash(scope: str, client: str) -> str:
    return salted_hmac("shpalta.ops.ratelimit", f"{scope}\n{client}").hexdigest()[:32]


class DiskCounters:
    """The SQLite file: one connection per thread of each process, opened on first use."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._last_prune = 0.0
        self._prune_lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Several workers opening a new, empty file at once raced in SQLite's switch to WAL:
        # now and then one process went on counting in a database of its own (no error, its
        # every request granted) or met "disk I/O error". Opening is serialised across
        # processes by a lock file; requests on open connections never take it.
        lock = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            conn = self._open()
        finally:
            os.close(lock)  # closing releases the lock
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _open(self) -> sqlite3.Connection:
        # Created 0600 before SQLite opens it; its -wal and -shm files take the same mode. Only
        # when it is missing: closing any descriptor of the file drops every POSIX lock this
        # process holds on it, those of the other threads' SQLite connections included, and
        # another process, seeing no lock, then reset the WAL under them (a persistent
        # SQLITE_IOERR_SHORT_READ, seen under a loaded CI run: one worker granted its every hit).
        # Opening is serialised by the lock file, so no connection to a missing file exists.
        if not self.path.exists():
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=True
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            # Counts of the current minute need not survive a power cut: no fsync per request.
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute(SCHEMA)
        except sqlite3.Error:
            conn.close()  # half set up: the next request opens it again
            raise
        return conn

    def incr(self, key: str, ends: int, now: float) -> int:
        # A file that is busy is not a file that is broken: under a burst on a loaded machine
        # a writer can wait past SQLite's busy timeout (or meet another process switching the
        # file to WAL), and counting that request in this process would grant it twice.
        # A disk I/O error is retried on a new connection a few times, so that one passing error
        # does not make this worker grant the whole limit again; one that stays falls back fast.
        give_up = time.monotonic() + BUSY_DEADLINE
        reopenings = 0
        while True:
            try:
                conn = self._connection()
                (count,) = conn.execute(UPSERT, (key, ends)).fetchone()
                break
            except sqlite3.OperationalError as error:
                if io_error(error) and reopenings < IO_RETRIES:
                    reopenings += 1
                    self._forget_connection()
                    time.sleep(IO_RETRY_PAUSE)
                    continue
                if not busy(error) or time.monotonic() > give_up:
                    raise
                time.sleep(0.005)
        self._maybe_prune(conn, now)
        return count

    def _forget_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def _maybe_prune(self, conn: sqlite3.Connection, now: float) -> None:
        with self._prune_lock:
            if now - self._last_prune < PRUNE_EVERY:
                return
            self._last_prune = now
        conn.execute("DELETE FROM hits WHERE ends < ?", (int(now),))

    def clear(self, prefix: str = "") -> None:
        conn = self._connection()
        conn.execute("DELETE FROM hits WHERE key >= ? AND key < ?", (prefix, prefix + "\uffff"))


class LocalCounters:
    """The fallback when the file cannot be used: this process's own counts."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, int]] = {}

    def incr(self, key: str, ends: int, now: float) -> int:
        with self._lock:
            if len(self._counts) > 50_000:
                self._counts = {k: v for k, v in self._counts.items() if v[0] >= now}
            old_ends, n = self._counts.get(key, (0, 0))
            count = n + 1 if old_ends >= ends else 1
            self._counts[key] = (max(old_ends, ends), count)
            return count

    def clear(self, prefix: str = "") -> None:
        with self._lock:
            self._counts = {k: v for k, v in self._counts.items() if not k.startswith(prefix)}


_disk: dict[Path, DiskCounters] = {}
_disk_lock = threading.Lock()
_local = LocalCounters()
_last_warning = 0.0


def store_path() -> Path:
    return Path(settings.DATA_DIR) / FILENAME


def disk() -> DiskCounters:
    path = store_path()
    with _disk_lock:
        if path not in _disk:
            _disk[path] = DiskCounters(path)
        return _disk[path]


def _count_on_disk(key: str, ends: int, now: float) -> int:
    global _last_warning
    try:
        return disk().incr(key, ends, now)
    except (sqlite3.Error, OSError) as error:
        if now - _last_warning > 60:
            _last_warning = now
            log.warning(
                "rate limits counted per process: %s unusable (%s); check the disk and the "
                "file's owner",
                store_path(),
                f"{error}, {getattr(error, 'sqlite_errorname', '')}".rstrip(", "),
            )
        return _local.incr(key, ends, now)


def _count_in_cache(key: str, window: int) -> int:
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        return 1


def hit(scope: str, client: str, limit: int, window: int, now: float | None = None):
    """Count one request; (allowed, seconds until the window ends)."""
    now = time.time() if now is None else now
    slot = int(now // window)
    ends = (slot + 1) * window
    key = f"{scope}:{client_hash(scope, client)}"
    if settings.REDIS_URL:
        count = _count_in_cache(f"{key}:{slot}", window)
    elif settings.SHPALTA_RATELIMIT_STORE == "process":
        count = _local.incr(key, ends, now)
    else:
        count = _count_on_disk(key, ends, now)
    return count <= limit, max(1, int(ends - now))


def reset(scope: str = "") -> None:
    """Forget the counts of `scope` (all scopes by default) on the embedded path (tests)."""
    prefix = f"{scope}:" if scope else ""
    _local.clear(prefix)
    try:
        disk().clear(prefix)
    except (sqlite3.Error, OSError):
        log.warning("rate limits: could not clear %s", store_path())
