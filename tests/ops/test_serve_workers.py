"""`shpalta serve`'s workers: by default one request at a time per process (gunicorn's sync
workers, which take a connection only when idle, so waiting requests share one queue); with
more threads, gthread workers. Each worker freezes its loaded heap (ops.server.HeapFreezer)."""

import json
import signal
import threading

import pytest

from shpalta.ops.server import gunicorn_options, worker_class

from .scratch import env_for, fetch, free_port, scratch_database, shpalta, start, wait_for_http


def test_one_thread_is_a_sync_worker_more_are_gthread():
    assert worker_class(1) == "sync"
    assert worker_class(2) == worker_class(8) == "gthread"
    options = gunicorn_options(bind="127.0.0.1:1", workers=3, threads=1, timeout=30,
                               access_log=False, json_logs=False)  # fmt: skip
    assert (options["worker_class"], options["workers"], options["threads"]) == ("sync", 3, 1)


@pytest.fixture
def served(tmp_path, django_db_blocker):
    """`shpalta serve --workers 2` with the default threads, on the suite's engine."""
    with django_db_blocker.unblock(), scratch_database(tmp_path) as url:
        env = env_for(url, tmp_path) | {"SHPALTA_WEB_THREADS": ""}
        shpalta("migrate", "--noinput", "-v0", env=env)
        base = f"http://127.0.0.1:{free_port()}"
        log = tmp_path / "serve.log"
        process = start("serve", "--bind", base.removeprefix("http://"), "--workers", "2",
                        env=env, log=log)  # fmt: skip
        try:
            wait_for_http(base + "/healthz", timeout=60)
            yield base, log
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(30) == 0, log.read_text()[-3000:]


def test_the_default_server_runs_sync_workers_that_answer_in_parallel(served):
    base, log = served
    answers = []

    def reader():
        answers.append(fetch(base + "/healthz")[0])

    readers = [threading.Thread(target=reader) for _ in range(12)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert answers == [200] * 12
    started = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    messages = " ".join(entry.get("message", "") for entry in started)
    assert "Using worker: sync" in messages
    assert messages.count("Booting worker") == 2
