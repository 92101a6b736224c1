"""RSS 0.9x / 1.0 / 2.0 and Atom feeds, files or URLs, through feedparser.

Each entry becomes an article carrying its source's name and link. An entry already imported
(same GUID, or same link from any feed) is updated, never duplicated; a new entry telling a
story already imported from another feed is skipped (MinHash, see `dedupe`). `--every N`
keeps polling through the task framework (aggregator mode), politely: a User-Agent naming the
site, and `ETag` / `Last-Modified` sent back so an unchanged feed costs one 304.
"""

import calendar
import contextlib
import hashlib
import io
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from .dedupe import NearDuplicates
from .encoding import guess_encoding, reading_errors
from .errors import ItemError
from .fetch import get as fetch_url
from .fetch import masked, too_big
from .items import Item, TermRef
from .models import FeedSource
from .pipeline import Failure, Options, Report, Skip, Tracker, run

SOURCE = "feed"
USER_AGENT = f"Shpalta/0.1 (news aggregator; +{getattr(settings, 'SITE_URL', '')})"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9,"
    " text/xml;q=0.8, */*;q=0.1"
)


@dataclass
class Fetched:
    location: str
    parsed: object | None  # feedparser's result
    not_modified: bool = False
    notes: list[str] = field(default_factory=list)
    etag: str = ""
    modified: str = ""


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in {"http", "https"}


def fetch(location: str, *, conditional: bool = True) -> Fetched:
    """Parse a feed file or URL; raises ItemError when nothing feed-like could be read."""
    if is_url(location):
        state = FeedSource.objects.filter(url=location).first() if conditional else None
        data, headers = download(location, state)
        if data is None:
            return Fetched(location, None, not_modified=True)
    else:
        data, headers = read_file(Path(location)), {}
    fetched = Fetched(location, None, etag=headers.get("etag", ""))
    fetched.modified = headers.get("last-modified", "")
    fetched.parsed = parse_bytes(data, headers, location, fetched.notes)
    parsed = fetched.parsed
    if not parsed.entries and parsed.bozo:
        raise ItemError(f"not a readable feed: {_reason(parsed)}")
    if not parsed.entries and not parsed.get("version"):
        raise ItemError("not a feed: no RSS, RDF or Atom document found")
    return fetched


def read_file(path: Path) -> bytes:
    """A feed file, at most SHPALTA_FETCH_MAX_BYTES of it (`/dev/zero` is a file too), or an
    item error naming why not; a missing one may be a URL typed without its scheme."""
    cap = settings.SHPALTA_FETCH_MAX_BYTES
    with reading_errors():
        try:
            with path.open("rb") as handle:
                data = handle.read(cap + 1)
        except FileNotFoundError as error:
            raise ItemError("no such file, and not an http(s) URL") from error
    if len(data) > cap:
        raise too_big(str(path), cap)
    if not data.strip():
        raise ItemError("empty file")
    return data


def download(url: str, state: FeedSource | None) -> tuple[bytes | None, dict]:
    """GET with the validators of the last poll; (None, {}) when the feed has not changed."""
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if state is not None and state.etag:
        headers["If-None-Match"] = state.etag
    if state is not None and state.modified:
        headers["If-Modified-Since"] = state.modified
    answer = fetch_url(url, headers)
    if answer.status == 304:
        return None, {}
    answer.headers.pop("content-encoding", None)  # the body is decompressed already
    answer.headers.setdefault("content-location", answer.url)
    return answer.body, answer.headers


def parse_bytes(data: bytes, headers: dict, location: str, notes: list[str]):
    """feedparser, plus a second opinion on the encoding: a feed that declares UTF-8 (or
    nothing) but is KOI8-R or cp1251 would otherwise come out as windows-1252 mojibake."""
    parsed = _feedparser(data, headers or None)
    if not isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        return parsed
    guess = guess_encoding(data)
    if not guess:
        return parsed
    kind = (headers.get("content-type") or "application/xml").split(";")[0]
    again = _feedparser(data, headers | {"content-type": f"{kind}; charset={guess}"})
    if again.entries or not parsed.entries:
        notes.append(f"not in the encoding it declares; read as {guess}")
        return again
    return parsed


def _feedparser(data: bytes, headers: dict | None):
    """feedparser on a stream of bytes we read: given bytes or a string, it first tries to
    open them as a file name (a body saying `/etc/passwd` was read from our disk)."""
    return feedparser.parse(io.BytesIO(data), response_headers=headers)


def _reason(parsed) -> str:
    error = parsed.get("bozo_exception")
    if error is None:
        return "no feed elements found"
    message = str(getattr(error, "reason", None) or error).strip() or type(error).__name__
    return f"{type(error).__name__}: {message}"


def _when(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _body(entry) -> str:
    """The fullest HTML the entry has: its content, else its summary."""
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    best = max(contents, key=len, default="")
    summary = entry.get("summary", "") or ""
    body = best if len(best) >= len(summary) else summary
    if body and "<" not in body:  # plain text: keep its paragraphs
        body = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
    return body


def _cover(entry) -> str:
    """The first image the entry offers as a web address: a `data:` thumbnail must not hide a
    real image after it (tidy_item() would drop it and leave the article with no cover)."""
    media = entry.get("media_content", []) + entry.get("media_thumbnail", [])
    images = [m.get("url", "") for m in media if _is_image(m)]
    images += [
        link.get("href", "")
        for link in entry.get("links", [])
        if link.get("rel") == "enclosure" and link.get("type", "").startswith("image/")
    ]
    return next((url for url in images if is_url(url)), "")


def _is_image(media) -> bool:
    kind = media.get("medium", "") or media.get("type", "image")
    return "image" in kind or kind == ""


def _authors(entry) -> list[TermRef]:
    names = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
    if not names and entry.get("author"):
        names = [entry["author"]]
    return [TermRef(name) for name in names]


def _key(entry, feed_url: str, link: str) -> str:
    """A GUID that looks global (a URL, urn:, tag:) stands alone; a local one ("42") is only
    unique within its feed; no GUID: the link if it is a web address (a relative one is not
    global); neither: the entry's own text."""
    guid = (entry.get("id") or "").strip()
    if guid and (":" in guid or "/" in guid):
        return guid[:500]
    if guid:
        return f"{feed_url}#{guid}"[:500]
    if is_url(link):
        return link[:500]
    text = f"{entry.get('title', '')}\n{entry.get('summary', '')}"
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def entry_item(entry, fetched: Fetched, source_name: str, index: int) -> Item:
    link = entry.get("link", "") or ""
    source = entry.get("source", {}) or {}
    title = entry.get("title", "") or ""
    return Item(
        source=fetched.location,
        import_source=SOURCE,
        import_id=_key(entry, fetched.location, link),
        title=title,
        body=_body(entry),
        label=f"{fetched.location}: entry {index} «{title.strip()[:80]}»",
        authors=_authors(entry),
        tags=[TermRef(t.get("label") or t.get("term", "")) for t in entry.get("tags", [])],
        published_at=_when(entry),
        cover_image_url=_cover(entry),
        source_name=source.get("title") or source_name,
        source_url=link,
    )


def entries_of(fetched: Fetched):
    """Items for the entries of one fetched feed, with a note when it was only partly
    readable or not in UTF-8."""
    parsed = fetched.parsed
    if fetched.not_modified:
        yield Skip(fetched.location, "not modified since the last poll (HTTP 304)")
        return
    feed = parsed.feed
    name = feed.get("title") or urlsplit(feed.get("link", "") or fetched.location).netloc
    notes = list(fetched.notes)
    if parsed.bozo:
        notes.append(f"feed is not well-formed ({_reason(parsed)}); imported what could be read")
    encoding = (parsed.get("encoding") or "utf-8").lower()
    if encoding not in {"utf-8", "us-ascii", "ascii"}:
        notes.append(f"decoded from {encoding}")
    for index, entry in enumerate(parsed.entries, 1):
        try:
            item = entry_item(entry, fetched, name, index)
        except (ItemError, ValueError, TypeError, KeyError, AttributeError) as error:
            yield Failure(f"{fetched.location}: entry {index}", f"unreadable entry: {error}")
            continue
        item.note = "; ".join(notes) if index == 1 else ""
        yield item


def parse_only(location: str) -> list:
    """The entries a feed yields, without the database (no validators): for checks and tests."""
    try:
        return list(entries_of(fetch(str(location), conditional=False)))
    except ItemError as error:
        return [Failure(str(location), str(error))]


def _remember_source(fetched: Fetched, status: str) -> None:
    if not is_url(fetched.location):
        return
    parsed = fetched.parsed
    defaults = {"last_polled_at": timezone.now(), "last_status": status[:300]}
    if parsed is not None:
        defaults |= {
            "title": (parsed.feed.get("title") or "")[:300],
            "etag": fetched.etag[:300],
            "modified": fetched.modified[:100],
        }
    FeedSource.objects.update_or_create(url=fetched.location, defaults=defaults)


def import_once(locations, *, dry_run=False, emit=None, progress=False) -> Report:
    """One pass over the feeds: fetch all (a broken feed is reported, the rest go on), then
    import their entries."""
    report, fetched = Report(), []
    for location in map(str, locations):
        try:
            fetched.append(fetch(location, conditional=not dry_run))
        except ItemError as error:
            report.fail(masked(location), str(error))
            if not dry_run and is_url(location):
                _remember_source(Fetched(location, None), f"failed: {error}")
    with Tracker(progress, "feed") as tracker:
        tracker.add_total(sum(1 if f.not_modified else len(f.parsed.entries) for f in fetched))
        options = Options(dry_run=dry_run, emit=emit, tracker=tracker, deduper=NearDuplicates())
        for one in fetched:
            before = report.summary()
            run(entries_of(one), options, report)
            if not dry_run:
                _remember_source(one, f"ok: {before} → {report.summary()}")
    return report


@task()
def poll_feeds(locations: list[str]) -> dict:
    """One aggregator round, run by the task framework (at once by default; by a worker when
    SHPALTA_TASKS=database)."""
    report = import_once(locations)
    return {
        "imported": report.imported,
        "updated": report.updated,
        "skipped": report.skipped,
        "failed": report.failed,
        "errors": report.errors,
    }


def _round_report(result) -> Report:
    """The counts of a finished round; a round that crashed is one failure, and polling
    goes on (the next round may find the network back)."""
    if result.status == TaskResultStatus.SUCCESSFUL:
        return _from_result(result.return_value)
    report = Report()
    last = result.errors[-1].traceback.strip().splitlines()[-1] if result.errors else "unknown"
    report.fail("polling round", last)
    return report


def _from_result(value: dict) -> Report:
    report = Report(**{k: value[k] for k in ("imported", "updated", "skipped", "failed")})
    report.errors = [tuple(e) for e in value.get("errors", [])]
    return report


def poll(locations, every: float, rounds: int = 0, on_report=None, sleep=time.sleep) -> Report:
    """Enqueue a polling round every `every` minutes (forever, or `rounds` times)."""
    total = Report()
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends it with the totals so far
        _poll_rounds(locations, every, rounds, on_report, sleep, total)
    return total


def _poll_rounds(locations, every, rounds, on_report, sleep, total: Report) -> None:
    done = 0
    while True:
        result = poll_feeds.enqueue(list(map(str, locations)))
        if result.is_finished:
            report = _round_report(result)
            for name in ("imported", "updated", "skipped", "failed"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            total.errors.extend(report.errors)
            if on_report is not None:
                on_report(report)
        done += 1
        if rounds and done >= rounds:
            return
        sleep(every * 60)


def import_feeds(
    locations, *, dry_run=False, emit=None, progress=False, every=None, rounds=0, on_report=None
) -> Report:
    """Import feeds once, or with `every` (minutes) keep polling them."""
    if every is None:
        return import_once(locations, dry_run=dry_run, emit=emit, progress=progress)
    if dry_run:
        raise ItemError("--every polls and writes; it does not go with --dry-run")
    if every <= 0:
        raise ItemError("--every needs a positive number of minutes")
    return poll(locations, every, rounds, on_report)
