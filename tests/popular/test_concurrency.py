"""Many processes × threads beacon at once; the final counts equal the distinct views sent.

The swarm runs as separate processes against a real SQLite file (WAL) in a temporary data
dir — not the test database — because that is what several server workers do: each has its
own connection, and SQLite's file lock is what they contend on. Duplicates of a view are
spread over different processes so de-duplication is raced too. On the Redis path a
flusher process and the beacons' own flush task move counts to the database meanwhile.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.services import require_service

from .conftest import POPULAR_REDIS_URL
from .swarm import expected, plan

ROOT = Path(__file__).resolve().parents[2]
PROCESSES, THREADS, READERS, REPEATS, ARTICLES = 4, 8, 60, 3, 6


def environment(data_dir: Path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SHPALTA_") and key != "DJANGO_SETTINGS_MODULE"
    }
    return (
        env
        | {
            "DJANGO_SETTINGS_MODULE": "shpalta.settings",
            "SHPALTA_DATA_DIR": str(data_dir),
            "SHPALTA_SECRET_KEY": "swarm-test-secret",
            "SHPALTA_VIEWS_PER_MINUTE": "1000000",
            "SHPALTA_PAGE_CACHE": "0",
            "SHPALTA_TASKS": "immediate",
            "SHPALTA_LOG_LEVEL": "ERROR",
        }
        | extra
    )


def swarm(env: dict, *args: str, wait: bool = True):
    command = [sys.executable, "-m", "tests.popular.swarm", *args]
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_swarm(env: dict, crash: bool = False) -> tuple[dict[int, int], dict[int, int], list[dict]]:
    articles = swarm(env, "create", str(ARTICLES))
    start_at = time.time() + 3  # every process has imported Django by then
    spec = {"articles": articles, "readers": READERS, "repeats": REPEATS}
    spec |= {"processes": PROCESSES, "threads": THREADS, "start_at": start_at, "crash": crash}
    senders = [
        swarm(env, "send", json.dumps(spec | {"index": i}), wait=False) for i in range(PROCESSES)
    ]
    reports = []
    for sender in senders:
        out, _ = sender.communicate(timeout=300)
        assert sender.returncode == (-signal.SIGKILL if crash else 0)
        reports.append(json.loads(out.strip().splitlines()[-1]))
    final = swarm(env, "totals")
    counted = {int(k): v for k, v in final["totals"].items()}
    reports.append({"final_flush": final["final_flush"]})
    return counted, expected(articles, READERS), reports


def check(counted, wanted, reports):
    senders = [r for r in reports if "sent" in r]
    assert sum(r["sent"] for r in senders) == len(plan(list(wanted), READERS, REPEATS))
    assert all(r["statuses"] == [204] for r in senders), reports
    assert sum(wanted.values()) == len(plan(list(wanted), READERS, 1))
    assert counted == wanted


@pytest.mark.parametrize(
    ("flush_seconds", "crash"),
    [("0", False), ("1", False), ("3600", True)],
    ids=["written-at-once", "journal-flushed-meanwhile", "journal-processes-killed"],
)
def test_sqlite_file_database_counts_exactly(tmp_path, flush_seconds, crash):
    """Write-through (group commit); the journal flushed by each process's thread and at its
    exit; and every sender SIGKILLed before it ever flushed — then recovered by a new one."""
    env = environment(tmp_path, SHPALTA_VIEWS_FLUSH_SECONDS=flush_seconds)
    counted, wanted, reports = run_swarm(env, crash=crash)
    check(counted, wanted, reports)
    final = reports[-1]["final_flush"]
    if crash:
        assert final["flushes"] == PROCESSES  # one orphaned segment per killed process
        assert final["received"] == len(plan(list(wanted), READERS, REPEATS))
    elif flush_seconds != "0":
        assert final["flushes"] == 0  # each process flushed its own journal on exit
    assert not list((tmp_path / "views-journal").glob("*.views"))


@pytest.mark.redis
def test_redis_counts_exactly_while_flushing(tmp_path):
    url = require_service(POPULAR_REDIS_URL)
    env = environment(
        tmp_path,
        SHPALTA_REDIS_URL=url,
        SHPALTA_POPULAR_REDIS_PREFIX=f"test:swarm:{uuid.uuid4().hex[:12]}:",
        SHPALTA_VIEWS_FLUSH_SECONDS="1",
    )
    stop = tmp_path / "stop-flushing"
    flusher = swarm(env, "flush-until", str(stop), wait=False)
    try:
        counted, wanted, reports = run_swarm(env)
    finally:
        stop.touch()
        out, _ = flusher.communicate(timeout=60)
    assert flusher.returncode == 0
    assert json.loads(out.strip().splitlines()[-1])["flushes"] >= 1
    check(counted, wanted, reports)
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=env["SHPALTA_POPULAR_REDIS_PREFIX"] + "*"))
    if keys:
        client.delete(*keys)
