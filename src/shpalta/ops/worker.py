"""Heartbeats and lost-task recovery around django-tasks-db's worker.

django-tasks-db claims a task by marking it RUNNING and committing; if the worker process then
dies (SIGKILL, OOM, a lost machine) the row stays RUNNING for ever and the work is lost. Every
`shpalta worker` therefore keeps a heartbeat row fresh from a side thread and, on the same
beat, looks for RUNNING tasks whose worker has gone silent and puts them back in the queue.

Delivery is at-least-once: a worker that only *looked* dead (frozen for longer than the stale
limit) may finish a task that another worker also runs. Shpalta's tasks are idempotent
(recompute a related list, flush counters, re-index an article), so that is safe.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat
from .signals import worker_beat

logger = logging.getLogger("shpalta.worker")

HEARTBEAT_SECONDS = 5.0
STALE_SECONDS = 60.0
# A task that has killed this many workers is not retried again: it is marked failed.
MAX_ATTEMPTS = 5
# Rows of workers silent this long are deleted (their tasks were requeued long before).
FORGET_AFTER = timedelta(days=1)


class WorkerLost(Exception):
    """Recorded as the error of a task whose workers kept dying while running it."""


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname(), "pid": os.getpid(), "seen_at": timezone.now()},
    )


def requeue_lost_tasks(stale_seconds: float = STALE_SECONDS) -> dict[str, int]:
    """Give RUNNING tasks of silent workers back to the queue; fail the ones that keep killing."""
    now = timezone.now()
    limit = now - timedelta(seconds=stale_seconds)
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        alive = set(
            WorkerHeartbeat.objects.filter(seen_at__gte=limit).values_list("worker_id", flat=True)
        )
        suspects = DBTaskResult.objects.running().filter(started_at__lt=limit)
        for task in suspects.select_for_update(skip_locked=True):
            if task.worker_ids and task.worker_ids[-1] in alive:
                continue
            if len(task.worker_ids) >= MAX_ATTEMPTS:
                _fail(task)
                counts["failed"] += 1
            else:
                _requeue(task)
                counts["requeued"] += 1
        WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
    return counts


def _requeue(task: DBTaskResult) -> None:
    logger.warning(
        "requeued task %s (%s): worker %s stopped answering",
        task.id,
        task.task_path,
        task.worker_ids[-1] if task.worker_ids else "?",
    )
    task.status = TaskResultStatus.READY
    task.started_at = None
    task.save(update_fields=["status", "started_at"])


def _fail(task: DBTaskResult) -> None:
    logger.error(
        "gave up on task %s (%s): %d workers died running it",
        task.id,
        task.task_path,
        len(task.worker_ids),
    )
    task.set_failed(WorkerLost(f"{len(task.worker_ids)} workers died while running this task"))


class Heartbeat(threading.Thread):
    """Keeps this worker's row fresh and sweeps up lost tasks, beside the task loop."""

    def __init__(self, worker_id: str, every: float, stale_after: float):
        super().__init__(name="shpalta-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stale_after = stale_after
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.tick()
                self.stopping.wait(self.every)
        finally:
            connections.close_all()

    def tick(self) -> None:
        close_old_connections()
        try:
            beat(self.worker_id)
            counts = requeue_lost_tasks(self.stale_after)
        except Exception:
            # A database hiccup must not kill the heartbeat; the next beat tries again.
            logger.exception("heartbeat of worker %s failed", self.worker_id)
            return
        if any(counts.values()):
            logger.info("lost tasks: %(requeued)d requeued, %(failed)d failed", counts)
        try:
            worker_beat.send(sender=Heartbeat, worker_id=self.worker_id)
        except Exception:
            logger.exception("periodic work of worker %s failed", self.worker_id)

    def stop(self) -> None:
        """A clean exit removes the row: nothing of this worker's is left RUNNING."""
        self.stopping.set()
        self.join(timeout=self.every + 5)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
