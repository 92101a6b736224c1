"""The embedded path's durable buffer: accepted views appended to a file, moved in batches.

Why a file and not a list in memory: a list dies with its process (a deploy, an OOM kill, a
worker timeout), so it cannot promise that no count is lost. Appending one short line to a
file costs a system call, and the line survives the process: it is in the operating
system's page cache the moment write() returns — the same promise SQLite itself gives in
WAL mode with synchronous=NORMAL, which is how the site's database runs.

Each process appends to a segment file of its own and holds an exclusive flock() on it.
Every SHPALTA_VIEWS_FLUSH_SECONDS a background thread closes the segment (a new one takes
its place) and applies every segment nobody holds a lock on — its own closed ones and any
left by a process that died — to the database in one transaction per segment, which also
records the segment's id in AppliedFlush. Only after that commit is the file deleted, so a
crash at any point leaves either the file (applied next time) or the record (the replay is
skipped): nothing lost, nothing counted twice. At a normal exit the process flushes itself.
"""

import atexit
import contextlib
import fcntl
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from django.db import close_old_connections

from .applied import apply_once
from .readers import View

log = logging.getLogger(__name__)

SUFFIX = ".views"


def encode(view: View) -> bytes:
    line = f"{view.at} {view.article_id} {view.key} {view.previous_key}"
    return f"{line} {view.address}\n".encode() if view.address else f"{line}\n".encode()


def decode(data: bytes) -> list[View]:
    """Whole lines only: a line cut short by a crash mid-write is not a view. A line of four
    fields (written before the per-address budgets) is a view without an address."""
    views = []
    for line in data.split(b"\n"):
        parts = line.split(b" ")
        if len(parts) not in (4, 5) or len(parts[2]) != 32 or len(parts[3]) != 32:
            continue
        if len(parts) == 5 and len(parts[4]) != 24:
            continue
        try:
            at, article_id = int(parts[0]), int(parts[1])
        except ValueError:
            continue
        address = parts[4].decode() if len(parts) == 5 else ""
        views.append(View(article_id, at, parts[2].decode(), parts[3].decode(), address))
    return views


class Journal:
    """One process's segment files in `directory`, applied by `apply(views) -> counted keys`."""

    def __init__(self, directory: Path, apply: Callable[[Sequence[View]], set], interval: float):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.apply = apply
        self.interval = interval
        self._lock = threading.Lock()  # the current segment
        self._flush_lock = threading.Lock()  # one flush at a time in this process
        self._segment: tuple[int, Path] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- writing ------------------------------------------------------------------------

    def append(self, view: View) -> None:
        line = encode(view)
        with self._lock:
            if self._segment is None:
                self._segment = self._open_segment()
            os.write(self._segment[0], line)

    def _open_segment(self) -> tuple[int, Path]:
        """Created under a name no flusher looks at, locked, and only then renamed: a flusher
        that found an unlocked new segment would apply it empty and delete it."""
        name = uuid.uuid4().hex
        hidden, path = self.directory / f".{name}.new", self.directory / f"{name}{SUFFIX}"
        fd = os.open(hidden, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.rename(hidden, path)
        return fd, path

    def _close_segment(self) -> None:
        """The current segment becomes appliable: its lock goes with the descriptor."""
        with self._lock:
            if self._segment is None:
                return
            fd, _ = self._segment
            self._segment = None
        os.close(fd)

    # --- moving to the database ---------------------------------------------------------

    def flush(self) -> tuple[int, int, int]:
        """Close the current segment, apply every unlocked one: (segments, views, counted)."""
        with self._flush_lock:
            self._close_segment()
            segments = views = counted = 0
            for path in sorted(self.directory.glob(f"*{SUFFIX}")):
                done = self._apply_segment(path)
                if done is not None:
                    segments += 1
                    views += done[0]
                    counted += done[1]
            self._remove_stillborn()
            return segments, views, counted

    def _remove_stillborn(self) -> None:
        """A process killed between creating and renaming a segment leaves an empty file."""
        cutoff = time.time() - 60
        for path in self.directory.glob(".*.new"):
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()

    def _apply_segment(self, path: Path) -> tuple[int, int] | None:
        """None when another process holds the segment or it is gone already."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None  # a live process is still writing it
            if not path.exists():
                return None  # applied and deleted while we waited for the lock
            views = decode(_read_all(fd))
            counted = self._apply_once("j" + path.stem, views)
            path.unlink(missing_ok=True)
            return len(views), counted
        finally:
            os.close(fd)

    def _apply_once(self, flush_id: str, views: list[View]) -> int:
        """The views counted; 0 when this segment was applied already (by us or another)."""

        def write() -> tuple[int, int]:
            counted = self.apply(views) if views else set()
            return len({v.article_id for v in views if v.key in counted}), len(counted)

        applied = apply_once(flush_id, write)
        return 0 if applied is None else applied[1]

    # --- the background flusher ---------------------------------------------------------

    def start(self) -> None:
        """A daemon thread flushing every `interval` seconds, and a flush at a normal exit."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="views-journal", daemon=True)
        self._thread.start()
        atexit.register(self.stop)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.flush()
            except Exception:
                log.exception("popular: journal flush failed; the segments stay for the next")
            finally:
                close_old_connections()

    def stop(self) -> None:
        self._stop.set()
        try:
            self.flush()
        except Exception:
            log.exception("popular: journal flush at exit failed; the next process applies it")


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
