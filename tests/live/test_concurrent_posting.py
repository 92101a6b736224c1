"""Two editors posting to one live story at the same moment lose nothing.

Each editor is a process of its own with its own database connection, as two app-server
workers or a bot beside the admin are: on SQLite a real database file (WAL, where writers queue
on the file lock; the test database lives in memory), on PostgreSQL the test database itself.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from shpalta.live import service
from shpalta.live.models import LiveEntry
from shpalta.news import factories

ROOT = Path(__file__).resolve().parents[2]
EDITORS, PER_EDITOR = ("Редакторка А", "Редактор Б"), 25


def environment(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "shpalta.settings",
        "SHPALTA_DATA_DIR": str(data_dir),
        "SHPALTA_SECRET_KEY": "live-concurrency-test",
        "SHPALTA_LOG_LEVEL": "ERROR",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    }
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        env["SHPALTA_DATABASE_URL"] = (
            f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST']}:"
            f"{params['PORT'] or 5432}/{params['NAME']}"
        )
        env["SHPALTA_REDIS_URL"] = os.environ.get("SHPALTA_REDIS_URL", "")
    return env


def python(env: dict, *args: str, wait: bool = True):
    command = [sys.executable, *args]
    if wait:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done
    return subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)


def story_id(env: dict) -> int:
    """On PostgreSQL the story is made here; on SQLite in the database file the editors use."""
    if connection.vendor == "postgresql":
        article = factories.article("Онлайн: засідання Ради")
        service.start(article.pk)
        return article.pk
    python(env, "-m", "shpalta.cli", "migrate", "-v0")
    made = python(
        env,
        "-c",
        (
            "import django; django.setup()\n"
            "from shpalta.news import factories; from shpalta.live import service\n"
            "a = factories.article('Онлайн: засідання Ради'); service.start(a.pk); print(a.pk)"
        ),
    )
    return int(made.stdout.strip())


def posted_texts(env: dict, article_id: int) -> list[str]:
    if connection.vendor == "postgresql":
        return list(LiveEntry.objects.values_list("text_plain", flat=True))
    listed = python(
        env,
        "-c",
        (
            "import django, json; django.setup()\n"
            "from shpalta.live.models import LiveEntry\n"
            f"print(json.dumps(list(LiveEntry.objects.filter(coverage__article_id={article_id})"
            ".values_list('text_plain', flat=True))))"
        ),
    )
    return json.loads(listed.stdout)


@pytest.mark.django_db(transaction=True)
def test_two_editors_posting_at_once_lose_no_entry(tmp_path):
    env = environment(tmp_path)
    article_id = story_id(env)
    start_at = str(time.time() + 3)
    editors = [
        python(
            env,
            "-m",
            "tests.live.editor",
            str(article_id),
            name,
            str(PER_EDITOR),
            start_at,
            wait=False,
        )
        for name in EDITORS
    ]
    for process in editors:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors[-3000:]
    texts = posted_texts(env, article_id)
    assert len(texts) == len(EDITORS) * PER_EDITOR
    assert set(texts) == {f"{name}: оновлення {n}" for name in EDITORS for n in range(PER_EDITOR)}
