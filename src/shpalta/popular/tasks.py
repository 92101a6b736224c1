"""Background work: moving Redis counters to the database (see counters.RedisCounter.flush).

The beacon that finds a flush due (counters.RECORD_LUA says so at most once per interval)
hands the flush on and is answered at once: to the task worker when one runs
(SHPALTA_TASKS=database), otherwise to a thread of this process. The immediate backend
would run the task inside that reader's request, holding it up for the whole flush.
"""

import contextlib
import logging
import threading

from django.db import connections
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from . import counters

log = logging.getLogger(__name__)


@task()
def flush_views() -> dict:
    """Periodic by construction: the first counted beacon after each flush interval starts it;
    `shpalta popular flush` (e.g. from cron) covers a site that has gone quiet."""
    try:
        summary = counters.flush()
    except Exception:
        log.exception("popular: counter flush failed; counts stay in Redis for the next flush")
        raise
    return summary.as_dict()


def task_worker_runs_flushes() -> bool:
    """True when enqueueing hands the flush to another process, not to the caller itself."""
    return not isinstance(flush_views.get_backend(), ImmediateBackend)


class FlushThread:
    """One flush at a time in a thread of its own, so no request waits for it.

    Not a daemon: a process told to exit lets a running flush finish (it is short, and its
    Redis calls time out) rather than leaving its counts for the next flush to replay.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """False when a flush is running already; counts it missed wait for the next one."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return False
            self._thread = threading.Thread(target=self._run, name="views-redis-flush")
            self._thread.start()
            return True

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    @staticmethod
    def _run() -> None:
        try:
            with contextlib.suppress(Exception):  # logged by flush_views; retried next time
                flush_views.call()
        finally:
            connections.close_all()  # this thread's connections: nobody else would close them


background_flush = FlushThread()


def schedule_flush() -> None:
    """A failed hand-over leaves the counts in Redis for the next flush: the beacon that
    triggered it must not fail because of it."""
    try:
        if task_worker_runs_flushes():
            flush_views.enqueue()
        else:
            background_flush.start()
    except Exception:
        log.exception("popular: could not start the counter flush; the next one retries")
