"""The index in the database: writing an article's vector and postings, reading candidates.

Document counts (`Term.df`, `IndexState.documents`) are kept exact under edits and removals by
remembering every term id an article contributed, so IDF never drifts between rebuilds.
"""

from collections.abc import Iterable

import numpy as np
from django.db import connection, transaction
from django.db.models import F

from .conf import Params
from .features import Features
from .models import ArticleVector, IndexState, Posting, RelatedLink, Term
from .scoring import Loaded, Neighbour, Seed
from .vectors import (
    Vector,
    pack,
    pack_counts,
    pack_signature,
    unpack,
    unpack_counts,
    unpack_signature,
    weigh_arrays,
)


class DatabaseIndex:
    """`scoring.Index` over the tables: one query for postings, one for candidate vectors."""

    def postings(self, term_ids: np.ndarray, limit: int):
        table = connection.ops.quote_name(Posting._meta.db_table)
        sql = " UNION ALL ".join(
            f"SELECT * FROM (SELECT article_id, weight, {i} AS q FROM {table} "  # noqa: S608
            f"WHERE term_id = %s ORDER BY weight DESC LIMIT {int(limit)}) AS p{i}"
            for i in range(len(term_ids))
        )
        args = [int(t) for t in term_ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            rows = cursor.fetchall()
        if not rows:
            empty = np.zeros(0, np.int64)
            return empty, np.zeros(0, np.float64), empty
        ids, weights, positions = zip(*rows, strict=True)
        return (
            np.fromiter(ids, np.int64, len(rows)),
            np.fromiter(weights, np.float64, len(rows)),
            np.fromiter(positions, np.int64, len(rows)),
        )

    def load(self, article_ids: np.ndarray) -> Loaded:
        rows = ArticleVector.objects.filter(pk__in=[int(i) for i in article_ids]).values_list(
            "article_id", "published_at", "vector", "signature"
        )
        return loaded_from_rows(rows)


def loaded_from_rows(rows: Iterable[tuple]) -> Loaded:
    """Unpack many stored vectors at once: one buffer, index arithmetic, no per-row arrays."""
    rows = list(rows)
    if not rows:
        empty = np.zeros(0, np.int64)
        return Loaded(
            empty, np.zeros(0), np.zeros((0, 1), np.uint32), empty, np.zeros(0, np.float32), empty
        )
    ids, published, vectors, signatures = zip(*rows, strict=True)
    blobs = [bytes(v) for v in vectors]
    words = np.frombuffer(b"".join(blobs), dtype="<u4")
    lengths = np.fromiter((len(b) // 8 for b in blobs), np.int64, len(blobs))
    starts = np.concatenate([[0], np.cumsum(2 * lengths)[:-1]])
    owners = np.repeat(np.arange(len(blobs)), lengths)
    within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    id_at = np.repeat(starts, lengths) + within
    weight_at = id_at + np.repeat(lengths, lengths)
    return Loaded(
        np.asarray(ids, np.int64),
        np.fromiter((p.timestamp() for p in published), np.float64, len(rows)),
        np.frombuffer(b"".join(bytes(s) for s in signatures), dtype="<u4")
        .reshape(len(rows), -1)
        .astype(np.uint32),
        words[id_at].astype(np.uint32),
        words[weight_at].view("<f4").astype(np.float32),
        owners,
    )


def stored_seed(article_id: int) -> Seed | None:
    row = (
        ArticleVector.objects.filter(pk=article_id)
        .values_list("vector", "signature", "published_at")
        .first()
    )
    if row is None:
        return None
    return Seed(article_id, unpack(row[0]), unpack_signature(row[1]), row[2].timestamp())


def stored_fingerprint(article_id: int) -> str | None:
    """The fingerprint of what the index holds for the article; None when nothing is indexed
    (an analysis stored by a bulk import or a rebuild's first stage, never weighed, does not
    count: its terms are not in the document counts yet)."""
    return (
        ArticleVector.objects.filter(pk=article_id, weighed_at__gt=0)
        .values_list("fingerprint", flat=True)
        .first()
    )


def documents() -> int:
    state = IndexState.objects.filter(pk=1).values_list("documents", flat=True).first()
    return state or 0


def _add_documents(delta: int) -> None:
    if not IndexState.objects.filter(pk=1).update(documents=F("documents") + delta):
        IndexState.objects.create(pk=1, documents=max(delta, 0))


def term_ids(texts: Iterable[str]) -> dict[str, tuple[int, int]]:
    """text → (id, df), creating the terms never seen before."""
    texts = list(texts)
    found = {
        t: (i, df)
        for t, i, df in Term.objects.filter(text__in=texts).values_list("text", "id", "df")
    }
    missing = [t for t in texts if t not in found]
    if missing:
        Term.objects.bulk_create([Term(text=t) for t in missing], ignore_conflicts=True)
        found |= {
            t: (i, df)
            for t, i, df in Term.objects.filter(text__in=missing).values_list("text", "id", "df")
        }
    return found


def save_vector(article, features: Features, params: Params) -> Seed:
    """Index one article, replacing what it had indexed before (caller holds a transaction)."""
    known = term_ids(features.counts)
    current = (  # an analysis never weighed (weighed_at 0) gave nothing to the counts
        ArticleVector.objects.filter(pk=article.pk, weighed_at__gt=0)
        .values_list("counts", flat=True)
        .first()
    )
    old = set(unpack_counts(current)[0].tolist()) if current is not None else set()
    new = {i for i, _ in known.values()}
    added, removed = new - old, old - new
    if added:
        Term.objects.filter(id__in=added).update(df=F("df") + 1)
    if removed:
        Term.objects.filter(id__in=removed).update(df=F("df") - 1)
    if current is None:
        _add_documents(1)
    df = {i: d + (1 if i in added else 0) for i, d in known.values()}
    ids = np.fromiter((known[t][0] for t in features.counts), np.int64, len(features.counts))
    counts = np.fromiter(features.counts.values(), np.float64, len(features.counts))
    total = documents()
    vector = weigh_arrays(
        ids,
        counts,
        np.asarray([df[i] for i in ids.tolist()], np.float64),
        total,
        params.vector_terms,
    )
    ArticleVector(
        article_id=article.pk,
        published_at=article.published_at,
        vector=pack(vector),
        counts=pack_counts(ids, counts),
        weighed_at=total,
        signature=pack_signature(features.signature),
        fingerprint=features.fingerprint,
        spread=False,
    ).save()
    _write_postings(article.pk, vector, params)
    return Seed(article.pk, vector, features.signature, article.published_at.timestamp())


def _write_postings(article_id: int, vector: Vector, params: Params) -> None:
    Posting.objects.filter(article_id=article_id).delete()
    strongest = vector.strongest(params.posting_terms)
    insert_rows(
        Posting,
        ("term_id", "article_id", "weight"),
        [
            (int(t), article_id, float(w))
            for t, w in zip(strongest.ids, strongest.weights, strict=True)
        ],
    )


def insert_rows(model, columns: tuple[str, ...], rows) -> None:
    """Plain multi-row INSERT for the index's narrow tables (no model instances to build)."""
    rows = list(rows)
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def stale(limit: int, factor: float) -> list[int]:
    """Articles weighed when the archive was `factor` times smaller than now, oldest first."""
    threshold = documents() / factor
    return list(
        ArticleVector.objects.filter(weighed_at__gt=0, weighed_at__lt=threshold)
        .order_by("weighed_at")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def reweigh(article_ids: list[int], params: Params) -> list[int]:
    """Weigh stored term counts again with today's document counts (the IDF of a young archive
    is a poor guess; as it grows, the early articles' weights are brought up to date)."""
    rows = list(ArticleVector.objects.filter(pk__in=article_ids).values_list("pk", "counts"))
    unpacked = {pk: unpack_counts(data) for pk, data in rows}
    all_ids = {int(i) for ids, _ in unpacked.values() for i in ids}
    df = dict(Term.objects.filter(id__in=all_ids).values_list("id", "df"))
    total = documents()
    for pk, (ids, counts) in unpacked.items():
        dfs = np.fromiter((df.get(int(i), 1) for i in ids), np.float64, len(ids))
        vector = weigh_arrays(ids, counts, dfs, total, params.vector_terms)
        ArticleVector.objects.filter(pk=pk).update(vector=pack(vector), weighed_at=total)
        _write_postings(pk, vector, params)
    return list(unpacked)


def remove_vector(article_id: int) -> None:
    """Take an article out of the index, giving back its document counts."""
    row = ArticleVector.objects.filter(pk=article_id).values_list("counts", "weighed_at").first()
    if row is None:
        return
    if row[1] > 0:  # weighed: its terms are in the document counts
        ids = unpack_counts(row[0])[0].tolist()
        if ids:
            Term.objects.filter(id__in=ids).update(df=F("df") - 1)
        _add_documents(-1)
    Posting.objects.filter(article_id=article_id).delete()
    ArticleVector.objects.filter(pk=article_id).delete()


def current_lists(article_ids: Iterable[int]) -> dict[int, list[tuple[int, float]]]:
    lists: dict[int, list[tuple[int, float]]] = {}
    rows = (
        RelatedLink.objects.filter(article_id__in=list(article_ids))
        .order_by("article_id", "rank")
        .values_list("article_id", "related_id", "score")
    )
    for article_id, related_id, score in rows:
        lists.setdefault(article_id, []).append((related_id, score))
    return lists


def signatures(article_ids: Iterable[int]) -> dict[int, np.ndarray]:
    rows = ArticleVector.objects.filter(pk__in=list(article_ids)).values_list(
        "article_id", "signature"
    )
    return {i: unpack_signature(s) for i, s in rows}


@transaction.atomic
def write_lists(lists: dict[int, list[tuple[int, float]]]) -> None:
    """Replace whole lists: entries are (related article id, score), best first."""
    if not lists:
        return
    RelatedLink.objects.filter(article_id__in=list(lists)).delete()
    insert_rows(
        RelatedLink,
        ("article_id", "related_id", "rank", "score"),
        (
            (article_id, related_id, rank, score)
            for article_id, entries in lists.items()
            for rank, (related_id, score) in enumerate(entries, start=1)
        ),
    )


def as_entries(chosen: list[Neighbour]) -> list[tuple[int, float]]:
    return [(c.article_id, round(c.score, 6)) for c in chosen]
