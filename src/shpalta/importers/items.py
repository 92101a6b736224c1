"""The one shape every parser produces, whatever it read: a tidied article to upsert."""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from shpalta.news.models import Article
from shpalta.text.cleaning import cut, one_line, plain_text

from .errors import ItemError

TITLE_MAX = Article._meta.get_field("title").max_length
SOURCE_URL_MAX = Article._meta.get_field("source_url").max_length
COVER_URL_MAX = Article._meta.get_field("cover_image_url").max_length
WEB_SCHEMES = {"http", "https"}


@dataclass
class TermRef:
    """A category, tag or author as the source names it; `key` is the source's own id."""

    name: str
    key: str = ""
    parent: "TermRef | None" = None


@dataclass
class Item:
    source: str  # the input file or URL, for reports and --json
    import_source: str  # with import_id: the upsert key stored on Article
    import_id: str
    title: str
    body: str = ""  # HTML as the source wrote it; Article.save sanitises it
    label: str = ""  # how reports name this item
    lead: str = ""
    excerpt: str = ""
    authors: list[TermRef] = field(default_factory=list)
    category: TermRef | None = None
    tags: list[TermRef] = field(default_factory=list)
    status: str = Article.Status.PUBLISHED
    published_at: datetime | None = None  # None: see published_fallback, kept on update
    published_fallback: datetime | None = None  # a new article's date if no published_at; else now
    cover_image_url: str = ""
    cover_caption: str = ""
    cover_alt: str = ""
    source_name: str = ""
    source_url: str = ""
    legacy_paths: list[str] = field(default_factory=list)
    seo_title: str = ""
    seo_description: str = ""
    text: str = ""  # plain text of the body; filled by tidy_item()
    note: str = ""  # something the report should mention though the item imported
    warning: str = ""  # something the user must read even without --verbosity 2

    def name(self) -> str:
        return self.label or f"{self.source} «{self.title}»"

    def checksum(self) -> str:
        """Everything the upsert would write; equal checksums mean a re-run has nothing to do."""
        data = asdict(self)
        data.pop("source")
        data.pop("label")
        # neither moves a stored article, so a re-run must not count them as a change
        data.pop("published_fallback")
        data.pop("warning")
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode()).hexdigest()

    def preview(self) -> dict:
        """The --dry-run --json object: what would be imported, in plain values."""
        published_at = self.published_at or self.published_fallback
        return {
            "source": self.source,
            "title": self.title,
            "author": ", ".join(a.name for a in self.authors) or None,
            "published_at": published_at.isoformat() if published_at else None,
            "text": self.text,
            "url": self.source_url or None,
        }


def web_url(url: str, length: int) -> str:
    """The address if it is an http(s) one, else "": the article page links to it, so a
    `javascript:` or `data:` address from any source must never get that far."""
    url = (url or "").strip()
    return url[:length] if urlsplit(url).scheme.lower() in WEB_SCHEMES else ""


def tidy_item(item: Item) -> Item:
    """Clean the fields every source gets wrong in its own way; refuse items with no content.
    The body stays HTML as the source wrote it: `Article.save` sanitises it."""
    item.text = plain_text(item.body, keep_lines=True)
    item.title = cut(one_line(plain_text(item.title)), TITLE_MAX, ellipsis=False)
    if not item.title:
        item.title = cut(one_line(item.text), 120, ellipsis=False)
    if not item.title:
        raise ItemError("no title and no text")
    item.lead = one_line(plain_text(item.lead))
    item.excerpt = one_line(plain_text(item.excerpt))
    item.seo_title = cut(one_line(item.seo_title), 300, ellipsis=False)
    item.seo_description = one_line(item.seo_description)
    item.cover_caption = cut(one_line(plain_text(item.cover_caption)), 300, ellipsis=False)
    item.cover_alt = cut(one_line(item.cover_alt), 300, ellipsis=False)
    item.source_name = cut(one_line(item.source_name), 200, ellipsis=False)
    item.source_url = web_url(item.source_url, SOURCE_URL_MAX)
    item.cover_image_url = web_url(item.cover_image_url, COVER_URL_MAX)
    item.authors = _unique_terms(item.authors)
    item.tags = _unique_terms(item.tags)
    item.legacy_paths = sorted(set(item.legacy_paths))
    return item


def _unique_terms(terms: list[TermRef]) -> list[TermRef]:
    seen, unique = set(), []
    for term in terms:
        term.name = one_line(term.name)
        marker = term.key or term.name.casefold()
        if term.name and marker not in seen:
            seen.add(marker)
            unique.append(term)
    return unique
