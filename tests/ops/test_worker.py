"""Background tasks survive a worker killed mid-task (kill -9), and hopeless tasks stop."""

import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shpalta.ops.models import WorkerHeartbeat
from shpalta.ops.worker import MAX_ATTEMPTS, requeue_lost_tasks

from .scratch import env_for, scratch_database, shpalta, start, stop, wait_until

TASK_PATH = "tests.ops.worker_tasks.slow_marker"


def _running(worker_ids, started_ago):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": ["/nonexistent", 0], "kwargs": {}},
        task_path=TASK_PATH,
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now() - started_ago,
        worker_ids=worker_ids,
    )


def _heartbeat(worker_id, ago):
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="h", pid=1, seen_at=timezone.now() - ago
    )


@pytest.mark.django_db
def test_a_dead_workers_task_goes_back_to_the_queue():
    _heartbeat("dead", ago=timedelta(minutes=5))
    lost = _running(["dead"], started_ago=timedelta(minutes=5))
    assert requeue_lost_tasks(stale_seconds=60) == {"requeued": 1, "failed": 0}
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.READY
    assert lost.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=lost.pk).exists()


@pytest.mark.django_db
def test_a_worker_that_never_registered_counts_as_dead():
    lost = _running(["unknown"], started_ago=timedelta(minutes=5))
    requeue_lost_tasks(stale_seconds=60)
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.READY


@pytest.mark.django_db
def test_a_live_workers_long_task_is_left_alone():
    _heartbeat("alive", ago=timedelta(seconds=2))
    busy = _running(["alive"], started_ago=timedelta(hours=1))
    assert requeue_lost_tasks(stale_seconds=60) == {"requeued": 0, "failed": 0}
    busy.refresh_from_db()
    assert busy.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_just_claimed_task_is_left_alone():
    just = _running(["starting"], started_ago=timedelta(seconds=1))
    requeue_lost_tasks(stale_seconds=60)
    just.refresh_from_db()
    assert just.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_that_keeps_killing_workers_is_failed_not_retried_for_ever():
    killer = _running([f"w{i}" for i in range(MAX_ATTEMPTS)], started_ago=timedelta(minutes=5))
    assert requeue_lost_tasks(stale_seconds=60) == {"requeued": 0, "failed": 1}
    killer.refresh_from_db()
    assert killer.status == TaskResultStatus.FAILED
    assert killer.exception_class_path == "shpalta.ops.worker.WorkerLost"


@pytest.mark.django_db
def test_the_worker_refuses_to_start_without_a_queue():
    with pytest.raises(CommandError, match="SHPALTA_TASKS=database"):
        call_command("worker", "--batch")


@pytest.mark.django_db(transaction=True)
def test_a_task_survives_its_worker_being_killed_mid_task(tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    with scratch_database(tmp_path) as url:
        env = env_for(url, tmp_path, SHPALTA_TASKS="database")
        shpalta("migrate", "--noinput", "-v0", env=env)
        shpalta(
            "shell",
            "-v0",
            "-c",
            f"from tests.ops.worker_tasks import slow_marker; "
            f"print(slow_marker.enqueue({str(marks)!r}, 3).id)",
            env=env,
        )
        beat = ["--heartbeat", "0.5", "--stale-after", "2", "--interval", "0.2"]
        first = start("worker", *beat, env=env, log=tmp_path / "first.log")
        try:
            started = wait_until(lambda: list(marks.glob("started-*")), 30, "the task to start")
            assert started == [marks / f"started-{first.pid}"]
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
        finally:
            stop(first)
        assert not (marks / "finished").exists()

        second = start("worker", *beat, env=env, log=tmp_path / "second.log")
        try:
            wait_until((marks / "finished").exists, 40, "the second worker to finish the task")
            assert (marks / "finished").read_text() == str(second.pid)
            state = shpalta(
                "shell",
                "-v0",
                "-c",
                "from django_tasks_db.models import DBTaskResult as R; "
                "t = R.objects.get(); print(t.status, len(t.worker_ids), t.return_value)",
                env=env,
            ).stdout.split()
            assert state == ["SUCCESSFUL", "2", str(second.pid)]
        finally:
            assert stop(second) == 0, Path(tmp_path / "second.log").read_text()
        log = (tmp_path / "second.log").read_text()
        assert "requeued task" in log
