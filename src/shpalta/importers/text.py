"""Plain-text scrapes of article pages: the first line is the headline, then the article's
paragraphs, then the page chrome (image placeholders, "popular", share block, "more like
this" with its list of other stories), which is dropped from its first line on. A line that
holds only a date among the first few dates the story."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from .dates import kyiv_text, read_date
from .encoding import read_utf8
from .items import Item, ItemError, TermRef
from .pipeline import Options, Report, Tracker, file_entries, run

SOURCE = "text"
# A run of image placeholders that leaked into the scrape, e.g. `spot_imgspot_img`.
_PLACEHOLDER = re.compile(r"^(?:spot_img)+$", re.IGNORECASE)
# Headings of the page's own blocks: the article is over when one of them starts.
CHROME = {
    "популярне",
    "поділитися дописом:",
    "поділитися дописом",
    "поділитися:",
    "більше подібного",
    "тут",
}
# A date line counts only among the file's first non-blank lines (the headline included).
DATE_LINES = 4
_DATE_LABEL = re.compile(r"^(?:опубліковано|дата публікації|дата)\s*:\s*", re.IGNORECASE)


@dataclass
class Defaults:
    """What the command line says about every file of a run."""

    category: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None  # for files with no date line of their own
    source_url: str = ""


def is_placeholder(line: str) -> bool:
    return bool(_PLACEHOLDER.match(line))


def is_chrome(line: str) -> bool:
    return line.casefold() in CHROME


def article_lines(text: str) -> list[str]:
    """The lines before the chrome, placeholders removed; blank lines kept as separators."""
    kept = []
    for raw in text.splitlines():
        line = raw.strip()
        if is_chrome(line):
            break
        if not is_placeholder(line):
            kept.append(line)
    return kept


def paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated blocks; a block wrapped over several lines is one paragraph."""
    blocks, current = [], []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            blocks.append(" ".join(current))
            current = []
    return blocks


def date_line(line: str) -> datetime | None:
    """The date a line holds and nothing else, «Опубліковано: …» allowed."""
    return read_date(_DATE_LABEL.sub("", line))


def take_date(lines: list[str]) -> tuple[datetime | None, list[str]]:
    """The first date line among the first DATE_LINES non-blank ones, and the lines without it."""
    filled = [i for i, line in enumerate(lines) if line][:DATE_LINES]
    for i in filled:
        found = date_line(lines[i])
        if found is not None:
            return found, lines[:i] + lines[i + 1 :]
    return None, lines


def parse(text: str) -> tuple[str, list[str]]:
    return parse_dated(text)[:2]


def parse_dated(text: str) -> tuple[str, list[str], datetime | None]:
    """Headline, paragraphs and the file's own date (None when it has none)."""
    published_at, lines = take_date(article_lines(text))
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        raise ItemError("no headline: the file has no text before the page chrome")
    title, body = lines[0], paragraphs(lines[1:])
    if not body:
        raise ItemError("no article text after the headline")
    return title, body, published_at


def parse_file(path: Path, defaults: Defaults | None = None) -> Item:
    defaults = defaults or Defaults()
    title, body, published_at = parse_dated(read_utf8(path))
    item = Item(
        source=str(path),
        import_source=SOURCE,
        import_id=str(path.resolve()),
        title=title,
        body="".join(f"<p>{escape(p, quote=False)}</p>" for p in body),
        label=str(path),
        published_at=published_at or defaults.published_at,
        category=TermRef(defaults.category) if defaults.category else None,
        authors=[TermRef(name) for name in defaults.authors],
        source_url=defaults.source_url,
        source_name=site_name(defaults.source_url),
    )
    if item.published_at is None:
        undated(item, path)
    return item


def site_name(url: str) -> str:
    """«Джерело: example.org» on the page: a scrape names no outlet, its address does."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def undated(item: Item, path: Path) -> None:
    """A file with no date of its own and no --published-at: a new story takes the file's
    modification time (an archive scrape must not become today's top story by chance)."""
    item.published_fallback = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    item.warning = (
        "no date in the file and no --published-at: a new article is dated by the file's "
        f"modification time, {kyiv_text(item.published_fallback)}"
    )


def import_text(
    paths, *, dry_run=False, emit=None, progress=False, defaults: Defaults | None = None
) -> Report:
    """Import plain-text scrapes; each file becomes (or updates) one article."""
    paths = list(paths)
    with Tracker(progress, "text") as tracker:
        tracker.add_total(len(paths))
        options = Options(dry_run=dry_run, emit=emit, tracker=tracker)
        return run(file_entries(paths, partial(parse_file, defaults=defaults)), options)
