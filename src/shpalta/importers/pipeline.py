"""One pipeline for every importer: parse → tidy → upsert, one transaction per item.

Parsers yield `Item`s (or `Failure`s / `Skip`s for what they could not or should not turn
into an article). The pipeline tidies each item (`tidy_item`) and upserts it by
(Article.import_source, Article.import_id) inside its own transaction: an item is written
whole or not at all, a bad item is reported by name and reason, and the run goes on. The
search index and related lists follow through the Article save signals.
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from shpalta.news.models import Article

from . import legacy
from .items import Item, ItemError, tidy_item
from .models import ImportRecord
from .terms import Terms

IMPORTED, UPDATED, SKIPPED, FAILED = "imported", "updated", "skipped", "failed"
# The plain `--dry-run` listens here for every item's preview and would_do() word, whatever
# importer runs: each importer builds its own Options, so this cannot be one of them.
dry_run_listener: ContextVar[Callable[[dict, str], None] | None] = ContextVar(
    "dry_run_listener", default=None
)


@dataclass
class Failure:
    label: str
    reason: str


@dataclass
class Skip:
    label: str
    reason: str


@dataclass
class Report:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def fail(self, label: str, reason: str) -> None:
        self.failed += 1
        self.errors.append((label, reason))

    def summary(self) -> str:
        return (
            f"imported {self.imported}, updated {self.updated}, "
            f"skipped {self.skipped}, failed {self.failed}"
        )

    def dry_summary(self) -> str:
        """A dry run's last line: what a real run would have done."""
        return (
            f"would import {self.imported}, update {self.updated}, "
            f"skip {self.skipped}, fail {self.failed} (dry run: nothing written)"
        )


class Tracker:
    """A rich progress bar on stderr, or nothing (tests, --json pipes, library calls)."""

    def __init__(self, enabled: bool = False, description: str = "import"):
        self.enabled = enabled
        self.description = description
        self._progress = None
        self._task = None

    def __enter__(self):
        if self.enabled:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=None)
        return self

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.stop()

    def add_total(self, n: int) -> None:
        if self._progress is not None:
            task = self._progress.tasks[0]
            self._progress.update(self._task, total=(task.total or 0) + n)

    def advance(self, n: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, n)


class Deduper:
    """A hook for importers that must also recognise the same story under another key."""

    def duplicate_of(self, item: Item) -> str | None:
        return None

    def remember(self, item: Item, article_id: int | None) -> None:
        pass

    def fingerprint(self, item: Item) -> bytes | None:
        return None


@dataclass
class Options:
    dry_run: bool = False
    emit: Callable[[dict], None] | None = None  # receives each --json object in a dry run
    tracker: Tracker = field(default_factory=Tracker)
    deduper: Deduper = field(default_factory=Deduper)
    terms: Terms = field(default_factory=Terms)
    seen: set[int] = field(default_factory=set)  # articles this run already matched


def file_entries(paths: Iterable, parse_file: Callable[[Path], Item]) -> Iterator:
    """One item a file; a file that cannot be read as an article is reported by its path."""
    for path in map(Path, paths):
        try:
            yield parse_file(path)
        except ItemError as error:
            yield Failure(str(path), str(error))


def run(entries: Iterable, options: Options, report: Report | None = None) -> Report:
    """Feed every parsed entry through tidy_item → upsert, counting what happened."""
    report = report or Report()
    for entry in entries:
        if isinstance(entry, Failure):
            report.fail(entry.label, entry.reason)
        elif isinstance(entry, Skip):
            report.skipped += 1
            report.notes.append((entry.label, entry.reason))
        else:
            _one(entry, options, report)
        options.tracker.advance()
    return report


def _one(item: Item, options: Options, report: Report) -> None:
    label = item.name()
    try:
        tidy_item(item)
        label = item.name()
        outcome, article_id = (_preview if options.dry_run else upsert)(item, options)
    except ItemError as error:
        report.fail(label, str(error))
        return
    except Exception as error:  # noqa: BLE001 - one bad item must not stop the run
        report.fail(label, f"{type(error).__name__}: {error}")
        return
    would_write = outcome != SKIPPED or article_id is not None  # not a near-duplicate
    if options.dry_run and options.emit is not None and would_write:
        options.emit(item.preview())
    listener = dry_run_listener.get()
    if options.dry_run and listener is not None:
        listener(item.preview(), would_do(outcome, article_id))
    report.count(outcome)
    if item.note:
        report.notes.append((label, item.note))
    if item.warning:
        report.warnings.append((label, item.warning))


def would_do(outcome: str, article_id: int | None) -> str:
    """What a dry run says of one item: new, changed, unchanged or duplicate."""
    if outcome == SKIPPED:
        return "unchanged" if article_id is not None else "duplicate"
    return "new" if outcome == IMPORTED else "changed"


def _find(item: Item) -> Article | None:
    found = (
        Article.objects.select_related("import_record")
        .filter(import_source=item.import_source, import_id=item.import_id)
        # the unique index on the pair is partial (WHERE import_id <> ''): the query must
        # repeat that condition, or SQLite scans every article for every item
        .exclude(import_id="")
        .first()
    )
    if found is None and item.source_url:
        # the same link under another key (another feed, a re-keyed export) is the same story
        record = (
            ImportRecord.objects.select_related("article")
            .filter(link_hash=link_hash(item.source_url))
            .first()
        )
        found = record.article if record is not None else None
    return found


def link_hash(url: str) -> str:
    """Links are long; their index holds a fixed-size digest."""
    return hashlib.sha256(url.encode()).hexdigest() if url else ""


def _record(article: Article | None) -> ImportRecord | None:
    try:
        return article.import_record if article else None
    except ImportRecord.DoesNotExist:
        return None


@dataclass
class Decision:
    outcome: str
    article: Article | None
    checksum: str
    note: str = ""


def _decide(item: Item, options: Options) -> Decision:
    """What the item would do to the database now; reads only."""
    article = _find(item)
    checksum = item.checksum()
    if article is not None and article.pk in options.seen:
        # two entries of one run with one key (a GUID or link in two feeds): the first wins,
        # or every run would flip the article between them
        return Decision(SKIPPED, None, checksum, "same GUID or link as an earlier item of this run")
    record = _record(article)
    if record is not None and record.checksum == checksum:
        return Decision(SKIPPED, article, checksum)
    if article is None:
        duplicate = options.deduper.duplicate_of(item)
        if duplicate:
            return Decision(SKIPPED, None, checksum, duplicate)
        return Decision(IMPORTED, None, checksum)
    return Decision(UPDATED, article, checksum)


def _settle(item: Item, options: Options, decision: Decision) -> tuple[str, int | None]:
    """Record a decision that writes nothing."""
    if decision.note:
        item.note = decision.note
    if decision.article is not None:
        options.seen.add(decision.article.pk)
    return decision.outcome, getattr(decision.article, "pk", None)


def _preview(item: Item, options: Options) -> tuple[str, int | None]:
    decision = _decide(item, options)
    if decision.outcome == IMPORTED:
        options.deduper.remember(item, None)
    return _settle(item, options, decision)


def upsert(item: Item, options: Options) -> tuple[str, int | None]:
    """Write one item whole or not at all. An unchanged item is recognised before any
    transaction opens: a re-run of a big export takes no write lock at all."""
    decision = _decide(item, options)
    if decision.outcome == SKIPPED:
        return _settle(item, options, decision)
    try:
        result = _write(item, options)
    except Exception:
        options.terms.rollback()
        raise
    options.terms.commit()
    return result


def _write(item: Item, options: Options) -> tuple[str, int | None]:
    with transaction.atomic():
        decision = _decide(item, options)  # again, under the write lock
        if decision.outcome == SKIPPED:
            return _settle(item, options, decision)
        article, created = decision.article, decision.article is None
        if created:
            article = Article(import_source=item.import_source, import_id=item.import_id)
        _assign(article, item)
        article.category = options.terms.category(item.category, item.import_source)
        article.save()
        source = item.import_source
        article.authors.set([options.terms.author(ref, source) for ref in item.authors])
        article.tags.set([options.terms.tag(ref, source) for ref in item.tags])
        ImportRecord.objects.update_or_create(
            article=article,
            defaults={
                "checksum": decision.checksum,
                "fingerprint": options.deduper.fingerprint(item),
                "link_hash": link_hash(item.source_url),
            },
        )
        legacy.remember(item.legacy_paths, source=source, article=article)
    options.deduper.remember(item, article.pk)
    options.seen.add(article.pk)
    return (IMPORTED if created else UPDATED), article.pk


def _assign(article: Article, item: Item) -> None:
    article.title = item.title
    article.body = item.body
    article.lead = item.lead
    article.excerpt = item.excerpt
    article.status = item.status
    if item.published_at is not None:
        article.published_at = item.published_at
    elif article.pk is None:
        article.published_at = item.published_fallback or timezone.now()
    article.cover_image_url = item.cover_image_url
    article.cover_caption = item.cover_caption
    article.cover_alt = item.cover_alt
    article.source_name = item.source_name
    article.source_url = item.source_url
    article.seo_title = item.seo_title
    article.seo_description = item.seo_description
