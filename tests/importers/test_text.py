"""The text-scrape importer on the seed page and on the files it must refuse."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from shpalta.importers.text import import_text, parse
from shpalta.news.models import Article

TITLE = "Зеленський прагне вступити до НАТО до завершення президентства Байдена"
FIRST = "Президент України Володимир Зеленський висловлює надію на отримання запрошення до НАТО"
LAST = (
    "На думку аналітиків, Зеленському доведеться стикнутися з труднощами в реалізації цього "
    "плану, зважаючи на політичні реалії та складну міжнародну ситуацію."
)
CHROME = ["spot_img", "Популярне", "Поділитися дописом:", "Більше подібного", "ТУТ", "Харчування"]


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_parse_keeps_the_article_and_drops_the_chrome(seed_path):
    title, paragraphs = parse(seed_path.read_text(encoding="utf-8"))
    assert title == TITLE
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith(FIRST)
    assert paragraphs[-1] == LAST
    for line in CHROME:
        assert not any(line in p for p in paragraphs)


def test_a_paragraph_wrapped_over_lines_stays_one_paragraph():
    title, paragraphs = parse("Заголовок\n\nперший рядок\nдругий рядок\n\nспершу\nspot_img\n")
    assert title == "Заголовок"
    assert paragraphs == ["перший рядок другий рядок", "спершу"]


@pytest.mark.django_db
def test_seed_import_shows_the_article_page(seed_path, client):
    out, _ = run("text", seed_path)
    assert out.strip().splitlines()[-1] == "imported 1, updated 0, skipped 0, failed 0"
    article = Article.objects.get()
    assert article.title == TITLE
    assert article.body.startswith(f"<p>{FIRST}")
    assert article.body.endswith(f"<p>{LAST}</p>")
    assert article.body.count("<p>") == 5
    url = article.get_absolute_url()
    assert "zelenskyi-prahne-vstupyty-do-nato" in url
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert TITLE in html
    assert LAST in html
    body = html.split('class="article__body">', 1)[1].split("</div>", 1)[0]
    for line in CHROME:
        assert line not in body
    assert "spot_img" not in html


@pytest.mark.django_db
def test_reimport_updates_never_duplicates(seed_path, tmp_path):
    copy = tmp_path / "scrape.txt"
    copy.write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    assert import_text([copy]).summary() == "imported 1, updated 0, skipped 0, failed 0"
    assert import_text([copy]).summary() == "imported 0, updated 0, skipped 1, failed 0"
    copy.write_text(copy.read_text(encoding="utf-8").replace("Le Monde", "«Ле Монд»", 1))
    assert import_text([copy]).summary() == "imported 0, updated 1, skipped 0, failed 0"
    assert Article.objects.count() == 1
    assert "«Ле Монд»" in Article.objects.get().body


@pytest.mark.django_db
def test_bad_files_are_named_and_the_others_still_import(seed_path, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    cp1251 = tmp_path / "cp1251.txt"
    cp1251.write_bytes("Заголовок новини\n\nТекст новини українською мовою.\n".encode("cp1251"))
    missing = tmp_path / "missing.txt"
    report = import_text([empty, binary, seed_path, cp1251, missing])
    assert report.summary() == "imported 1, updated 0, skipped 0, failed 4"
    reasons = dict(report.errors)
    assert reasons[str(empty)] == "empty file"
    assert reasons[str(binary)] == "binary file, not text"
    assert reasons[str(cp1251)].startswith("not UTF-8")
    assert "1251" in reasons[str(cp1251)]
    assert reasons[str(missing)] == "file not found"
    assert Article.objects.get().title == TITLE


@pytest.mark.django_db
def test_command_names_bad_files_on_stderr(seed_path, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    out, err = run("text", "--no-progress", empty, seed_path)
    assert out.strip().splitlines()[-1] == "imported 1, updated 0, skipped 0, failed 1"
    assert f"{empty}: empty file" in err


@pytest.mark.django_db
def test_dry_run_json_prints_items_and_writes_nothing(seed_path):
    out, err = run("text", "--dry-run", "--json", seed_path)
    lines = out.strip().splitlines()
    assert len(lines) == 1
    item = json.loads(lines[0])
    assert set(item) == {"source", "title", "author", "published_at", "text", "url"}
    assert item["source"] == str(seed_path)
    assert item["title"] == TITLE
    assert item["text"].endswith(LAST)
    assert "<p>" not in item["text"]
    assert err.strip().splitlines()[-1] == "imported 1, updated 0, skipped 0, failed 0"
    assert Article.objects.count() == 0


def test_json_needs_dry_run(seed_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("text", "--json", seed_path)
