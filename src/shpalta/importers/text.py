"""Plain-text scrapes of article pages: the first line is the headline, then the article's
paragraphs, then the page chrome (image placeholders, "popular", share block, "more like
this" with its list of other stories), which is dropped from its first line on."""

import re
from html import escape
from pathlib import Path

from .encoding import read_utf8
from .items import Item, ItemError
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


def parse(text: str) -> tuple[str, list[str]]:
    lines = article_lines(text)
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        raise ItemError("no headline: the file has no text before the page chrome")
    title, body = lines[0], paragraphs(lines[1:])
    if not body:
        raise ItemError("no article text after the headline")
    return title, body


def parse_file(path: Path) -> Item:
    title, body = parse(read_utf8(path))
    return Item(
        source=str(path),
        import_source=SOURCE,
        import_id=str(path.resolve()),
        title=title,
        body="".join(f"<p>{escape(p, quote=False)}</p>" for p in body),
        label=str(path),
    )


def import_text(paths, *, dry_run=False, emit=None, progress=False) -> Report:
    """Import plain-text scrapes; each file becomes (or updates) one article."""
    paths = list(paths)
    with Tracker(progress, "text") as tracker:
        tracker.add_total(len(paths))
        options = Options(dry_run=dry_run, emit=emit, tracker=tracker)
        return run(file_entries(paths, parse_file), options)
