"""The HTML importer on saved pages of the extraction benchmark, and on awkward files."""

import gzip
import json
import shutil

import pytest

from shpalta.importers.html import import_html
from shpalta.news.models import Article


@pytest.fixture
def pages(data_dir, tmp_path):
    """Five benchmark pages saved as files (gzip, as the benchmark keeps them) + truth."""
    root = data_dir / "extraction" / "scrapinghub-article-extraction-benchmark"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    chosen = sorted((root / "html").glob("*.html.gz"))[:5]
    copies = []
    for path in chosen:
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        copies.append(copy)
    return copies, {p.name.split(".")[0]: truth[p.name.split(".")[0]] for p in chosen}


@pytest.mark.django_db
def test_saved_pages_import_with_text_and_metadata(pages):
    paths, truth = pages
    report = import_html(paths)
    assert report.summary() == "imported 5, updated 0, skipped 0, failed 0"
    for article in Article.objects.all():
        assert article.title and article.body.startswith("<")
        assert article.source_url.startswith("http")
        assert "<script" not in article.body
    # the ground truth's first sentence is in the extracted body
    for key, expected in truth.items():
        first = expected["articleBody"].strip().split("\n")[0][:60]
        assert Article.objects.filter(body_text__contains=first).exists(), key
    with_dates = Article.objects.exclude(source_name="").count()
    assert with_dates >= 3
    assert import_html(paths).summary() == "imported 0, updated 0, skipped 5, failed 0"


@pytest.mark.django_db
def test_metadata_of_a_known_page(data_dir, tmp_path):
    root = data_dir / "extraction" / "scrapinghub-article-extraction-benchmark" / "html"
    page = next(root.glob("06e5123e4ef7*.html.gz"))
    seen = []
    import_html([page], dry_run=True, emit=seen.append)
    (item,) = seen
    assert item["title"] == "New York State Attorney General investigating WeWork and former CEO"
    assert item["published_at"].startswith("2019-11-18")
    assert item["url"].startswith("https://venturebeat.com/2019/11/18/")
    assert item["text"].startswith("(Reuters) — The New York State Attorney General")
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_a_windows_1251_page_is_decoded_and_noted(tmp_path):
    html = (
        '<html><head><meta charset="windows-1251"><title>Новина дня</title></head><body>'
        "<article><h1>Новина дня</h1>"
        + "".join(
            f"<p>Абзац номер {i}: уряд ухвалив рішення про нові правила.</p>" for i in range(8)
        )
        + "</article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp1251"))
    report = import_html([path])
    assert report.imported == 1, report.errors
    assert report.notes == [(str(path), "decoded from windows-1251")]
    article = Article.objects.get()
    assert article.title == "Новина дня"
    assert "уряд ухвалив рішення" in article.body


@pytest.mark.django_db
def test_empty_binary_and_textless_pages_are_named(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(bytes(range(256)) * 8)
    textless = tmp_path / "textless.html"
    textless.write_text("<html><body><nav>Меню</nav></body></html>", encoding="utf-8")
    broken_gz = tmp_path / "page.html.gz"
    broken_gz.write_bytes(gzip.compress(b"<html>")[:10])
    report = import_html([empty, binary, textless, broken_gz])
    assert report.failed == 4
    reasons = dict(report.errors)
    assert reasons[str(empty)] == "empty file"
    assert reasons[str(binary)] == "binary file, not HTML"
    assert reasons[str(textless)] == "no article text found in the page"
    assert reasons[str(broken_gz)].startswith("not a gzip file")
