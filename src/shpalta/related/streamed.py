"""`shpalta related rebuild`, streamed: memory bounded by a chunk, not by the archive's texts,
and resumable after an interruption.

Three stages, each a pass over the articles in id order, committing a chunk at a time and
remembering in `IndexState` (stage, last id done) where it got to; a rebuild started again after
a crash, a kill or a deploy goes on from there instead of starting over:

1. analyse — every released article's terms, counts and MinHash are stored (`ArticleVector`
   counts, signature, fingerprint); an article whose stored fingerprint equals its current one
   is not analysed again (so a restarted rebuild, or one after a bulk import that changed few
   texts, skips what is done). Vectors of articles no longer released leave the index.
2. weigh — document counts recounted from the stored counts (one array over the vocabulary),
   then each article's vector weighed with them and its postings written.
3. lists — an in-memory copy of the vectors only (ids, weights, MinHash: about 1 KB an article,
   held as flat arrays) answers candidate queries; each chunk's lists are written as they are
   computed, so nothing proportional to the archive's text or lists is ever held.

The lists equal those `updates.refresh` computes from the same stored vectors (the same
`scoring` code, the same index limits), which tests/related/test_streamed_rebuild.py checks.
While it runs the site keeps serving the lists it has; they are replaced chunk by chunk.
"""

import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from multiprocessing import get_context

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from shpalta.news.models import Article
from shpalta.ops.batching import batched

from . import store
from .conf import Params, params
from .features import Features, Source, extract, extract_many, fingerprint
from .memory import MemoryIndex, strongest_entries
from .models import ArticleVector, IndexState, Posting, RelatedLink, Term
from .scoring import Seed, ranked, select
from .vectors import pack, pack_counts, pack_signature, unpack_counts, weigh_arrays

Progress = Callable[[str, int], Callable[[int], None]]
CHUNK = 1000
STAGES = ("analyse", "weigh", "lists")


def _silent(title: str, total: int) -> Callable[[int], None]:
    return lambda n: None


def _state() -> IndexState:
    state = IndexState.objects.filter(pk=1).first()
    if state is None:
        state = IndexState.objects.create(pk=1, documents=0)
    return state


def _save_state(stage: str, after: int) -> None:
    IndexState.objects.filter(pk=1).update(rebuild_stage=stage, rebuild_after=after)


def rebuild(
    progress: Progress = _silent,
    config: Params | None = None,
    jobs: int = 1,
    chunk: int = CHUNK,
    restart: bool = False,
) -> dict:
    """Run (or go on with) a rebuild; returns figures for the summary line."""
    config = config or params()
    started = time.perf_counter()
    state = _state()
    if restart or state.rebuild_stage not in STAGES:
        _save_state("analyse", 0)
        IndexState.objects.filter(pk=1).update(rebuild_started=timezone.now())
        state = _state()
    resumed = state.rebuild_after > 0 or state.rebuild_stage != "analyse"
    began_at = state.rebuild_started or timezone.now()
    stages: dict[str, float] = {}
    analysed = 0
    for stage in STAGES[STAGES.index(state.rebuild_stage) :]:
        after = _state().rebuild_after
        t = time.perf_counter()
        if stage == "analyse":
            analysed = _analyse(after, progress, config, jobs, chunk)
        elif stage == "weigh":
            _weigh(after, progress, config, chunk)
        else:
            figures = _lists(after, progress, config, chunk)
        stages[stage] = time.perf_counter() - t
        following = STAGES.index(stage) + 1
        _save_state(STAGES[following] if following < len(STAGES) else "", 0)
    Term.objects.filter(df=0).delete()
    store.settle_tables()
    return figures | {
        "analysed": analysed,
        "resumed": resumed,
        "terms": Term.objects.count(),
        "seconds": time.perf_counter() - started,
        "stages": stages,
        "began_at": began_at,
    }


# -- 1. analyse ---------------------------------------------------------------------------------


def _sources(after: int, chunk: int):
    """Released articles after `after`, a chunk at a time, with their tags (bounded reads)."""
    released = Article.objects.released().filter(pk__gt=after).order_by("pk")
    columns = ("pk", "title", "lead", "body_text", "category_id", "published_at")
    last = after
    while True:
        rows = list(released.filter(pk__gt=last).values_list(*columns)[:chunk])
        if not rows:
            return
        ids = [r[0] for r in rows]
        tags: dict[int, list[int]] = {}
        through = Article.tags.through.objects.filter(article_id__in=ids)
        for article_id, tag_id in through.values_list("article_id", "tag_id"):
            tags.setdefault(article_id, []).append(tag_id)
        yield [
            (
                pk,
                published_at,
                Source(
                    title,
                    lead,
                    body,
                    tuple(sorted(tags.get(pk, ()))),
                    category_id,
                    published_at.isoformat(),
                ),
            )
            for pk, title, lead, body, category_id, published_at in rows
        ]
        last = ids[-1]


def _analyse(after: int, progress: Progress, config: Params, jobs: int, chunk: int) -> int:
    """Store every released article's counts and MinHash; returns how many were analysed."""
    total = Article.objects.released().filter(pk__gt=after).count()
    advance = progress("Аналіз текстів", total)
    _drop_unreleased()
    pool = ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) if jobs > 1 else None
    analysed = 0
    try:
        for rows in _sources(after, chunk):
            stored = dict(
                ArticleVector.objects.filter(pk__in=[r[0] for r in rows]).values_list(
                    "pk", "fingerprint"
                )
            )
            todo = [r for r in rows if stored.get(r[0]) != fingerprint(r[2], config)]
            sources = [source for _, _, source in todo]
            if pool is None or len(sources) < 2:
                features = [extract(source, config) for source in sources]
            else:
                parts = batched(sources, max(1, len(sources) // jobs))
                features = [
                    f for p in pool.map(extract_many, [(p, config) for p in parts]) for f in p
                ]
            with transaction.atomic():
                _store_counts(todo, features)
                _save_state("analyse", rows[-1][0])
            analysed += len(todo)
            advance(len(rows))
    finally:
        if pool is not None:
            pool.shutdown()
    return analysed


Analysed = list[tuple[tuple[int, datetime, Source], Features]]  # ((pk, published, source), ...)


def analyse_saved(articles, config: Params) -> Analysed:
    """Saved articles analysed as the first stage would, for `store_analysed` (see
    updates.analyse_saved): the released ones, each with its Features."""
    released = [a for a in articles if a.is_released]
    if not released:
        return []
    tags: dict[int, list[int]] = {}
    through = Article.tags.through.objects.filter(article_id__in=[a.pk for a in released])
    for article_id, tag_id in through.values_list("article_id", "tag_id"):
        tags.setdefault(article_id, []).append(tag_id)
    rows = [(a.pk, a.published_at, Source.of(a, tags.get(a.pk, ()))) for a in released]
    return [(row, extract(row[2], config)) for row in rows]


def store_analysed(analysed: Analysed) -> int:
    """Store what `analyse_saved` found, in one go however many calls found it (the terms of
    a whole import batch are looked up and created together); returns how many were stored."""
    _store_counts([row for row, _ in analysed], [features for _, features in analysed])
    return len(analysed)


def _drop_unreleased() -> None:
    """Vectors, postings and lists of articles that are no longer released."""
    gone = ArticleVector.objects.exclude(article__in=Article.objects.released()).values("pk")
    ids = list(gone.values_list("pk", flat=True))
    for part in batched(ids, CHUNK):
        with transaction.atomic():
            Posting.objects.filter(article_id__in=part).delete()
            RelatedLink.objects.filter(article_id__in=part).delete()
            RelatedLink.objects.filter(related_id__in=part).delete()
            ArticleVector.objects.filter(pk__in=part).delete()


def _store_counts(rows, features) -> None:
    if not rows:
        return
    known = store.term_ids({t for f in features for t in f.counts})
    vectors = []
    for (pk, published_at, _), f in zip(rows, features, strict=True):
        ids = np.fromiter((known[t][0] for t in f.counts), np.int64, len(f.counts))
        counts = np.fromiter(f.counts.values(), np.float64, len(f.counts))
        vectors.append(
            ArticleVector(
                article_id=pk,
                published_at=published_at,
                vector=b"",  # weighed in the next stage
                counts=pack_counts(ids, counts),
                weighed_at=0,
                signature=pack_signature(f.signature),
                fingerprint=f.fingerprint,
                spread=False,
            )
        )
    ArticleVector.objects.bulk_create(
        vectors,
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=[
            "published_at",
            "vector",
            "counts",
            "weighed_at",
            "signature",
            "fingerprint",
            "spread",
            "updated_at",
        ],
    )


# -- 2. weigh -----------------------------------------------------------------------------------


def _stored_counts(after: int, chunk: int, columns=("pk", "counts")):
    last = after
    while True:
        rows = list(
            ArticleVector.objects.filter(pk__gt=last).order_by("pk").values_list(*columns)[:chunk]
        )
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _document_counts() -> tuple[np.ndarray, int]:
    """df of every term and the number of indexed articles, recounted from stored counts."""
    top = Term.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    df = np.zeros(top + 1, np.int64)
    documents = 0
    for rows in _stored_counts(0, CHUNK * 5):
        for _, counts in rows:
            ids = unpack_counts(counts)[0]
            np.add.at(df, ids[ids <= top], 1)
        documents += len(rows)
    return df, documents


def _weigh(after: int, progress: Progress, config: Params, chunk: int) -> None:
    df, documents = _document_counts()
    if after == 0:  # the counts are written once, before the first vector is weighed
        with transaction.atomic():
            _write_df(df)
            IndexState.objects.filter(pk=1).update(documents=documents)
    advance = progress("Ваги", documents)
    now = timezone.now()
    for rows in _stored_counts(after, chunk, ("pk", "counts", "published_at")):
        with transaction.atomic():
            postings, updates = [], []
            ids_done = [pk for pk, _, _ in rows]
            for pk, counts, published_at in rows:
                ids, values = unpack_counts(counts)
                vector = weigh_arrays(
                    ids, values, df[ids].astype(np.float64), documents, config.vector_terms
                )
                updates.append((pack(vector), documents, published_at <= now, pk))
                strongest = vector.strongest(config.posting_terms)
                postings += [
                    (int(t), pk, float(w))
                    for t, w in zip(strongest.ids, strongest.weights, strict=True)
                ]
            table = connection.ops.quote_name(ArticleVector._meta.db_table)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET vector = %s, weighed_at = %s, spread = %s "  # noqa: S608
                    "WHERE article_id = %s",
                    updates,
                )
            Posting.objects.filter(article_id__in=ids_done).delete()
            store.insert_rows(Posting, ("term_id", "article_id", "weight"), postings)
            _save_state("weigh", ids_done[-1])
        advance(len(rows))


def _write_df(df: np.ndarray) -> None:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Term._meta.db_table)
        cursor.execute(f"UPDATE {table} SET df = 0")  # noqa: S608
        nonzero = np.flatnonzero(df)
        for part in batched(nonzero.tolist(), 5000):
            cursor.executemany(
                f"UPDATE {table} SET df = %s WHERE id = %s",  # noqa: S608
                [(int(df[i]), i) for i in part],
            )


# -- 3. lists -----------------------------------------------------------------------------------


class _Buffer:
    """A growing array filled a chunk at a time: no list of chunks concatenated at the end
    (which held everything twice at the peak)."""

    def __init__(self, dtype, capacity: int, width: int | None = None):
        self.shape = () if width is None else (width,)
        self.data = np.empty((max(capacity, 1), *self.shape), dtype)
        self.size = 0

    def extend(self, values: np.ndarray) -> None:
        end = self.size + len(values)
        if end > len(self.data):
            grown = np.empty((max(end, len(self.data) * 3 // 2), *self.shape), self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : end] = values
        self.size = end

    def array(self) -> np.ndarray:
        return self.data[: self.size]


def _memory_index(config: Params) -> MemoryIndex:
    """The stored vectors as flat arrays (no per-article objects), read a chunk at a time into
    arrays sized for the archive; each chunk's strongest terms (the postings) are picked as it
    is read, so nothing the size of all the archive's terms is sorted or copied at once."""
    n = ArticleVector.objects.count()
    ids, published = _Buffer(np.int64, n), _Buffer(np.float64, n)
    lengths, signatures = _Buffer(np.int64, n), None
    term_ids = _Buffer(np.uint32, n * config.vector_terms)
    weights = _Buffer(np.float32, n * config.vector_terms)
    post_terms = _Buffer(np.uint32, n * config.posting_terms)
    post_weights = _Buffer(np.float32, n * config.posting_terms)
    post_rows = _Buffer(np.int32, n * config.posting_terms)
    columns = ("pk", "published_at", "vector", "signature")
    for rows in _stored_counts(0, CHUNK * 5, columns):
        loaded = store.loaded_from_rows(rows)
        chunk_lengths = np.bincount(loaded.owners, minlength=len(loaded.ids))
        keep = strongest_entries(loaded.weights, chunk_lengths, config.posting_terms)
        post_terms.extend(loaded.term_ids[keep])
        post_weights.extend(loaded.weights[keep])
        post_rows.extend(loaded.owners[keep] + ids.size)
        if signatures is None:
            signatures = _Buffer(np.uint32, n, loaded.signatures.shape[1])
        signatures.extend(loaded.signatures)
        ids.extend(loaded.ids)
        published.extend(loaded.published)
        lengths.extend(chunk_lengths)
        term_ids.extend(loaded.term_ids)
        weights.extend(loaded.weights)
    if signatures is None:
        empty = np.zeros(0, np.int64)
        return MemoryIndex.from_arrays(
            empty,
            np.zeros(0),
            np.zeros((0, 1), np.uint32),
            empty,
            empty.astype(np.uint32),
            np.zeros(0, np.float32),
            config,
        )
    return MemoryIndex.from_parts(
        ids.array(),
        published.array(),
        signatures.array(),
        lengths.array(),
        term_ids.array(),
        weights.array(),
        (post_terms.array(), post_weights.array(), post_rows.array()),
        config,
    )


def _lists(after: int, progress: Progress, config: Params, chunk: int) -> dict:
    index = _memory_index(config)
    now = time.time()
    live = int((index.published <= now).sum())
    advance = progress("Схожі статті", int((index.ids > after).sum()))
    links = without = 0
    start = int(np.searchsorted(index.ids, after, side="right"))
    for begin in range(start, len(index.ids), chunk):
        lists = {}
        for row in range(begin, min(begin + chunk, len(index.ids))):
            article_id = int(index.ids[row])
            seed = Seed(
                article_id, index.vector(row), index.signatures[row], float(index.published[row])
            )
            lists[article_id] = store.as_entries(select(ranked(seed, index, config, now), config))
        with transaction.atomic():
            store.write_lists(lists)
            _save_state("lists", max(lists))
        links += sum(len(v) for v in lists.values())
        without += sum(1 for pk, v in lists.items() if not v and _is_live(index, pk, now))
        advance(len(lists))
    links = RelatedLink.objects.count()  # a resumed run counts what earlier runs wrote too
    return {"articles": len(index.ids), "live": live, "links": links, "without": without}


def _is_live(index: MemoryIndex, article_id: int, now: float) -> bool:
    return bool(index.published[index.row(article_id)] <= now)
