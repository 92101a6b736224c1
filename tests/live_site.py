"""A production site for the browser tests: gunicorn with DEBUG off, demo content, static files.

It runs in a subprocess on its own SQLite database whatever the suite's database: in the
PostgreSQL run of the suite the inherited database URL would point the server (and the demo
content) at the shared, real database.
"""

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
BIN = Path(sys.executable).parent


def shpalta(env: dict, *args: str) -> subprocess.CompletedProcess:
    """`shpalta ARGS` with the site's environment; the caller judges the outcome."""
    return subprocess.run(
        [str(BIN / "shpalta"), *args], env=env, capture_output=True, text=True, timeout=120
    )


def demo_site(data_dir: Path, port: int, **settings: str) -> dict:
    """The environment of a migrated site with static files collected and the demo loaded."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    env = clean | {
        "DJANGO_SETTINGS_MODULE": "shpalta.settings",
        "SHPALTA_DATA_DIR": str(data_dir),
        "SHPALTA_SECRET_KEY": "browser-test-secret-key-not-for-production",
        "SHPALTA_DEBUG": "0",
        "SHPALTA_SITE_URL": f"http://127.0.0.1:{port}",
        **settings,
    }
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_demo"]):
        done = shpalta(env, *step)
        assert done.returncode == 0, done.stdout + done.stderr
    return env


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server did not answer {url} within 30 s: {log.read_text()[-3000:]}")


@contextmanager
def running_site(env: dict, port: int, workers: int):
    """Gunicorn serving the site until the block ends; yields its base URL once it answers."""
    base = f"http://127.0.0.1:{port}"
    log = Path(env["SHPALTA_DATA_DIR"]) / "server.log"
    bind = base.removeprefix("http://")
    command = [str(BIN / "gunicorn"), "shpalta.wsgi", "-b", bind, "-w", str(workers)]
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"{base}/healthz", server, log)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def cancelled(request) -> bool:
    """An image or the tab's icon that the browser stopped fetching because the reader
    clicked away (lazy covers near the fold, say; Chromium fetches the favicon late and types
    it "other") is no fault a reader sees; every other failure is one."""
    icon = "/favicon." in request.url
    aborted = request.failure == "net::ERR_ABORTED"
    return aborted and (request.resource_type == "image" or icon)


def watch_problems(page) -> list[str]:
    """What a reader's browser would flag on `page` from now on: console errors, script
    exceptions, failed requests and 4xx/5xx answers. The list fills as the page is used."""
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"exception: {error}"))
    page.on(
        "requestfailed", lambda r: cancelled(r) or problems.append(f"failed: {r.url} {r.failure}")
    )
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    return problems
