"""`shpalta import {text|html|wxr|feed} PATH...` as a newsroom types it."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def sources(data_dir) -> dict[str, Path]:
    return {
        "wxr": data_dir / "wxr" / "wordpress-importer" / "phpunit" / "data" / "small-export.xml",
        "feed": data_dir
        / "feeds"
        / "feedparser"
        / "tests"
        / "wellformed"
        / "rss"
        / "item_title.xml",
        "html": next((data_dir / "extraction").rglob("06e5123e4ef7*.html.gz")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["wxr", "feed", "html"])
def test_each_kind_imports_and_ends_with_the_summary(kind, sources):
    out, _ = run(kind, "--no-progress", sources[kind])
    last = out.strip().splitlines()[-1]
    assert last.startswith("imported ") and last.endswith(", failed 0")
    assert not last.startswith("imported 0,")
    again, _ = run(kind, "--no-progress", sources[kind])
    assert again.strip().splitlines()[-1].startswith("imported 0, updated 0, skipped ")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["wxr", "feed", "html"])
def test_dry_run_json_lines(kind, sources):
    out, err = run(kind, "--dry-run", "--json", sources[kind])
    objects = [json.loads(line) for line in out.strip().splitlines()]
    assert objects
    for obj in objects:
        assert set(obj) == {"source", "title", "author", "published_at", "text", "url"}
        assert obj["source"] == str(sources[kind])
    assert err.strip().splitlines()[-1].startswith(f"imported {len(objects)}, ")


def test_every_does_not_go_with_dry_run(sources):
    with pytest.raises(CommandError, match="--dry-run"):
        run("feed", "--dry-run", "--every", "5", sources["feed"])


def test_the_shpalta_cli_exits_1_when_an_item_failed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    env = {"SHPALTA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "shpalta.cli", "migrate", "-v0"], env=env, check=True, cwd=ROOT
    )
    result = subprocess.run(
        [sys.executable, "-m", "shpalta.cli", "import", "text", str(empty)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert result.stdout.strip() == "imported 0, updated 0, skipped 0, failed 1"
    assert f"{empty}: empty file" in result.stderr
