"""Throwaway databases and `shpalta` subprocesses for tests that need real, separate processes.

A worker or server started as a subprocess cannot see the test's own database (it lives inside
a transaction, or in memory for SQLite). These helpers give such tests a database of their own
on the same engine the suite runs on: a temporary SQLite file, or a fresh PostgreSQL database.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

REPO = Path(__file__).resolve().parents[2]


def suite_engine() -> str:
    return "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"


def _pg_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True)


def _pg_url_for(name: str) -> str:
    base = os.environ["SHPALTA_DATABASE_URL"]
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


@contextmanager
def scratch_database(tmp_path: Path, template: str | None = None):
    """The URL of an empty database (or a copy of `template`), removed afterwards."""
    if suite_engine() == "sqlite":
        path = tmp_path / f"scratch-{uuid.uuid4().hex[:8]}.sqlite3"
        if template:
            shutil.copy(urlsplit(template).path, path)
        yield f"sqlite:///{path}"
        return
    name = f"shpalta_scratch_{uuid.uuid4().hex[:10]}"
    url = _pg_url_for(name)
    with _pg_admin(url) as admin:
        source = f" TEMPLATE {urlsplit(template).path.lstrip('/')}" if template else ""
        admin.execute(f"CREATE DATABASE {name}{source}")
    try:
        yield url
    finally:
        with _pg_admin(url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def env_for(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    env.update(
        DJANGO_SETTINGS_MODULE="shpalta.settings",
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
        SHPALTA_DATA_DIR=str(data_dir),
        SHPALTA_DATABASE_URL=database_url,
        SHPALTA_SECRET_KEY="scratch-secret-key",
    )
    if os.environ.get("SHPALTA_REDIS_URL"):
        env["SHPALTA_REDIS_URL"] = os.environ["SHPALTA_REDIS_URL"]
    env.update(extra)
    return env


def shpalta(*args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `shpalta ARGS` to completion; a failure shows its output."""
    done = subprocess.run(
        [sys.executable, "-m", "shpalta.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"shpalta {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def start(*args: str, env: dict, log: Path) -> subprocess.Popen:
    """Start `shpalta ARGS` in the background, its output going to `log`."""
    out = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "shpalta.cli", *args],
        env=env,
        cwd=REPO,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen, timeout: float = 20) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def fetch(url: str, timeout: float = 5, **headers: str):
    """(status, headers, body) of a GET, error statuses included."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_for_http(url: str, timeout: float = 30):
    def answered():
        try:
            return fetch(url, timeout=2)
        except OSError:
            return None

    return wait_until(answered, timeout, url, every=0.2)
