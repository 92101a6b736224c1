"""How `import text` dates a story: the file's own date line, else --published-at, else the
file's modification time; an archive story never becomes today's top story by chance."""

import os
from datetime import UTC, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from shpalta.importers.text import import_text, parse_dated
from shpalta.news import factories
from shpalta.news.models import Article

KYIV = ZoneInfo("Europe/Kyiv")
TITLE = "Зеленський прагне вступити до НАТО до завершення президентства Байдена"


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", "text", "--no-progress", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def scrape(tmp_path, first_lines: str, name: str = "scrape.txt"):
    path = tmp_path / name
    path.write_text(f"{first_lines}\n\nПерший абзац статті.\n\nДругий абзац.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "line, expected",
    [
        ("26 листопада 2024", datetime(2024, 11, 26, tzinfo=KYIV)),
        ("26 листопада 2024, 14:05", datetime(2024, 11, 26, 14, 5, tzinfo=KYIV)),
        ("Опубліковано: 3 Березня 2023 р. о 9:30", datetime(2023, 3, 3, 9, 30, tzinfo=KYIV)),
        ("26.11.2024 14:05", datetime(2024, 11, 26, 14, 5, tzinfo=KYIV)),
        ("2024-11-26", datetime(2024, 11, 26, tzinfo=KYIV)),
        ("2024-11-26T12:05:00+00:00", datetime(2024, 11, 26, 12, 5, tzinfo=UTC)),
    ],
)
def test_a_date_line_under_the_headline_dates_the_story_and_leaves_the_text(line, expected):
    title, body, published_at = parse_dated(f"Заголовок\n{line}\n\nАбзац про 2024 рік.\n")
    assert title == "Заголовок"
    assert body == ["Абзац про 2024 рік."]
    assert published_at == expected


def test_a_date_line_before_the_headline_counts_too():
    title, body, published_at = parse_dated("26 листопада 2024\n\nЗаголовок\n\nАбзац.\n")
    assert (title, body) == ("Заголовок", ["Абзац."])
    assert published_at == datetime(2024, 11, 26, tzinfo=KYIV)


def test_a_date_deep_in_the_text_or_inside_a_sentence_is_not_the_story_date():
    text = "Заголовок\n\nУ 2024 році, 26 листопада 2024, було так.\n\nА.\n\nБ.\n\n26.11.2024\n"
    title, body, published_at = parse_dated(text)
    assert published_at is None
    assert body[-1] == "26.11.2024"


def test_an_impossible_date_is_text():
    assert parse_dated("Заголовок\n31.02.2024\n\nАбзац.\n")[2] is None


@pytest.mark.django_db
def test_the_files_own_date_wins_over_published_at(tmp_path):
    path = scrape(tmp_path, "Заголовок\n26 листопада 2024, 14:05")
    run("--published-at", "2020-01-01", path)
    assert Article.objects.get().published_at == datetime(2024, 11, 26, 14, 5, tzinfo=KYIV)


@pytest.mark.django_db
def test_published_at_dates_a_file_without_a_date_in_kyiv_time(seed_path):
    out, err = run("--published-at", "26 листопада 2024, 14:05", seed_path)
    assert out.strip() == "imported 1, updated 0, skipped 0, failed 0"
    assert err == ""
    assert Article.objects.get().published_at == datetime(2024, 11, 26, 12, 5, tzinfo=UTC)


@pytest.mark.django_db
def test_an_undated_file_takes_its_modification_time_and_the_user_is_warned(tmp_path):
    path = scrape(tmp_path, "Заголовок без дати")
    stamp = datetime(2019, 5, 14, 9, 30, tzinfo=KYIV)
    os.utime(path, (stamp.timestamp(), stamp.timestamp()))
    out, err = run(path)
    assert out.strip() == "imported 1, updated 0, skipped 0, failed 0"
    assert f"warning: {path}: no date in the file and no --published-at" in err
    assert "14 травня 2019, 09:30" in err
    assert Article.objects.get().published_at == stamp


@pytest.mark.django_db
def test_editing_an_undated_file_later_does_not_move_its_story_to_today(tmp_path):
    path = scrape(tmp_path, "Заголовок без дати")
    stamp = datetime(2019, 5, 14, 9, 30, tzinfo=KYIV).timestamp()
    os.utime(path, (stamp, stamp))
    import_text([path])
    path.write_text(path.read_text(encoding="utf-8").replace("Другий", "Виправлений"))
    assert import_text([path]).summary() == "imported 0, updated 1, skipped 0, failed 0"
    article = Article.objects.get()
    assert "Виправлений" in article.body
    assert article.published_at == datetime(2019, 5, 14, 9, 30, tzinfo=KYIV)
    assert import_text([path]).summary() == "imported 0, updated 0, skipped 1, failed 0"


@pytest.mark.django_db
def test_an_imported_archive_story_is_not_the_home_pages_top_story(tmp_path, client):
    fresh = factories.article("Свіжа новина редакції")
    run(scrape(tmp_path, f"{TITLE}\n26 листопада 2024"))
    html = client.get("/").content.decode()
    top = html.split('class="home-lead"', 1)[1].split("</section>", 1)[0]
    assert fresh.title in top
    assert TITLE not in top.split('class="grid', 1)[0]
