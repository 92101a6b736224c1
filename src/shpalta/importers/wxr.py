"""WordPress exports (WXR 1.0, 1.1, 1.2), streamed in two passes with bounded memory.

Pass one reads the whole file without writing anything: it proves the XML is well formed (a
broken file is refused before a single row is written) and gathers what posts refer to but
may precede or follow them: the site's addresses, authors, categories, tags, and the
attachments (by id, for featured images and galleries). Pass two turns each post into an
`Item` as it streams past and hands it to the pipeline; each parsed element is freed at once.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shpalta.news.models import Article

from . import legacy, terms
from .encoding import too_big
from .errors import ItemError
from .items import Item, TermRef
from .pipeline import Failure, Options, Report, Skip, Tracker, finish_bulk, run, run_bulk
from .wpcontent import Media, convert
from .xmlstream import BrokenXML, explain, iterparse, open_repaired

_WP = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
_EXCERPT = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_KNOWN = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "": "",
}
_VERSION = re.compile(r"^\d+\.\d+$")
_P_PARAM = re.compile(r"[?&]p=(\d+)")
_NO_DATE = {"", "0000-00-00 00:00:00"}
_YOAST_VAR = re.compile(r"%%\w+%%")
STATUS = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # scheduled: published_at in the future
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
_ns_cache: dict[str, str | None] = {}


def ns_kind(tag: str) -> tuple[str | None, str]:
    """('wp' | 'excerpt' | 'content' | 'dc' | '' | None, local name) of a Clark-notation tag;
    None for foreign namespaces, including one squatting on the `wp:` prefix."""
    if tag[:1] != "{":
        return "", tag
    uri, local = tag[1:].split("}", 1)
    if uri not in _ns_cache:
        _ns_cache[uri] = (
            "wp" if _WP.match(uri) else "excerpt" if _EXCERPT.match(uri) else _KNOWN.get(uri)
        )
    return _ns_cache[uri], local


def fields(element) -> dict[tuple[str, str], object]:
    """The element's children by (namespace kind, local name); the first of each wins.
    Categories and postmeta, which repeat, are collected as lists."""
    found: dict = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        kind, local = ns_kind(child.tag)
        if kind is None:
            continue
        if (kind, local) == ("", "category"):
            found.setdefault("categories", []).append(child)
        elif (kind, local) == ("wp", "postmeta"):
            found.setdefault("meta", []).append(child)
        else:
            found.setdefault((kind, local), child)
    return found


def text_of(found: dict, kind: str, local: str) -> str:
    element = found.get((kind, local))
    return (element.text or "").strip() if element is not None and element.text else ""


def raw_of(found: dict, kind: str, local: str) -> str:
    element = found.get((kind, local))
    return "".join(element.itertext()) if element is not None else ""


def postmeta(found: dict) -> dict[str, str]:
    meta = {}
    for element in found.get("meta", []):
        inner = fields(element)
        key = text_of(inner, "wp", "meta_key")
        if key and key not in meta:
            meta[key] = raw_of(inner, "wp", "meta_value").strip()
    return meta


@dataclass
class WxrCategory:
    name: str
    slug: str
    parent: str = ""
    term_id: str = ""


@dataclass
class Channel:
    """What pass one learns about the site; small next to the posts (strings per attachment)."""

    version: str = ""
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    authors: dict[str, TermRef] = field(default_factory=dict)
    author_ids: dict[str, str] = field(default_factory=dict)
    categories: dict[str, WxrCategory] = field(default_factory=dict)
    category_by_term_id: dict[str, str] = field(default_factory=dict)  # term_id → slug
    tags: dict[str, WxrCategory] = field(default_factory=dict)
    media: dict[str, Media] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    posts: int = 0
    offset: timedelta | None = None  # the site's UTC offset, learnt from post dates

    @property
    def site(self) -> str:
        return self.base_blog_url or self.link or self.base_site_url

    @property
    def prefix(self) -> str:
        """The blog's path under its domain (`/blog`), which old permalinks start with."""
        return urlsplit(self.site).path.rstrip("/")

    def absolute(self, url: str) -> str:
        url = (url or "").strip()
        if not url or url.startswith(("http://", "https://")):
            return url
        return urljoin(self.site.rstrip("/") + "/", url) if self.site else ""

    def category_ref(self, slug: str, name: str = "", depth: int = 0) -> TermRef:
        known = self.categories.get(slug)
        if known is None:
            return TermRef(name or slug, key=slug)
        parent = None
        if known.parent and known.parent != slug and depth < 20:
            parent = self.category_ref(known.parent, depth=depth + 1)
        return TermRef(known.name or name or slug, key=slug, parent=parent)

    def category_path(self, slug: str) -> str:
        chain, seen = [], set()
        while slug and slug not in seen:
            seen.add(slug)
            chain.append(slug)
            slug = self.categories[slug].parent if slug in self.categories else ""
        return "/".join(reversed(chain))


def _local_time(value: str) -> datetime | None:
    if value.strip() in _NO_DATE:
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _learn_offset(channel: Channel, found: dict) -> None:
    local = _local_time(text_of(found, "wp", "post_date"))
    gmt = _local_time(text_of(found, "wp", "post_date_gmt"))
    if local and gmt and channel.offset is None:
        channel.offset = local - gmt


def published_at(found: dict, channel: Channel) -> datetime | None:
    """GMT date if the export has it; else the RSS date (with its zone); else the local date
    shifted by the site's offset; else None (the pipeline then keeps or sets the time)."""
    gmt = _local_time(text_of(found, "wp", "post_date_gmt"))
    if gmt is not None:
        return gmt.replace(tzinfo=UTC)
    pub = text_of(found, "", "pubDate")
    if pub:
        try:
            parsed = parsedate_to_datetime(pub)
            if parsed.year > 1970:
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except (TypeError, ValueError, IndexError):
            pass
    local = _local_time(text_of(found, "wp", "post_date"))
    if local is None:
        return None
    if channel.offset is not None:
        return (local - channel.offset).replace(tzinfo=UTC)
    return timezone.make_aware(local)


# --- pass one ---------------------------------------------------------------------------


def scan(path: Path) -> Channel:
    """Validate the whole file and gather the channel; raises ItemError for a broken file."""
    channel = Channel()
    stream = open_repaired(path)
    try:
        for _, element in iterparse(stream):
            parent = element.getparent()
            if parent is None or ns_kind(parent.tag) != ("", "channel"):
                continue
            _scan_element(channel, element)
            element.clear()
            parent.remove(element)
    except BrokenXML as error:
        raise ItemError(explain(error, path)) from error
    finally:
        stream.raw.close()
    if not channel.version:
        raise ItemError("not a WordPress export: no wp:wxr_version in the channel")
    if not _VERSION.match(channel.version):
        raise ItemError(f"not a WordPress export: invalid wp:wxr_version {channel.version!r}")
    return channel


def _scan_element(channel: Channel, element) -> None:
    kind, local = ns_kind(element.tag)
    if kind == "" and local in {"title", "link"}:
        setattr(channel, local, (element.text or "").strip())
    elif kind == "wp" and local in {"wxr_version", "base_site_url", "base_blog_url"}:
        setattr(channel, local.replace("wxr_", ""), (element.text or "").strip())
    elif kind == "wp" and local == "author":
        _scan_author(channel, fields(element))
    elif kind == "wp" and local in {"category", "tag", "term"}:
        _scan_term(channel, local, fields(element))
    elif kind == "" and local == "item":
        _scan_item(channel, fields(element))


def _scan_author(channel: Channel, found: dict) -> None:
    login = text_of(found, "wp", "author_login")
    if not login:
        return
    full = " ".join(
        filter(
            None,
            [text_of(found, "wp", "author_first_name"), text_of(found, "wp", "author_last_name")],
        )
    )
    name = text_of(found, "wp", "author_display_name") or full or login
    channel.authors[login] = TermRef(name, key=login)
    author_id = text_of(found, "wp", "author_id")
    if author_id:
        channel.author_ids[author_id] = login


def _scan_term(channel: Channel, local: str, found: dict) -> None:
    if local == "category":
        taxonomy, slug = "category", text_of(found, "wp", "category_nicename")
        name, parent = text_of(found, "wp", "cat_name"), text_of(found, "wp", "category_parent")
    elif local == "tag":
        taxonomy, slug = "post_tag", text_of(found, "wp", "tag_slug")
        name, parent = text_of(found, "wp", "tag_name"), ""
    else:
        taxonomy, slug = text_of(found, "wp", "term_taxonomy"), text_of(found, "wp", "term_slug")
        name, parent = text_of(found, "wp", "term_name"), text_of(found, "wp", "term_parent")
    term = WxrCategory(name or slug, slug, parent, text_of(found, "wp", "term_id"))
    if slug and taxonomy == "category":
        if channel.categories.setdefault(slug, term) is term and term.term_id:
            channel.category_by_term_id[term.term_id] = slug
    elif slug and taxonomy == "post_tag":
        channel.tags.setdefault(slug, term)


def _scan_item(channel: Channel, found: dict) -> None:
    post_type = text_of(found, "wp", "post_type") or "post"
    post_id = text_of(found, "wp", "post_id")
    _learn_offset(channel, found)
    if post_type != "attachment":
        channel.posts += 1
        return
    url = text_of(found, "wp", "attachment_url") or text_of(found, "", "guid")
    if not post_id or not url:
        return
    meta = postmeta(found)
    parent = text_of(found, "wp", "post_parent")
    channel.media[post_id] = Media(
        url=channel.absolute(url),
        title=text_of(found, "", "title"),
        alt=meta.get("_wp_attachment_image_alt", ""),
        caption=raw_of(found, "excerpt", "encoded").strip() or raw_of(found, "content", "encoded"),
        parent=parent,
    )
    if parent and parent != "0":
        channel.children.setdefault(parent, []).append(post_id)


# --- pass two ---------------------------------------------------------------------------


def posts(path: Path, channel: Channel, source: str):
    """Items (or skips and failures) for every non-attachment item of the export."""
    stream = open_repaired(path)
    try:
        for _, element in iterparse(stream, tags=["item"]):
            parent = element.getparent()
            if parent is None or ns_kind(parent.tag) != ("", "channel"):
                continue
            found = fields(element)
            if (text_of(found, "wp", "post_type") or "post") != "attachment":
                yield _entry(found, channel, path, source)
            element.clear()
            parent.remove(element)
    except BrokenXML as error:  # changed on disk since pass one
        yield Failure(str(path), explain(error, path))
    finally:
        stream.raw.close()


def _entry(found: dict, channel: Channel, path: Path, source: str):
    post_id = text_of(found, "wp", "post_id")
    title = text_of(found, "", "title")
    label = f"{path.name}: post {post_id or '?'} «{title}»"
    post_type = text_of(found, "wp", "post_type") or "post"
    status = text_of(found, "wp", "status") or "publish"
    if post_type != "post":
        return Skip(label, f"{post_type}: not an article")
    if status not in STATUS:
        return Skip(label, f"status {status!r} is not imported")
    post_id = post_id or _id_from_urls(found)
    if not post_id:
        return Failure(label, "no wp:post_id, GUID or link to identify the post by")
    try:
        check_size(found)
        return post_item(found, channel, path, source, post_id, label, status)
    except ItemError as error:
        return Failure(label, str(error))


def check_size(found: dict) -> None:
    """A post over SHPALTA_IMPORT_MAX_ITEM_BYTES fails by name before its text is converted
    (a 200 MB post took 3.7 GB on its way through); the rest of the export still imports."""
    cap = settings.SHPALTA_IMPORT_MAX_ITEM_BYTES
    size = 0
    for kind, local in (("content", "encoded"), ("", "description"), ("excerpt", "encoded")):
        text = raw_of(found, kind, local)
        # UTF-8 takes at least a byte a character: encode only a text that may be too big
        size += len(text.encode()) if len(text) * 4 > cap else len(text)
    if size > cap:
        raise too_big("", cap)


def _id_from_urls(found: dict) -> str:
    """Exports without wp:post_id (hand-made ones) still have a GUID or a link, often `?p=N`."""
    for url in (text_of(found, "", "guid"), text_of(found, "", "link")):
        match = _P_PARAM.search(url)
        if match:
            return match.group(1)
    return text_of(found, "", "guid") or text_of(found, "", "link")


def post_item(found, channel: Channel, path: Path, source, post_id, label, status) -> Item:
    meta = postmeta(found)
    categories = item_categories(found)
    item = Item(
        source=str(path),
        import_source=source,
        import_id=post_id,
        title=text_of(found, "", "title"),
        label=label,
        body=convert(
            raw_of(found, "content", "encoded") or raw_of(found, "", "description"),
            post_id=post_id,
            media=channel.media.get,
            children=lambda pid: channel.children.get(pid, []),
        ),
        excerpt=raw_of(found, "excerpt", "encoded"),
        authors=_authors(found, categories, channel),
        category=_primary_category(categories, meta, channel),
        tags=[
            TermRef(name or slug, key=slug)
            for domain, slug, name in categories
            if domain in {"post_tag", "tag"}
        ],
        status=STATUS[status],
        published_at=published_at(found, channel),
        source_url=channel.absolute(text_of(found, "", "link")),
        legacy_paths=legacy_paths(found, channel, post_id),
    )
    if text_of(found, "wp", "post_password"):
        item.status = Article.Status.DRAFT  # Shpalta has no passwords: never publish it open
        item.note = "password-protected in WordPress: imported as a draft"
    _cover(item, meta, channel)
    _yoast(item, meta, channel)
    return item


def item_categories(found: dict) -> list[tuple[str, str, str]]:
    """(domain, nicename, name) of the item's terms. Exports before WXR 1.0 (and hand-made
    ones) list categories with no domain; newer ones repeat them with one, so the bare ones
    count only when no domain-tagged category is present."""
    terms_ = [
        (c.get("domain", ""), c.get("nicename", ""), (c.text or "").strip())
        for c in found.get("categories", [])
    ]
    tagged = [t for t in terms_ if t[0]]
    if any(domain == "category" for domain, _, _ in tagged):
        return tagged
    bare = [("category", name, name) for domain, _, name in terms_ if not domain and name]
    return tagged + bare


def _authors(found, categories, channel: Channel) -> list[TermRef]:
    """Co-Authors Plus lists every author as a category of domain `author`; else dc:creator."""
    coauthors = [
        channel.authors.get(slug) or TermRef(name or slug, key=slug)
        for domain, slug, name in categories
        if domain == "author" and (slug or name)
    ]
    if coauthors:
        return coauthors
    login = text_of(found, "dc", "creator")
    if not login:
        return []
    if login in channel.authors:
        return [channel.authors[login]]
    return [TermRef(login.split("@")[0] if "@" in login else login, key=login)]


def _primary_category(categories, meta, channel: Channel) -> TermRef | None:
    """Shpalta files an article under one category: Yoast's primary one, else the first
    that is not WordPress's default `uncategorized`."""
    mine = [(slug, name) for domain, slug, name in categories if domain == "category" and slug]
    if not mine:
        return None
    primary = channel.category_by_term_id.get(meta.get("_yoast_wpseo_primary_category", ""))
    if primary and any(slug == primary for slug, _ in mine):
        return channel.category_ref(primary)
    real = [pair for pair in mine if pair[0] != "uncategorized"] or mine
    return channel.category_ref(*real[0])


def _cover(item: Item, meta: dict, channel: Channel) -> None:
    media = channel.media.get(meta.get("_thumbnail_id", ""))
    if media is not None:
        item.cover_image_url = media.url
        item.cover_alt = media.alt
        item.cover_caption = media.caption


def _yoast(item: Item, meta: dict, channel: Channel) -> None:
    def fill(template: str) -> str:
        site = settings.SITE_NAME  # the page's title names the site it is on now
        text = template.replace("%%title%%", item.title).replace("%%sitename%%", site)
        text = text.replace("%%sep%%", "–")
        return _YOAST_VAR.sub("", text)

    item.seo_title = fill(meta.get("_yoast_wpseo_title", ""))
    item.seo_description = fill(meta.get("_yoast_wpseo_metadesc", ""))
    if item.seo_description and not item.excerpt.strip():
        item.excerpt = item.seo_description


def legacy_paths(found, channel: Channel, post_id: str) -> list[str]:
    """Every address the post may have been linked by: the exported permalink, `?p=`, and
    the common permalink structures (date-based, `/slug/`, `/archives/ID`). Not the GUID: it
    keeps the `?p=` of the site where the post was first written, which may be another
    post's id here."""
    prefix = channel.prefix
    paths = [f"{prefix}/?p={post_id}", f"{prefix}/archives/{post_id}/"]
    link = text_of(found, "", "link")
    if link and _same_site(link, channel):
        paths.append(link)
    slug = text_of(found, "wp", "post_name")
    date = _local_time(text_of(found, "wp", "post_date"))
    if slug:
        paths.append(f"{prefix}/{slug}/")
        if date is not None:
            paths.append(f"{prefix}/{date:%Y/%m/%d}/{slug}/")
            paths.append(f"{prefix}/{date:%Y/%m}/{slug}/")
    return paths


def _same_site(url: str, channel: Channel) -> bool:
    """Relative links and links to the exported site's host; not the WordPress.com GUIDs of
    another site (wptest.io) nor external `?p=` URLs."""
    host = urlsplit(url).netloc
    return not host or host in {urlsplit(u).netloc for u in (channel.site, channel.base_site_url)}


# --- the categories and tags of the channel -------------------------------------------------


def import_terms(channel: Channel, source: str, resolver: terms.Terms) -> None:
    """All declared categories (nested) and tags, with their old archive addresses; in one
    transaction, before the posts that use them."""
    prefix = channel.prefix
    with transaction.atomic():
        for slug in channel.categories:
            category = resolver.category(channel.category_ref(slug), source)
            term = channel.categories[slug]
            paths = [
                f"{prefix}/category/{channel.category_path(slug)}/",
                f"{prefix}/category/{slug}/",
            ]
            if term.term_id:
                paths.append(f"{prefix}/?cat={term.term_id}")
            legacy.remember(paths, source=source, category=category)
        for slug, term in channel.tags.items():
            tag = resolver.tag(TermRef(term.name, key=slug), source)
            legacy.remember(
                [f"{prefix}/tag/{slug}/", f"{prefix}/?tag={slug}"], source=source, tag=tag
            )
        for author_id, login in channel.author_ids.items():
            author = resolver.author(channel.authors[login], source)
            legacy.remember(
                [f"{prefix}/author/{login}/", f"{prefix}/?author={author_id}"],
                source=source,
                author=author,
            )


def source_key(channel: Channel, path: Path) -> str:
    """Posts are keyed by the site they came from (a re-export of it updates the same rows)."""
    return f"wxr:{channel.site.rstrip('/')}" if channel.site else f"wxr:{path.name}"


def import_wxr(paths, *, dry_run=False, emit=None, progress=False, one_by_one=False) -> Report:
    """Import WordPress exports; a broken file is reported and nothing of it is written.

    Posts are written in batches (pipeline.run_bulk: search documents a batch at a time, the
    related lists once at the end); `one_by_one` writes each post in its own transaction with
    every per-article reaction, as the other importers do."""
    report = Report()
    scanned = []
    for path in map(Path, paths):
        try:
            scanned.append((path, scan(path)))
        except ItemError as error:
            report.fail(str(path), str(error))
    with Tracker(progress, "wxr") as tracker:
        tracker.add_total(sum(channel.posts for _, channel in scanned))
        options = Options(dry_run=dry_run, emit=emit, tracker=tracker)
        for path, channel in scanned:
            source = source_key(channel, path)
            if not dry_run:
                try:
                    import_terms(channel, source, options.terms)
                    options.terms.commit()
                except Exception as error:  # noqa: BLE001 - reported; posts still import
                    options.terms.rollback()
                    report.fail(f"{path}: categories, tags and authors", str(error))
            (run if one_by_one else run_bulk)(posts(path, channel, source), options, report)
        finish_bulk(options)
    return report


def parse_only(path: Path) -> list:
    """Every entry the file yields, without the database: for checks and tests."""
    channel = scan(Path(path))
    return list(posts(Path(path), channel, source_key(channel, Path(path))))
