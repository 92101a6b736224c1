"""A plain `--dry-run` says what would happen to each item and that nothing was written."""

from io import StringIO

import pytest
from django.core.management import call_command

from shpalta.news.models import Article

TITLE = "Зеленський прагне вступити до НАТО до завершення президентства Байдена"


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *map(str, args), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(path, title: str, text: str = "Абзац."):
    path.write_text(f"{title}\n26 листопада 2024, 14:05\n\n{text}\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_each_item_is_named_new_changed_or_unchanged_and_nothing_is_written(tmp_path):
    same = write(tmp_path / "same.txt", "Незмінна новина")
    edited = write(tmp_path / "edited.txt", "Виправлена новина")
    run("text", same, edited)
    write(edited, "Виправлена новина", "Новий абзац.")
    new = write(tmp_path / "new.txt", "Нова новина")
    out, _ = run("text", "--dry-run", same, edited, new)
    lines = out.strip().splitlines()
    assert lines == [
        f"unchanged  «Незмінна новина»  26 листопада 2024, 14:05  {same}",
        f"changed    «Виправлена новина»  26 листопада 2024, 14:05  {edited}",
        f"new        «Нова новина»  26 листопада 2024, 14:05  {new}",
        "would import 1, update 1, skip 1, fail 0 (dry run: nothing written)",
    ]
    assert Article.objects.count() == 2
    assert "Новий абзац" not in Article.objects.get(title="Виправлена новина").body


@pytest.mark.django_db
def test_the_seed_dry_run_names_its_headline(seed_path):
    out, err = run("text", "--dry-run", seed_path)
    first, last = out.strip().splitlines()
    assert first.startswith(f"new        «{TITLE}»")
    assert first.endswith(str(seed_path))
    assert last == "would import 1, update 0, skip 0, fail 0 (dry run: nothing written)"
    assert "imported" not in out
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_item_is_counted_in_the_dry_summary_and_named_on_stderr(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out, err = run("text", "--dry-run", empty)
    assert out.strip() == "would import 0, update 0, skip 0, fail 1 (dry run: nothing written)"
    assert f"failed: {empty}: empty file" in err


@pytest.mark.django_db
def test_a_real_run_still_ends_with_the_contract_line(seed_path):
    out, _ = run("text", "--published-at", "2024-11-26", seed_path)
    assert out.strip() == "imported 1, updated 0, skipped 0, failed 0"
