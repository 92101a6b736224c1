"""Rate limits hold across processes without Redis (issue 21, item 4).

Under `shpalta serve` each worker is a process of its own; limits kept in a process's memory
let each of N workers grant the whole limit. The embedded default keeps the counts in a small
SQLite file in the data directory (shpalta.ops.ratelimit), so the limit is exact whatever the
number of processes: first several processes hammering the store, then a real `shpalta serve`
with three workers answering searches and view beacons from one client.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from shpalta.ops import ratelimit

from .scratch import REPO, env_for, free_port, scratch_database, shpalta, start, wait_for_http

pytestmark = pytest.mark.django_db


def embedded(env: dict) -> dict:
    """The embedded default: no Redis, whatever the suite runs with."""
    return {k: v for k, v in env.items() if k != "SHPALTA_REDIS_URL"}


def clear_of_window_end(window: int, margin: float = 20) -> None:
    """A fixed window that ends mid-test would grant the limit twice: start after the end."""
    left = window - time.time() % window
    if left < margin:
        time.sleep(left + 0.5)


@pytest.mark.parametrize("round_", range(3))
def test_processes_hammering_the_store_get_exactly_the_limit(tmp_path, round_):
    """Each round starts on a new, empty file: five processes opening it at once once raced in
    SQLite's switch to WAL and one of them counted in a database of its own (237 of 137)."""
    env = embedded(env_for(f"sqlite:///{tmp_path / 'unused.sqlite3'}", tmp_path))
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO)])
    clear_of_window_end(3600)
    # 100 hits a process: the limit can only be reached by several of them together.
    spec = {"client": "198.51.100.7", "limit": 137, "window": 3600, "hits": 25, "threads": 4}
    spec["start_at"] = time.time() + 3  # every process has imported Django by then
    command = [sys.executable, "-m", "tests.ops.ratelimit_hammer", json.dumps(spec)]
    processes = [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(5)
    ]
    allowed = []
    for process in processes:
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        allowed.append(json.loads(out.strip().splitlines()[-1])["allowed"])
    assert sum(allowed) == 137, allowed  # of 5 × 4 × 25 = 500 hits
    store = tmp_path / ratelimit.FILENAME
    assert store.stat().st_mode & 0o777 == 0o600
    assert b"198.51.100.7" not in store.read_bytes()


def test_the_store_starts_a_new_window_and_says_when(settings, tmp_path):
    settings.REDIS_URL = ""  # the embedded default, also in the suite's Redis run
    settings.DATA_DIR = tmp_path
    at = 1_773_100_000 - 1_773_100_000 % 60
    assert [ratelimit.hit("t", "a", 2, 60, now=at + s)[0] for s in (0, 1, 2)] == [1, 1, 0]
    assert ratelimit.hit("t", "a", 2, 60, now=at + 50) == (False, 10)
    assert ratelimit.hit("t", "b", 2, 60, now=at + 50) == (True, 10)  # each client its own
    assert ratelimit.hit("t", "a", 2, 60, now=at + 60) == (True, 60)  # the next minute


def test_an_unusable_store_still_limits_in_the_process(settings, tmp_path, caplog):
    settings.REDIS_URL = ""
    settings.DATA_DIR = tmp_path / "file-not-dir"
    (tmp_path / "file-not-dir").write_text("")
    results = [ratelimit.hit("t", "c", 2, 3600)[0] for _ in range(3)]
    assert results == [True, True, False]
    assert "rate limits counted per process" in caplog.text


def get(url: str, data: bytes | None = None, **headers) -> int:
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def in_parallel(send, count: int, threads: int = 6) -> list[int]:
    statuses: list[int] = []
    lock = threading.Lock()

    def run(n):
        for _ in range(n):
            status = send()
            with lock:
                statuses.append(status)

    workers = [threading.Thread(target=run, args=(count // threads,)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses


BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
ARTICLE = "from shpalta.news import factories; print(factories.article('Ліміти').pk)"
VIEWS = "from shpalta.popular.models import HourlyViews as H; print(sum(H.objects.values_list('views', flat=True)))"  # noqa: E501


def test_limits_are_exact_under_serve_with_three_workers(tmp_path, django_db_blocker):
    with django_db_blocker.unblock(), scratch_database(tmp_path) as url:
        env = embedded(env_for(url, tmp_path))
        env |= {
            "SHPALTA_SEARCH_RATE_LIMIT": "15",
            "SHPALTA_SEARCH_RATE_WINDOW": "3600",
            "SHPALTA_VIEWS_PER_MINUTE": "20",
            "SHPALTA_VIEWS_FLUSH_SECONDS": "0",  # each view written before it is answered
            "SHPALTA_VIEWS_PER_ADDRESS_ARTICLE": "7",
            "SHPALTA_LOG_LEVEL": "WARNING",
        }
        shpalta("migrate", "--noinput", "-v0", env=env)
        article = shpalta("shell", "-v0", "-c", ARTICLE, env=env).stdout.strip()
        base = f"http://127.0.0.1:{free_port()}"
        log = tmp_path / "serve.log"
        bind = base.removeprefix("http://")
        process = start(
            "serve", "--bind", bind, "--workers", "3", "--threads", "2", "--no-access-log",
            env=env, log=log,
        )  # fmt: skip
        try:
            wait_for_http(base + "/healthz", timeout=90)
            words = iter(range(1000))  # a new query each time: a repeated one is a cached page
            searches = in_parallel(lambda: get(f"{base}/search/?q=limit{next(words)}"), 90)
            clear_of_window_end(60)
            body = json.dumps({"article": int(article)}).encode()
            one = {"Content-Type": "application/json", "User-Agent": BROWSER}
            beacons = in_parallel(lambda: get(base + "/api/views", body, **one), 90)
            n = iter(range(1000))
            rotating = in_parallel(
                lambda: get(
                    base + "/api/views",
                    body,
                    **{"Content-Type": "application/json", "User-Agent": f"{BROWSER} r{next(n)}"},
                ),
                60,
            )
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(60) == 0, log.read_text()[-3000:]
        views = int(shpalta("shell", "-v0", "-c", VIEWS, env=env).stdout.strip())
    assert (searches.count(200), searches.count(429)) == (15, 75), log.read_text()[-3000:]
    assert (beacons.count(204), beacons.count(429)) == (20, 70)
    # 60 new readers from the same address (another agent each): rate limits let them in, and
    # the address's budget on the article (7, the first reader's view included) holds across
    # the three workers.
    assert rotating.count(204) == 60
    assert views == 7
    assert Path(tmp_path / ratelimit.FILENAME).exists()


def test_a_busy_file_makes_a_request_wait_rather_than_count_in_its_own_process(
    settings, tmp_path, caplog
):
    """Seen under a loaded CI run: 138 of the 137. A writer that waited past SQLite's busy
    timeout was counted in its process's own memory, so its hit never reached the shared count."""
    settings.REDIS_URL = ""
    settings.DATA_DIR = tmp_path
    settings.SHPALTA_RATELIMIT_STORE = "file"
    clear_of_window_end(3600)
    assert ratelimit.hit("busy", "a", 5, 3600)[0]  # creates the file, counts 1
    holder = sqlite3.connect(tmp_path / ratelimit.FILENAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing for longer than the timeout
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(ratelimit.hit("busy", "a", 5, 3600)))
    waiting.start()
    time.sleep(ratelimit.BUSY_TIMEOUT_MS / 1000 + 1)
    holder.execute("COMMIT")
    holder.close()
    waiting.join(timeout=30)
    assert answers and answers[0][0]
    with sqlite3.connect(tmp_path / ratelimit.FILENAME) as check:
        assert [n for (n,) in check.execute("SELECT n FROM hits")] == [2]
    assert "counted per process" not in caplog.text
