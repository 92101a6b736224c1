"""The streamed rebuild: its lists equal the incremental ones, and a killed rebuild goes on."""

import json
import os
import signal
import sqlite3
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from shpalta.related import store, updates
from shpalta.related.conf import params
from shpalta.related.models import ArticleVector, IndexState, RelatedLink, Term
from shpalta.related.rebuild import rebuild_lists
from tests.conftest import DATA, need_shared
from tests.live_site import BIN

NEWS = DATA / "uk-news" / "articles.jsonl"


def news(n: int) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in need_shared(NEWS).open(encoding="utf-8")]
    return [(r["title"], r["text"][:1500]) for r in rows if r["text"].strip()][:n]


def all_lists() -> dict[int, list[tuple[int, float]]]:
    lists: dict[int, list[tuple[int, float]]] = {}
    rows = RelatedLink.objects.order_by("article_id", "rank").values_list(
        "article_id", "related_id", "score"
    )
    for article_id, related_id, score in rows:
        lists.setdefault(article_id, []).append((related_id, round(score, 4)))
    return lists


@pytest.mark.django_db
def test_rebuilt_lists_equal_the_incremental_ones(publish):
    start = timezone.now() - timedelta(days=30)
    articles = [
        publish(story, published_at=start + timedelta(hours=6 * n))
        for n, story in enumerate(news(60))
    ]
    ids = [a.pk for a in articles]
    # the incremental path, brought to today's document counts: each vector weighed again and
    # each list recomputed from the database index, as reweigh_related and refresh do
    store.reweigh(ids, params())
    updates.refresh(ids)
    incremental = all_lists()
    df = dict(Term.objects.filter(df__gt=0).values_list("text", "df"))
    assert sum(len(v) for v in incremental.values()) > 100
    summary = rebuild_lists(chunk=7)  # several chunks
    assert summary.analysed == 0  # every stored analysis was current
    assert all_lists() == incremental
    assert dict(Term.objects.filter(df__gt=0).values_list("text", "df")) == df
    assert IndexState.objects.get().documents == len(ids)


@pytest.mark.django_db
def test_a_rebuild_from_nothing_analyses_every_text(publish):
    start = timezone.now() - timedelta(days=3)
    for n, story in enumerate(news(12)):
        publish(story, published_at=start + timedelta(hours=n))
    expected = all_lists()
    RelatedLink.objects.all().delete()
    ArticleVector.objects.all().delete()
    Term.objects.all().delete()
    summary = rebuild_lists(chunk=5)
    assert summary.analysed == 12
    assert summary.line().startswith("rebuilt 12 articles (12 live): ")
    assert set(all_lists()) == set(expected)


def _site(data_dir: Path) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    return clean | {
        "DJANGO_SETTINGS_MODULE": "shpalta.settings",
        "SHPALTA_DATA_DIR": str(data_dir),
        "SHPALTA_SECRET_KEY": "rebuild-test-secret-key-not-for-production",
        "SHPALTA_TASKS": "database",  # the import leaves the related lists to us
    }


def _run(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "shpalta"), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _export(path: Path, stories: list[tuple[str, str]]) -> Path:
    items = "".join(
        f"<item><title><![CDATA[{title}]]></title><wp:post_id>{n}</wp:post_id>"
        f"<wp:post_date_gmt>2024-05-{1 + n % 28:02d} 10:{n % 60:02d}:00</wp:post_date_gmt>"
        "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
        f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
        for n, (title, text) in enumerate(stories, start=1)
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Архів</title>'
        "<link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>"
        f"{items}</channel></rss>",
        encoding="utf-8",
    )
    return path


def _links(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT article_id, related_id, rank FROM related_relatedlink ORDER BY 1, 3"
        ).fetchall()


def _progress(database: Path) -> tuple[str, int]:
    with sqlite3.connect(database, timeout=10) as db:
        row = db.execute("SELECT rebuild_stage, rebuild_after FROM related_indexstate").fetchone()
    return row or ("", 0)


def test_a_killed_rebuild_goes_on_where_it_stopped(tmp_path):
    env = _site(tmp_path / "site")
    database = tmp_path / "site" / "shpalta.sqlite3"
    _run(env, "migrate", "--noinput")
    _run(env, "import", "wxr", "--no-progress", str(_export(tmp_path / "a.xml", news(80))))
    # the rebuild is killed (SIGKILL: no cleanup of any kind) once it has committed some lists
    rebuild = [str(BIN / "shpalta"), "related", "rebuild", "--jobs", "1", "--no-progress"]
    process = subprocess.Popen([*rebuild, "--chunk", "1"], env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            stage, after = _progress(database)
            if stage == "lists" and after > 0:
                break
            time.sleep(0.002)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    stage, after = _progress(database)
    assert (stage, after > 0) == ("lists", True), "the rebuild ended before it could be killed"
    partly = _links(database)
    # started again, it goes on from the lists stage: no text is analysed again
    line = _run(env, "related", "rebuild", "--jobs", "1", "--no-progress").strip().splitlines()
    assert "0 texts analysed, resumed an interrupted rebuild" in line[-1], line
    assert _progress(database) == ("", 0)
    resumed = _links(database)
    assert len(resumed) > len(partly)
    # the same lists as a rebuild that was never interrupted
    _run(env, "related", "rebuild", "--jobs", "1", "--no-progress", "--restart")
    assert _links(database) == resumed
