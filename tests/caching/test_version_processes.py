"""The site version across processes: each process remembers the version it read and learns of
a change from the notice kept beside the pages (a file beside the SQLite database, a key in
Redis), not from a query per request. Two real Python processes share one database (SQLite:
a file of their own; PostgreSQL + Redis: the test database and the test Redis) and each keeps
its pages in its own cache when there is no Redis: one changes the site, the other must show
the change at its very next request."""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from shpalta.caching import versioning

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]

# One process of the site, driven line by line on stdin, answering one JSON line each.
PROCESS = r"""
import json, sys
from datetime import timedelta
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone
setup_test_environment()
settings.SHPALTA_PAGE_CACHE = True
settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
from shpalta.caching import versioning
from shpalta.news import factories
client = Client()
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    command, _, rest = line.strip().partition(" ")
    with CaptureQueriesContext(connection) as queries:
        if command == "get":
            path, _, needle = rest.partition(" ")
            response = client.get(path)
            body = response.content.decode()
            answer = {"status": response.status_code, "cache": response.get("X-Page-Cache"),
                      "found": needle in body}
        elif command == "version":
            answer = {"token": versioning.current().token}
        elif command == "article":
            title, _, seconds = rest.rpartition(" ")
            when = timezone.now() + timedelta(seconds=float(seconds))
            factories.article(title, published_at=when)
            answer = {"token": versioning.current().token}
    answer["queries"] = len(queries.captured_queries)
    print(json.dumps(answer), flush=True)
"""


class SiteProcess:
    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, "-c", PROCESS],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.read() == {"ready": True}

    def read(self) -> dict:
        line = self.process.stdout.readline()
        assert line, f"the site process ended (exit {self.process.wait()})"
        return json.loads(line)

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def sqlite_dir(tmp_path_factory) -> Path:
    """A migrated SQLite site of its own (the tests' database lives in memory, one process)."""
    if connection.vendor != "sqlite":
        return None
    data = tmp_path_factory.mktemp("site")
    env = base_env(data)
    code = "import django; django.setup(); from django.core.management import call_command; "
    code += "call_command('migrate', verbosity=0)"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return data


def base_env(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "shpalta.settings.test",
        "SHPALTA_DATA_DIR": str(data),
        "SHPALTA_SECRET_KEY": "test-only-secret-key-not-for-production",
        "PYTHONPATH": str(ROOT / "src"),
    }


@pytest.fixture
def two_processes(sqlite_dir, tmp_path):
    """Two site processes on one database: SQLite, the file made above (which they change,
    so it is copied for each test); PostgreSQL, this test's database, with this run's Redis."""
    if sqlite_dir is not None:
        data = tmp_path / "site"
        data.mkdir()
        for name in ("shpalta.sqlite3", "secret_key"):
            if (sqlite_dir / name).exists():
                (data / name).write_bytes((sqlite_dir / name).read_bytes())
        env = base_env(data)
    else:
        env = base_env(tmp_path)
        database = settings.DATABASES["default"]
        user, host = database["USER"], database["HOST"]
        port, name = database["PORT"] or 5432, database["NAME"]
        password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        env["SHPALTA_DATABASE_URL"] = f"postgres://{user}{password}@{host}:{port}/{name}"
        if os.environ.get("SHPALTA_REDIS_URL"):
            env["SHPALTA_REDIS_URL"] = os.environ["SHPALTA_REDIS_URL"]
    processes = [SiteProcess(env), SiteProcess(env)]
    yield processes
    for process in processes:
        process.stop()


def settle() -> None:
    """A notice file's time is trusted once it is older than a clock tick can blur (until then
    every request reads the row): waited out, so the requests below use what they remember."""
    time.sleep(versioning.SETTLED_NS / 1e9 + 0.2)


def test_a_change_made_in_one_process_shows_at_the_next_request_of_another(two_processes):
    editor, reader = two_processes
    editor.ask("article Перша новина -60")
    settle()
    assert reader.ask("get / Перша новина")["found"]
    remembered = reader.ask("get /")
    assert remembered["cache"] == "hit"
    assert remembered["queries"] == 0  # not even the version row: the notice says no change
    assert reader.ask("version") == {"token": editor.ask("version")["token"], "queries": 0}

    editor.ask("article Друга новина -30")
    after = reader.ask("get / Друга новина")
    assert after["found"] and after["cache"] == "miss"
    assert reader.ask("version")["token"] == editor.ask("version")["token"]
    settle()
    reader.ask("get /")
    assert reader.ask("get / Друга новина") == {
        "status": 200,
        "cache": "hit",
        "found": True,
        "queries": 0,
    }


def test_a_scheduled_story_appears_in_another_process_when_its_time_comes_without_a_save(
    two_processes,
):
    editor, reader = two_processes
    due = timezone.now() + timedelta(seconds=versioning.SETTLED_NS / 1e9 + 2)
    editor.ask(f"article Заплановано {(due - timezone.now()).total_seconds()}")
    settle()
    before = reader.ask("get / Заплановано")
    assert before["status"] == 200 and not before["found"]
    assert reader.ask("get / Заплановано") == {
        "status": 200,
        "cache": "hit",
        "found": False,
        "queries": 0,
    }
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.3)
    # Nobody saved anything since: the reader's remembered due time has passed.
    after = reader.ask("get / Заплановано")
    assert after["found"] and after["cache"] == "miss"
    assert editor.ask("get / Заплановано")["found"]
