"""`import text --category --author --source-url`: what a scrape lacks, given on the command
line, reaches the article page."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shpalta.news.models import Article


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", "text", "--no-progress", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_rubric_authors_and_source_reach_the_article_page(seed_path, client):
    out, _ = run(
        "--category", "Політика",
        "--author", "Олена Коваль",
        "--author", "Петро Іваненко",
        "--source-url", "https://example.org/news/zelenskyi-nato",
        "--published-at", "2024-11-26",
        seed_path,
    )  # fmt: skip
    assert out.strip() == "imported 1, updated 0, skipped 0, failed 0"
    article = Article.objects.get()
    assert article.category.name == "Політика"
    assert sorted(a.name for a in article.authors.all()) == ["Олена Коваль", "Петро Іваненко"]
    assert article.source_url == "https://example.org/news/zelenskyi-nato"
    html = client.get(article.get_absolute_url()).content.decode()
    for text in ("Політика", "Олена Коваль", "Петро Іваненко"):
        assert text in html
    assert (
        'href="https://example.org/news/zelenskyi-nato" rel="noopener nofollow">example.org<'
        in html
    )
    assert "26 листопада 2024" in html


@pytest.mark.django_db
def test_a_second_run_with_the_same_rubric_reuses_it(seed_path, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Інша новина\n\nАбзац.\n", encoding="utf-8")
    run("--category", "Політика", seed_path)
    run("--category", "Політика", other)
    assert Article.objects.filter(category__name="Політика").count() == 2


@pytest.mark.django_db
def test_a_source_url_with_several_files_is_refused(seed_path, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Інша новина\n\nАбзац.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="one file"):
        run("--source-url", "https://example.org/a", seed_path, other)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_a_published_at_that_is_not_a_date_is_refused(seed_path):
    with pytest.raises(CommandError, match="not a date: вчора"):
        run("--published-at", "вчора", seed_path)


@pytest.mark.django_db
def test_a_javascript_source_url_is_not_stored(seed_path):
    run("--source-url", "javascript:alert(1)", seed_path)
    article = Article.objects.get()
    assert (article.source_url, article.source_name) == ("", "")
