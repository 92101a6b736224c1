"""A decompression bomb or an oversized item fails by name within the item cap, and the other
items of the same run still import and are reported."""

import gzip

import pytest

from shpalta.importers.html import import_html
from shpalta.importers.text import import_text
from shpalta.importers.wxr import import_wxr
from shpalta.news.models import Article

from .evil_server import gzip_bomb

pytestmark = pytest.mark.django_db

PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    + "".join(f"<p>Абзац {i}: уряд ухвалив рішення про нові правила руху.</p>" for i in range(8))
    + "</article></body></html>"
)
WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Сайт</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://old.example</wp:base_site_url>
{items}
</channel></rss>
"""
POST = """<item><title>{title}</title><link>https://old.example/?p={id}</link>
<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{id}</wp:post_id>
<wp:post_date>2026-11-20 10:00:00</wp:post_date><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>"""


@pytest.fixture(autouse=True)
def small_cap(settings):
    settings.SHPALTA_IMPORT_MAX_ITEM_BYTES = 1 << 20


def test_a_gzipped_page_expanding_past_the_cap_fails_and_the_next_page_imports(tmp_path):
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip_bomb())  # 64 KB on disk, 64 MB inside
    good = tmp_path / "good.html.gz"
    good.write_bytes(gzip.compress(PAGE.format(title="Справжня сторінка").encode()))
    report = import_html([bomb, good])
    assert report.errors == [(str(bomb), "larger than 1 MB once decompressed")]
    assert report.imported == 1
    assert Article.objects.get().title == "Справжня сторінка"


def test_a_page_past_the_cap_fails_by_name(tmp_path):
    huge = tmp_path / "huge.html"
    huge.write_text(PAGE.format(title="Велика") + " " * (2 << 20), encoding="utf-8")
    good = tmp_path / "good.html"
    good.write_text(PAGE.format(title="Мала сторінка"), encoding="utf-8")
    report = import_html([huge, good])
    assert report.errors == [(str(huge), "larger than 1 MB")]
    assert report.imported == 1


def test_a_text_scrape_past_the_cap_fails_by_name(tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_text("Заголовок\n\n" + "Абзац тексту. " * 100_000, encoding="utf-8")
    report = import_text([huge])
    assert report.errors == [(str(huge), "larger than 1 MB")]


def test_a_wxr_post_past_the_cap_fails_by_name_and_the_other_posts_import(tmp_path):
    big = "<p>" + "Дуже довгий допис. " * 40_000 + "</p>"  # ~1.4 MB of UTF-8, 760 K characters
    items = [
        POST.format(id=1, title="Звичайний допис", body="<p>Короткий текст допису.</p>"),
        POST.format(id=2, title="Величезний допис", body=big),
        POST.format(id=3, title="Ще один допис", body="<p>Інший короткий текст.</p>"),
    ]
    export = tmp_path / "export.xml"
    export.write_text(WXR.format(items="\n".join(items)), encoding="utf-8")
    report = import_wxr([export])
    assert report.errors == [("export.xml: post 2 «Величезний допис»", "larger than 1 MB")]
    assert report.imported == 2
    assert set(Article.objects.values_list("title", flat=True)) == {
        "Звичайний допис",
        "Ще один допис",
    }
