"""The HTML importer's own rules on top of trafilatura's defaults: a first block that only
repeats the headline is dropped (the one tuned rule that won on every held-out fold of
bench/extraction_quality.py), and a page with fewer than MIN_WORDS words of text is refused."""

import pytest
import trafilatura

from shpalta.importers.html import MIN_WORDS, extract, import_html
from shpalta.news.models import Article

HEADLINE = "Уряд ухвалив нові правила для громад"
PARAGRAPHS = "".join(
    f"<p>Абзац {i}: уряд ухвалив рішення про нові правила для громад області.</p>" for i in range(6)
)


def page(first_block: str) -> str:
    return (
        f"<html><head><title>{HEADLINE}</title></head><body><nav>Головна Новини Спорт</nav>"
        f"<article>{first_block}{PARAGRAPHS}</article></body></html>"
    )


@pytest.mark.django_db
def test_a_first_block_that_repeats_the_headline_is_dropped(tmp_path):
    markup = page(f"<h1>{HEADLINE}</h1>")
    # trafilatura itself keeps the headline as the body's first block
    assert extract(markup, drop_headline=False).body.startswith(f"<h1>{HEADLINE}</h1>")
    path = tmp_path / "page.html"
    path.write_text(markup, encoding="utf-8")
    assert import_html([path]).imported == 1
    article = Article.objects.get()
    assert article.title == HEADLINE
    assert article.body.startswith("<p>Абзац 0:")
    assert HEADLINE not in article.body


def test_the_headline_is_matched_whole_with_spaces_evened_out():
    spaced = page(f"<h2>  {HEADLINE.replace(' ', '  ')} </h2>")
    assert extract(spaced).body.startswith("<p>Абзац 0:")
    longer = f"<p>{HEADLINE}, які набудуть чинності з січня.</p>"
    assert extract(page(longer)).body.startswith(longer)


def test_only_the_first_block_is_compared():
    later = page(f"<p>Вступ до новини про громади.</p><h2>{HEADLINE}</h2>")
    assert f"<h2>{HEADLINE}</h2>" in extract(later).body


@pytest.mark.django_db
def test_a_page_with_too_few_words_is_refused(tmp_path):
    words = " ".join(["слово"] * (MIN_WORDS - 1))
    markup = f"<html><body><article><p>{words}.</p></article></body></html>"
    assert trafilatura.extract(markup) == f"{words}."  # trafilatura alone would take it
    path = tmp_path / "notice.html"
    path.write_text(markup, encoding="utf-8")
    report = import_html([path])
    assert report.errors == [(str(path), "no article text found in the page")]
    enough = markup.replace(f"{words}.", f"{words} слово.")
    assert extract(enough) is not None
