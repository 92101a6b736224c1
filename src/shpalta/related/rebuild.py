"""Recomputing the whole index and every list: after a bulk import, a change of weighting, or
to be sure. `rebuild_lists` is the streamed, resumable rebuild of related.streamed; the
in-memory one (`rebuild_in_memory`: everything computed first, written in one transaction) is
kept as the benchmark's baseline and for the quality benchmark's variants."""

import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from shpalta.news.models import Article
from shpalta.ops.batching import batched

from . import store, streamed, tasks
from .conf import Params, params
from .features import Source, extract, extract_many
from .memory import MemoryIndex
from .models import ArticleVector, IndexState, Posting, RelatedLink, Term
from .scoring import Seed, ranked, select
from .vectors import Vector, pack, pack_counts, pack_signature, weigh_arrays

# progress(stage title, total) → advance(n)
Progress = Callable[[str, int], Callable[[int], None]]
CHUNK = 1000
WRITE_BATCH = 5000


@dataclass
class Corpus:
    """Analysed articles; term ids are positions in `vocabulary` until written."""

    ids: list[int] = field(default_factory=list)
    published: list[float] = field(default_factory=list)
    published_at: list[datetime] = field(default_factory=list)
    signatures: list[np.ndarray] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    terms: list[np.ndarray] = field(default_factory=list)
    counts: list[np.ndarray] = field(default_factory=list)
    vocabulary: dict[str, int] = field(default_factory=dict)


@dataclass
class Summary:
    articles: int
    live: int
    terms: int
    links: int
    without_related: int
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    analysed: int | None = None  # texts analysed (the others' stored analysis was current)
    resumed: bool = False

    def line(self) -> str:
        stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.stages.items())
        analysed = "" if self.analysed is None else f", {self.analysed} texts analysed"
        resumed = ", resumed an interrupted rebuild" if self.resumed else ""
        return (
            f"rebuilt {self.articles} articles ({self.live} live): {self.links} related links, "
            f"{self.without_related} live without related, {self.terms} terms, "
            f"{self.seconds:.1f} s ({stages}){analysed}{resumed}"
        )


def _silent(title: str, total: int) -> Callable[[int], None]:
    return lambda n: None


def rebuild_lists(
    progress: Progress = _silent,
    config: Params | None = None,
    jobs: int = 1,
    restart: bool = False,
    chunk: int = streamed.CHUNK,
) -> Summary:
    """The streamed rebuild (related.streamed): bounded memory, resumable; `restart` starts an
    interrupted one over instead of going on with it."""
    figures = streamed.rebuild(progress, config, jobs, chunk=chunk, restart=restart)
    _catch_up(figures["began_at"])
    return Summary(
        articles=figures["articles"],
        live=figures["live"],
        terms=figures["terms"],
        links=figures["links"],
        without_related=figures["without"],
        seconds=figures["seconds"],
        stages=figures["stages"],
        analysed=figures["analysed"],
        resumed=figures["resumed"],
    )


def rebuild_in_memory(
    progress: Progress = _silent, config: Params | None = None, jobs: int = 1
) -> Summary:
    """The former rebuild: every text analysed and every list computed in memory, then written
    in one transaction (memory grows with the archive: about 1 GB at 100,000 articles). Kept
    as the baseline of bench/related_speed.py."""
    config = config or params()
    started_at, started = timezone.now(), time.perf_counter()
    corpus = analyse_all(progress, config, jobs)
    stages = {"analyse": time.perf_counter() - started}
    vectors = weigh_all(corpus, config)
    ids = np.asarray(corpus.ids, np.int64)
    published = np.asarray(corpus.published, np.float64)
    signatures = np.vstack(corpus.signatures) if corpus.signatures else np.zeros((0, 1), np.uint32)
    now = time.time()
    lists = compute_lists(ids, published, signatures, vectors, config, now, progress)
    stages["score"] = time.perf_counter() - started - sum(stages.values())
    write(corpus, vectors, lists, now, config, progress)
    store.settle_tables()
    stages["write"] = time.perf_counter() - started - sum(stages.values())
    _catch_up(started_at)
    live = int((published <= now).sum())
    return Summary(
        articles=len(ids),
        live=live,
        terms=len(corpus.vocabulary),
        links=sum(len(v) for v in lists.values()),
        without_related=sum(
            1 for i, p in zip(ids, published, strict=True) if p <= now and not lists.get(int(i))
        ),
        seconds=time.perf_counter() - started,
        stages=stages,
    )


def _sources():
    """Every published article (scheduled ones too: they are indexed, just not shown yet)."""
    published = Article.objects.released()
    tags: dict[int, list[int]] = {}
    for article_id, tag_id in Article.tags.through.objects.filter(
        article_id__in=published.values("pk")
    ).values_list("article_id", "tag_id"):
        tags.setdefault(article_id, []).append(tag_id)
    rows = published.order_by("pk").values_list(
        "pk", "title", "lead", "body_text", "category_id", "published_at"
    )
    for pk, title, lead, body_text, category_id, published_at in rows.iterator(chunk_size=CHUNK):
        source = Source(
            title,
            lead,
            body_text,
            tuple(sorted(tags.get(pk, ()))),
            category_id,
            published_at.isoformat(),
        )
        yield pk, published_at, source


def analyse_all(progress: Progress, config: Params, jobs: int) -> Corpus:
    total = Article.objects.released().count()
    advance = progress("Аналіз текстів", total)
    corpus = Corpus()
    pool = None
    if jobs > 1:
        # spawned, not forked: a forked child would share (and on exit close) the parent's
        # database connection; the workers only analyse text and never touch the database
        pool = ProcessPoolExecutor(jobs, mp_context=get_context("spawn"))
    try:
        for chunk in batched(_sources(), CHUNK * max(jobs, 1)):
            if pool is None:
                results = [extract(source, config) for _, _, source in chunk]
            else:
                parts = batched(chunk, CHUNK // 4)
                payloads = [([s for _, _, s in part], config) for part in parts]
                results = [f for part in pool.map(extract_many, payloads) for f in part]
            for (pk, published, _), features in zip(chunk, results, strict=True):
                _add(corpus, pk, published, features)
            advance(len(chunk))
    finally:
        if pool is not None:
            pool.shutdown()
    return corpus


def _add(corpus: Corpus, pk: int, published: datetime, features) -> None:
    vocabulary = corpus.vocabulary
    terms = np.fromiter(
        (vocabulary.setdefault(t, len(vocabulary)) for t in features.counts),
        np.int64,
        len(features.counts),
    )
    corpus.ids.append(pk)
    corpus.published.append(published.timestamp())
    corpus.published_at.append(published)
    corpus.signatures.append(features.signature)
    corpus.fingerprints.append(features.fingerprint)
    corpus.terms.append(terms)
    corpus.counts.append(np.fromiter(features.counts.values(), np.float64, len(terms)))


def weigh_all(corpus: Corpus, config: Params) -> list[Vector]:
    all_terms = np.concatenate(corpus.terms) if corpus.terms else np.zeros(0, np.int64)
    df = np.bincount(all_terms, minlength=len(corpus.vocabulary)).astype(np.float64)
    documents = len(corpus.ids)
    return [
        weigh_arrays(terms, counts, df[terms], documents, config.vector_terms)
        for terms, counts in zip(corpus.terms, corpus.counts, strict=True)
    ]


def compute_lists(ids, published, signatures, vectors, config, now, progress=_silent):
    """Every indexed article's list, scored against live articles only."""
    index = MemoryIndex(
        ids, published, signatures, vectors, config.posting_terms, config.postings_per_term
    )
    advance = progress("Схожі статті", len(ids))
    lists: dict[int, list[tuple[int, float]]] = {}
    for n, article_id in enumerate(ids):
        seed = Seed(int(article_id), vectors[n], signatures[n], float(published[n]))
        chosen = select(ranked(seed, index, config, now), config)
        if chosen:
            lists[int(article_id)] = [(c.article_id, round(c.score, 6)) for c in chosen]
        if n % 500 == 499:
            advance(500)
    advance(len(ids) % 500)
    return lists


@transaction.atomic
def write(corpus: Corpus, vectors: list[Vector], lists, now: float, config: Params, progress):
    """Swap the new index and lists in, all at once."""
    advance = progress("Запис", 4)
    exists = set(Article.objects.values_list("pk", flat=True))  # deleted meanwhile: left out
    with connection.cursor() as cursor:
        for model in (RelatedLink, Posting, ArticleVector, Term, IndexState):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
    all_terms = np.concatenate(corpus.terms) if corpus.terms else np.zeros(0, np.int64)
    df = np.bincount(all_terms, minlength=len(corpus.vocabulary))
    texts = list(corpus.vocabulary)
    created = Term.objects.bulk_create(
        [Term(text=t, df=int(df[i])) for i, t in enumerate(texts)], batch_size=WRITE_BATCH
    )
    term_id = np.asarray([t.pk for t in created], np.int64)
    IndexState.objects.create(pk=1, documents=len(corpus.ids))
    advance(1)
    stored = [_remap(v, term_id) for v in vectors]
    rows = (
        ArticleVector(
            article_id=pk,
            published_at=published_at,
            vector=pack(vector),
            counts=pack_counts(term_id[terms], counts),
            weighed_at=len(corpus.ids),
            signature=pack_signature(signature),
            fingerprint=fingerprint,
            spread=published_at.timestamp() <= now,
        )
        for pk, published_at, vector, terms, counts, signature, fingerprint in zip(
            corpus.ids,
            corpus.published_at,
            stored,
            corpus.terms,
            corpus.counts,
            corpus.signatures,
            corpus.fingerprints,
            strict=True,
        )
        if pk in exists
    )
    for batch in batched(rows, WRITE_BATCH):  # bulk_create would hold every row at once
        ArticleVector.objects.bulk_create(batch)
    advance(1)
    _insert(
        Posting,
        ("term_id", "article_id", "weight"),
        (
            (int(t), pk, float(w))
            for pk, vector in zip(corpus.ids, stored, strict=True)
            if pk in exists
            for t, w in zip(*_pair(vector.strongest(config.posting_terms)), strict=True)
        ),
    )
    advance(1)
    _insert(
        RelatedLink,
        ("article_id", "related_id", "rank", "score"),
        (
            (article_id, related_id, rank, score)
            for article_id, entries in lists.items()
            if article_id in exists
            for rank, (related_id, score) in enumerate(
                [e for e in entries if e[0] in exists], start=1
            )
        ),
    )
    advance(1)


def _pair(vector: Vector):
    return vector.ids.tolist(), vector.weights.tolist()


def _remap(vector: Vector, term_id: np.ndarray) -> Vector:
    ids = term_id[vector.ids.astype(np.int64)]
    order = np.argsort(ids)
    return Vector(ids[order].astype(np.uint32), vector.weights[order])


def _insert(model, columns, rows) -> None:
    for batch in batched(rows, WRITE_BATCH * 4):
        store.insert_rows(model, columns, batch)


def _catch_up(started_at) -> None:
    """Articles saved while the rebuild was analysing get their incremental update now."""
    changed = Article.objects.filter(updated_at__gte=started_at).values_list("pk", flat=True)
    for pk in changed:
        tasks.update_article(pk, force=True)
