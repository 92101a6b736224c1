"""One pipeline for every importer: parse → tidy → upsert, one transaction per item.

Parsers yield `Item`s (or `Failure`s / `Skip`s for what they could not or should not turn
into an article). The pipeline tidies each item (`tidy_item`) and upserts it by
(Article.import_source, Article.import_id) inside its own transaction: an item is written
whole or not at all, a bad item is reported by name and reason, and the run goes on. The
search index and related lists follow through the Article save signals.

`run_bulk` is the same upsert for a big archive: items are written BATCH at a time in one
transaction, each in its own savepoint (a broken item is rolled back alone and reported; the
others of its batch still commit), inside news.signals.saving_in_bulk(): the search documents
of a batch are written together and the related lists are updated once when the run is over
(news.signals.bulk_finished), not once per item. Decisions and counts are those of `run`, so a
re-run of the same file is all skipped and writes nothing.
"""

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from shpalta.news import signals as news_signals
from shpalta.news.models import Article, OldSlug
from shpalta.ops.batching import batched
from shpalta.text.slugs import slugify_uk

from . import legacy
from .items import Item, ItemError, tidy_item
from .models import ImportRecord
from .terms import Terms

IMPORTED, UPDATED, SKIPPED, FAILED = "imported", "updated", "skipped", "failed"
BATCH = 500  # items a bulk transaction writes: bounded memory and lock time, few commits
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
    written: list[int] = field(default_factory=list)  # articles a bulk run wrote


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


def run_bulk(
    entries: Iterable, options: Options, report: Report | None = None, batch: int = BATCH
) -> Report:
    """`run` for big archives: BATCH items a transaction, one set-wise reaction a batch, the
    related lists once at the end (see the module docstring). Call `finish_bulk` when every
    file of the run is through."""
    report = report or Report()
    if options.dry_run:
        return run(entries, options, report)
    for chunk in batched(entries, batch):
        _bulk_batch(chunk, options, report)
    return report


def finish_bulk(options: Options) -> None:
    """The run is over: the related lists of everything it wrote, once (after commit)."""
    if options.written:
        news_signals.bulk_finished.send(sender=Article, article_ids=list(options.written))
        options.written.clear()


def _bulk_batch(chunk: list, options: Options, report: Report) -> None:
    pending = []  # (item, label, decision) still to write
    items = [e for e in chunk if not isinstance(e, Failure | Skip)]
    broken: dict[int, Exception] = {}
    for item in items:
        try:
            tidy_item(item)
        except Exception as error:  # noqa: BLE001 - one bad item must not stop the run
            broken[id(item)] = error
    found = _find_many([i for i in items if id(i) not in broken])
    keys = Counter((i.import_source, i.import_id) for i in items if i.import_id)
    for entry in chunk:
        if isinstance(entry, Failure):
            report.fail(entry.label, entry.reason)
        elif isinstance(entry, Skip):
            report.skipped += 1
            report.notes.append((entry.label, entry.reason))
        elif id(entry) in broken:
            report.fail(entry.name(), _reason(broken[id(entry)]))
        else:
            label = entry.name()
            decision = _decision(entry, options, found.get(id(entry)))
            if decision.outcome == SKIPPED:
                outcome, _ = _settle(entry, options, decision)
                _counted(entry, label, outcome, report)
            else:  # its key twice in the batch: decided late, under the write lock
                late = keys[(entry.import_source, entry.import_id)] > 1
                pending.append((entry, label, None if late else decision))
                continue  # the bar advances when it is written
        options.tracker.advance()
    if not pending:
        return
    done = []
    slugs = _free_slugs(pending)
    try:
        with transaction.atomic(), news_signals.saving_in_bulk(sender=Article) as bulk:
            old_paths = []
            rows = NewRows()  # new articles' authors, tags and records, inserted once below
            for item, label, decision in pending:
                terms_before = dict(options.terms.pending)
                mine = NewRows()
                try:
                    with transaction.atomic():  # a savepoint: a broken item goes alone
                        outcome, article_id = _write_row(
                            item, options, bulk, decision, slugs.get(id(item), ""), mine
                        )
                except Exception as error:  # noqa: BLE001 - one bad item must not stop the run
                    options.terms.pending = terms_before
                    report.fail(label, _reason(error))
                    options.tracker.advance()
                    continue
                rows.extend(mine)
                done.append((item, label, outcome, article_id))
                options.tracker.advance()
                if outcome != SKIPPED:
                    target = {"article": bulk.articles[article_id]}
                    old_paths.append((item.legacy_paths, item.import_source, target))
            rows.insert()
            legacy.remember_many(old_paths)
    except Exception as error:  # noqa: BLE001 - the batch's commit or its reactions failed
        options.terms.rollback()
        for _item, label, _, article_id in done:
            options.seen.discard(article_id)
            report.fail(label, f"batch not written: {_reason(error)}")
        return
    options.terms.commit()
    for item, label, outcome, article_id in done:
        if article_id is not None and outcome != SKIPPED:
            options.written.append(article_id)
        _counted(item, label, outcome, report)


SLUG_ROOM = 6  # news.models.unique_slug keeps this much of the field for a «-N»


def _slug_base(title: str) -> str:
    """The slug news.models.unique_slug starts from for a title."""
    room = Article._meta.get_field("slug").max_length - SLUG_ROOM
    return slugify_uk(title, max_length=room) or "bez-nazvy"


def _free_slugs(pending: list) -> dict[int, str]:
    """The slugs of a batch's new articles, by id(item), in two queries: a new article's own
    slug when no row or old address holds it and no other new article of the batch may reach
    it (the same base, or a base whose «-N» it is). The others are left to Article.save, which
    asks the database per article under the batch's write lock, as a one-by-one import does,
    so both give the same slug."""
    new = [
        (item, decision)
        for item, _, decision in pending
        if decision is None or not decision.article
    ]
    bases = {id(item): _slug_base(item.title) for item, _ in new}
    wanted = set(bases.values())
    taken = set(Article.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    taken |= set(
        OldSlug.objects.filter(slug__in=wanted)
        .exclude(article_id=None)
        .values_list("slug", flat=True)
    )
    counts = Counter(bases.values())
    left = {base for base in wanted if counts[base] > 1 or base in taken}
    left |= {bases[id(item)] for item, decision in new if decision is None}  # decided late
    free = {}
    for item, decision in new:
        base = bases[id(item)]
        head, _, tail = base.rpartition("-")
        if decision is not None and base not in left and not (tail.isdigit() and head in left):
            free[id(item)] = base
    return free


def _reason(error: Exception) -> str:
    return str(error) if isinstance(error, ItemError) else f"{type(error).__name__}: {error}"


def _counted(item: Item, label: str, outcome: str, report: Report) -> None:
    report.count(outcome)
    if item.note:
        report.notes.append((label, item.note))
    if item.warning:
        report.warnings.append((label, item.warning))


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
    return _decision(item, options, _find(item))


def _find_many(items: list[Item]) -> dict[int, Article]:
    """`_find` for a batch in two queries: the articles by key, then by link; keyed by
    id(item)."""
    found: dict[int, Article] = {}
    by_source: dict[str, list[Item]] = {}
    for item in items:
        if item.import_id:
            by_source.setdefault(item.import_source, []).append(item)
    for source, group in by_source.items():
        rows = (
            Article.objects.select_related("import_record")
            .filter(import_source=source, import_id__in=[i.import_id for i in group])
            .exclude(import_id="")  # the partial unique index (see _find)
        )
        by_key = {a.import_id: a for a in rows}
        for item in group:
            if item.import_id in by_key:
                found[id(item)] = by_key[item.import_id]
    linked = {link_hash(i.source_url): i for i in items if id(i) not in found and i.source_url}
    if linked:
        records = ImportRecord.objects.select_related("article").filter(link_hash__in=list(linked))
        by_hash = {r.link_hash: r.article for r in records}
        for digest, item in linked.items():
            if digest in by_hash:
                found[id(item)] = by_hash[digest]
    return found


def _decision(item: Item, options: Options, article: Article | None) -> Decision:
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
        return _write_row(item, options)


def _write_row(
    item: Item, options: Options, bulk=None, decision=None, slug: str = "", rows=None
) -> tuple[str, int | None]:
    """The item's rows, inside the caller's transaction. `bulk` (a news BulkSave) is told of
    the saved article, whose reactions then come set-wise with its batch; the old addresses
    are then the caller's to write, and a new article's tags, authors and record are inserted
    without reading first. `decision`: made for the batch just before its transaction (else
    made again here, under the write lock). `slug`: a new article's slug, known free
    (_free_slugs); else Article.save finds one. `rows` (NewRows, with `bulk`): a new article's
    authors, tags and import record, and any saved article's revision, go there, for the caller
    to insert with its batch's."""
    if decision is None:
        decision = _decide(item, options)
    if decision.outcome == SKIPPED:
        return _settle(item, options, decision)
    article, created = decision.article, decision.article is None
    was_released = not created and article.is_released
    if created:
        article = Article(import_source=item.import_source, import_id=item.import_id, slug=slug)
    _assign(article, item)
    article.category = options.terms.category(item.category, item.import_source)
    if bulk is None:
        article.save()
    else:  # its revision is written with the batch's (NewRows.insert), not by a signal per row
        article.skip_history_when_saving = True
        try:
            article.save()
        finally:
            del article.skip_history_when_saving
        rows.saved(article, created)
    source = item.import_source
    authors = [options.terms.author(ref, source) for ref in item.authors]
    tags = [options.terms.tag(ref, source) for ref in item.tags]
    record = {
        "checksum": decision.checksum,
        "fingerprint": options.deduper.fingerprint(item),
        "link_hash": link_hash(item.source_url),
    }
    if bulk is not None and created:
        rows.add(article, authors, tags, ImportRecord(article=article, **record))
    else:
        article.authors.set(authors)
        article.tags.set(tags)
        ImportRecord.objects.update_or_create(article=article, defaults=record)
    if bulk is None:
        legacy.remember(item.legacy_paths, source=source, article=article)
    else:
        bulk.saved(article, was_released)
    options.deduper.remember(item, article.pk)
    options.seen.add(article.pk)
    return (IMPORTED if created else UPDATED), article.pk


@dataclass
class NewRows:
    """New articles' author and tag links and import records, and every saved article's
    revision (django-simple-history's record, as its post_save signal would have written it),
    inserted for a whole batch at once inside its transaction (no m2m signal: the bulk's
    articles_saved reaction, sent after these, stands for it)."""

    authors: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    records: list = field(default_factory=list)
    created: list = field(default_factory=list)  # saved articles, for their revisions
    updated: list = field(default_factory=list)

    def saved(self, article: Article, created: bool) -> None:
        (self.created if created else self.updated).append(article)

    def add(self, article: Article, authors: list, tags: list, record: ImportRecord) -> None:
        self.authors += [
            Article.authors.through(article_id=article.pk, author_id=i)
            for i in dict.fromkeys(o.pk for o in authors)
        ]
        self.tags += [
            Article.tags.through(article_id=article.pk, tag_id=i)
            for i in dict.fromkeys(o.pk for o in tags)
        ]
        self.records.append(record)

    def extend(self, other: "NewRows") -> None:
        self.authors += other.authors
        self.tags += other.tags
        self.records += other.records
        self.created += other.created
        self.updated += other.updated

    def insert(self) -> None:
        Article.authors.through.objects.bulk_create(self.authors, batch_size=BATCH)
        Article.tags.through.objects.bulk_create(self.tags, batch_size=BATCH)
        ImportRecord.objects.bulk_create(self.records, batch_size=BATCH)
        Article.history.bulk_history_create(self.created, batch_size=BATCH)
        Article.history.bulk_history_create(self.updated, batch_size=BATCH, update=True)


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
