"""Saved article pages: the main text and its metadata (title, author, date, categories,
tags) by trafilatura.

Extraction runs with trafilatura's defaults. The settings once tuned on the shared benchmark
(favor_precision and the like) did not hold on pages they were not tuned on, so
`bench/extraction_quality.py` cross-validates every candidate and keeps one only if it wins on
held-out folds. Besides the defaults: readers' comments are not the article, links and emphasis
stay in the HTML body, and a first block that only repeats the headline is dropped (the one
rule that won on every held-out fold; the page shows the title above the body)."""

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

import trafilatura
from django.utils import timezone
from lxml.etree import Element, tostring
from trafilatura.htmlprocessing import convert_to_html

from shpalta.text.cleaning import one_line, plain_text

from .encoding import guess_encoding, is_binary, read_bytes
from .errors import ItemError
from .items import Item, TermRef
from .pipeline import Options, Report, Tracker, file_entries, run

SOURCE = "html"
# trafilatura's defaults, except what the article body needs (not tuned: see the docstring)
EXTRACTION = {
    "include_comments": False,
    "include_formatting": True,
    "include_links": True,
}
DROP_REPEATED_HEADLINE = True
MIN_WORDS = 10  # less is a menu or a cookie notice, not an article
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)


@dataclass
class Page:
    body: str  # HTML of the main text
    title: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    sitename: str = ""
    description: str = ""
    image: str = ""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    encoding: str = "utf-8"


def decode(data: bytes) -> tuple[str, str]:
    """The page as text and the encoding it was in: UTF-8 if it is valid UTF-8, else the
    charset the page declares, else a guess from its bytes."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    candidates = [declared.group(1).decode("ascii", "ignore")] if declared else []
    candidates.append(guess_encoding(data) or "")
    for encoding in filter(None, candidates):
        try:
            return data.decode(encoding), encoding.lower()
        except (LookupError, UnicodeDecodeError):
            continue
    raise ItemError("not UTF-8 and no declared or recognisable encoding")


def extract(
    markup: str,
    url: str | None = None,
    *,
    options: dict | None = None,
    drop_headline: bool = DROP_REPEATED_HEADLINE,
) -> Page | None:
    """The main text as HTML plus the page's metadata; None when trafilatura finds no text.
    `options` (trafilatura's, instead of EXTRACTION) and `drop_headline` are for the benchmark."""
    document = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        **(EXTRACTION if options is None else options),
    )
    return page_of(document, drop_headline=drop_headline)


def page_of(document, *, drop_headline: bool = DROP_REPEATED_HEADLINE) -> Page | None:
    """A Page from trafilatura's document (None when there is no article text in it)."""
    if document is None or document.body is None:
        return None
    body = _body_html(document.body, (document.title or "") if drop_headline else "")
    if len(plain_text(body, keep_lines=True).split()) < MIN_WORDS:
        return None
    return Page(
        body=body,
        title=document.title or "",
        author=document.author or "",
        date=document.date or "",
        url=document.url or "",
        sitename=document.sitename or "",
        description=document.description or "",
        image=document.image or "",
        categories=[c for c in document.categories or [] if c],
        tags=[t for t in document.tags or [] if t],
    )


def _body_html(tree, title: str) -> str:
    """trafilatura's body as HTML: text outside any block wrapped in paragraphs, and a first
    block that only repeats `title` dropped (an empty title drops nothing)."""
    body = convert_to_html(tree)[0]
    if (body.text or "").strip():
        paragraph = Element("p")
        paragraph.text, body.text = body.text.strip(), None
        body.insert(0, paragraph)
    for child in list(body):
        if (child.tail or "").strip():
            paragraph = Element("p")
            paragraph.text, child.tail = child.tail.strip(), None
            child.addnext(paragraph)
    if len(body) and title and one_line("".join(body[0].itertext())) == one_line(title):
        body.remove(body[0])
    return "".join(tostring(child, encoding="unicode") for child in body)


def extract_text(markup: str) -> str:
    """The main text as the importer reports it (`text` of --json; what the benchmark scores)."""
    return page_text(extract(markup))


def page_text(page: Page | None) -> str:
    return plain_text(page.body, keep_lines=True) if page else ""


def page_date(value: str) -> datetime | None:
    """trafilatura gives ISO dates, usually without a time; midnight in the site's zone."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.time() == time(0) and "T" not in value:
        parsed = datetime.combine(parsed.date(), time(0))
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def _authors(value: str) -> list[TermRef]:
    return [
        TermRef(name.strip())
        for name in re.split(r";|\s+and\s+|,\s+і\s+|\s+та\s+", value)
        if name.strip()
    ]


def load(path: Path) -> bytes:
    """The page's bytes; a `.gz` is decompressed only up to the item cap (a 6 MB file may
    expand to gigabytes)."""
    data = read_bytes(path, gzipped=path.suffix == ".gz")
    if not data.strip():
        raise ItemError("empty file")
    if is_binary(data):
        raise ItemError("binary file, not HTML")
    return data


def parse_file(path: Path) -> Item:
    markup, encoding = decode(load(path))
    page = extract(markup)
    if page is None:
        raise ItemError("no article text found in the page")
    item = Item(
        source=str(path),
        import_source=SOURCE,
        import_id=page.url or str(path.resolve()),
        title=page.title,
        body=page.body,
        label=str(path),
        excerpt=page.description,
        authors=_authors(page.author),
        category=TermRef(page.categories[0]) if page.categories else None,
        tags=[TermRef(t) for t in page.tags],
        published_at=page_date(page.date),
        cover_image_url=page.image,
        source_name=page.sitename,
        source_url=page.url,
    )
    item.note = "" if encoding == "utf-8" else f"decoded from {encoding}"
    return item


def import_html(paths, *, dry_run=False, emit=None, progress=False) -> Report:
    """Import saved article pages; each becomes (or updates) one article."""
    paths = list(paths)
    with Tracker(progress, "html") as tracker:
        tracker.add_total(len(paths))
        options = Options(dry_run=dry_run, emit=emit, tracker=tracker)
        return run(file_entries(paths, parse_file), options)
