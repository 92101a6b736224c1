"""The inline slot's paragraph scan (ads.inline.paragraph_ends) finds the same top-level
paragraph ends as html.parser did, on sanitised real pages and on awkward markup."""

import gzip
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from shpalta.ads.inline import VOID, paragraph_ends
from shpalta.text.sanitise import sanitise_html

PAGES = Path(__file__).resolve().parents[3] / "shared/data/extraction"
PAGES = PAGES / "scrapinghub-article-extraction-benchmark/html"
NEWS = Path(__file__).resolve().parents[3] / "shared/data/uk-news/articles.jsonl"


class Reference(HTMLParser):
    """The scan as it was written with html.parser: the reference."""

    def __init__(self, text):
        super().__init__(convert_charrefs=False)
        self.text, self.depth, self.ends = text, 0, []
        self.line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self.depth = max(0, self.depth - 1)
        if tag == "p" and self.depth == 0:
            line, column = self.getpos()
            start = self.line_starts[line - 1] + column
            end = self.text.find(">", start)
            self.ends.append(len(self.text) if end < 0 else end + 1)


def reference(html: str) -> list[int]:
    parser = Reference(html)
    parser.feed(html)
    parser.close()
    return parser.ends


AWKWARD = [
    '<p title="a > b">Один</p><p>Два</p>',
    "<P>Великі</P><p CLASS='x'>літери</p >",
    "<p>Рядок\nдругий</p>\n\n<p>Третій</p>",
    "<!-- <p>коментар</p> --><p>Після</p>",
    "<blockquote><p>Вкладений</p></blockquote><p>Верхній</p>",
    "<p>Без кінця<p>Ще</p>",
    "<br/><hr /><img src='a.jpg' alt=\"<p>\"><p>Кінець</p>",
    "<p/><p>Після порожнього</p>",
    "<div><p>Раз</p></div></div></div><p>Зайві закриття</p>",
    "",
    "Просто текст без тегів",
]


@pytest.mark.parametrize("html", AWKWARD)
def test_awkward_markup_as_html_parser_read_it(html):
    assert paragraph_ends(html) == reference(html)


def test_sanitised_real_pages_as_html_parser_read_them():
    if not PAGES.is_dir():
        pytest.skip(f"{PAGES} is not here (the shared data sets)")
    pages = sorted(PAGES.iterdir())[:120]
    checked = 0
    for path in pages:
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if path.suffix == ".gz" else raw
        body = sanitise_html(raw.decode("utf-8", "replace"))
        assert paragraph_ends(body) == reference(body), path.name
        checked += 1
    assert checked >= 100


def test_real_story_texts_as_paragraphs():
    if not NEWS.is_file():
        pytest.skip(f"{NEWS} is not here (the shared data sets)")
    with NEWS.open(encoding="utf-8") as lines:
        for line in list(lines)[:200]:
            text = json.loads(line)["text"]
            body = sanitise_html("".join(f"<p>{part}</p>\n" for part in text.split("\n") if part))
            assert paragraph_ends(body) == reference(body)
