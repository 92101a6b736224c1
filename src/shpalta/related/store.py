"""The index in the database: writing an article's vector and postings, reading candidates.

Document counts (`Term.df`, `IndexState.documents`) are kept exact under edits and removals by
remembering every term id an article contributed, so IDF never drifts between rebuilds.
"""

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from fractions import Fraction

import numpy as np
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from shpalta.news.models import Article
from shpalta.ops.batching import batched

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

# values bound in one statement at most (SQLite allows 32,766; PostgreSQL 65,535)
SQL_BATCH = 10_000


class DatabaseIndex:
    """`scoring.Index` over the tables: one query finds the candidates and reads their vectors.

    Candidate generation runs inside the database: each query term's heaviest postings (an
    index-only range of `related_posting_idx`; ties in weight to the lower article id, as the
    index orders them and as MemoryIndex keeps them), their partial dot products summed per
    article, the best `params.candidates` kept and joined to their stored vectors, so a publish
    costs one round trip of a couple of hundred rows whatever the archive's size.
    """

    def nearest(self, query: Vector, seed_id: int, params: Params) -> Loaded:
        posting, per_term = _table(Posting), int(params.postings_per_term)
        if connection.vendor == "postgresql":
            # the terms as arrays, one LATERAL index range each: the same text every time (so
            # psycopg converts it once). Not prepared: Django's cursors bind values on the
            # client, and PostgreSQL plans every call, with the arrays' real lengths
            postings = (
                f"SELECT p.article_id, p.weight * q.w AS w FROM unnest(%s::bigint[], "  # noqa: S608
                f"%s::float8[]) AS q(term, w) CROSS JOIN LATERAL (SELECT article_id, weight "
                f"FROM {posting} WHERE term_id = q.term ORDER BY weight DESC, article_id "
                f"LIMIT {per_term}) AS p"
            )
            args: list = [query.ids.tolist(), query.weights.astype(float).tolist()]
        else:
            postings = " UNION ALL ".join(
                f"SELECT * FROM (SELECT article_id, weight * %s AS w FROM {posting} "  # noqa: S608
                f"WHERE term_id = %s ORDER BY weight DESC, article_id LIMIT {per_term}) AS p{i}"
                for i in range(len(query.ids))
            )
            args = []
            for term, weight in zip(query.ids.tolist(), query.weights.tolist(), strict=True):
                args += [weight, term]
        sql = (
            f"SELECT v.article_id, {_published('v')}, v.vector, v.signature "  # noqa: S608
            f"FROM {_table(ArticleVector)} v JOIN (SELECT article_id, SUM(w) AS s FROM "
            f"({postings}) AS u WHERE article_id <> %s GROUP BY article_id HAVING SUM(w) > 0 "
            f"ORDER BY s DESC, article_id DESC LIMIT {int(params.candidates)}) AS c "
            "ON c.article_id = v.article_id"
        )
        args.append(int(seed_id))
        return loaded_from_rows(_fetch(sql, args))

    def load(self, article_ids: np.ndarray) -> Loaded:
        ids = [int(i) for i in article_ids]
        if not ids:
            return loaded_from_rows([])
        marks = ", ".join(["%s"] * len(ids))
        return loaded_from_rows(
            _fetch(
                f"SELECT article_id, {_published()}, vector, signature "  # noqa: S608
                f"FROM {_table(ArticleVector)} WHERE article_id IN ({marks})",
                ids,
            )
        )


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _published(alias: str = "") -> str:
    """The select expression of `published_at` for raw reads that `_epoch` turns into seconds:
    on PostgreSQL the instant as whole microseconds since the epoch (a bigint: exact, and no
    datetime built per row by the driver, 200 of them a publish), elsewhere the column."""
    column = f"{alias}.published_at" if alias else "published_at"
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint"
    return column


def settle_tables() -> bool:
    """After a bulk write of the index (a rebuild), on PostgreSQL: VACUUM (ANALYZE) its tables,
    outside any transaction; False when there was nothing to do (SQLite, or inside one).

    Candidate generation reads postings from an index only when the table's visibility map says
    its pages hold no row it must check, and only VACUUM sets that map: without it every
    posting read is a heap fetch too (at 100,000 articles 9,000 of them, 12 ms of a publish's
    database time, on a server whose autovacuum had not come round). The statistics ANALYZE
    gathers keep the planner's row counts true. Neither can be assumed of the server's
    autovacuum, which may be off or minutes away.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    tables = ", ".join(_table(m) for m in (Term, IndexState, ArticleVector, Posting, RelatedLink))
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
    return True


def _fetch(sql: str, args) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


def _epoch(value) -> float:
    """A DateTimeField read by raw SQL: whole microseconds (`_published` on PostgreSQL), an
    aware datetime (the ORM on PostgreSQL), or SQLite's naive UTC (a datetime from Django's
    column-type converter, text without it). Microseconds over 10⁶ is the correctly rounded
    quotient, as `datetime.timestamp()` computes it: the same float either way."""
    if isinstance(value, int):
        return value / 1_000_000
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


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
        np.fromiter((_epoch(p) for p in published), np.float64, len(rows)),
        np.frombuffer(b"".join(bytes(s) for s in signatures), dtype="<u4")
        .reshape(len(rows), -1)
        .astype(np.uint32),
        words[id_at].astype(np.uint32),
        words[weight_at].view("<f4").astype(np.float32),
        owners,
    )


def stored_seed(article_id: int) -> Seed | None:
    rows = _fetch(
        f"SELECT vector, signature, {_published()} FROM {_table(ArticleVector)} "  # noqa: S608
        "WHERE article_id = %s",
        [article_id],
    )
    if not rows:
        return None
    vector, signature, published = rows[0]
    return Seed(article_id, unpack(vector), unpack_signature(signature), _epoch(published))


def indexed(article_id: int) -> tuple[str, bytes] | None:
    """(fingerprint, packed counts) of what the index holds for the article, in one read; None
    when nothing is indexed (see stored_fingerprint)."""
    rows = _fetch(
        f"SELECT fingerprint, counts FROM {_table(ArticleVector)} "  # noqa: S608
        "WHERE article_id = %s AND weighed_at > 0",
        [article_id],
    )
    return (rows[0][0], bytes(rows[0][1])) if rows else None


def tags_and_indexed(article_id: int) -> tuple[list[int], tuple[str, bytes] | None]:
    """The article's tag ids (what `Source.of` reads) and `indexed(article_id)`, in one read."""
    through = Article.tags.through
    rows = _fetch(
        f"SELECT t.{_column(through, 'tag')}, v.fingerprint, v.counts FROM (SELECT %s AS id) a "  # noqa: S608
        f"LEFT JOIN {_table(through)} t ON t.{_column(through, 'article')} = a.id "
        f"LEFT JOIN {_table(ArticleVector)} v ON v.article_id = a.id AND v.weighed_at > 0",
        [article_id],
    )
    tags = [row[0] for row in rows if row[0] is not None]
    first = rows[0]
    return tags, ((first[1], bytes(first[2])) if first[1] is not None else None)


def _column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def stored_fingerprint(article_id: int) -> str | None:
    """The fingerprint of what the index holds for the article; None when nothing is indexed
    (an analysis stored by a bulk import or a rebuild's first stage, never weighed, does not
    count: its terms are not in the document counts yet)."""
    rows = _fetch(
        f"SELECT fingerprint FROM {_table(ArticleVector)} "  # noqa: S608
        "WHERE article_id = %s AND weighed_at > 0",
        [article_id],
    )
    return rows[0][0] if rows else None


def documents() -> int:
    rows = _fetch(f"SELECT documents FROM {_table(IndexState)} WHERE id = 1", [])  # noqa: S608
    return rows[0][0] if rows else 0


def _add_documents(delta: int) -> int:
    """Count articles in or out of the index; returns the new number."""
    if _RETURNING:
        rows = _fetch(
            f"UPDATE {_table(IndexState)} SET documents = documents + %s "  # noqa: S608
            "WHERE id = 1 RETURNING documents",
            [delta],
        )
        if rows:
            return rows[0][0]
    elif IndexState.objects.filter(pk=1).update(documents=F("documents") + delta):
        return documents()
    IndexState.objects.create(pk=1, documents=max(delta, 0))
    return max(delta, 0)


# UPDATE … RETURNING: PostgreSQL, and SQLite from 3.35
_RETURNING = connection.vendor != "sqlite" or sqlite3.sqlite_version_info >= (3, 35)


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def term_ids(texts: Iterable[str]) -> dict[str, tuple[int, int]]:
    """text → (id, df), creating the terms never seen before."""
    return _terms(list(texts), with_documents=False)[0]


def _terms(texts: list[str], with_documents: bool) -> tuple[dict[str, tuple[int, int]], int | None]:
    """`term_ids`, and with `with_documents` on PostgreSQL the index's article count read in the
    same statement (None when it was not read: SQLite, or no `IndexState` row yet)."""
    table = _table(Term)
    documents = None

    def read(wanted: list[str], count: bool = False) -> dict[str, tuple[int, int]]:
        nonlocal documents
        found = {}
        for part in batched(wanted, SQL_BATCH):
            if connection.vendor == "postgresql":
                # one probe of the unique index per text: as `text IN (…)` PostgreSQL chose a
                # scan of the whole vocabulary (3 ms at 100,000 articles) whenever the table's
                # statistics were missing or old, and nothing here can assume autovacuum
                sql = (
                    "SELECT q.text, t.id, t.df FROM unnest(%s::text[]) AS q(text) "  # noqa: S608
                    f"CROSS JOIN LATERAL (SELECT id, df FROM {table} WHERE text = q.text "
                    "LIMIT 1) AS t"
                )
                if count:  # the counter's row, marked by its null text
                    sql += (
                        " UNION ALL SELECT NULL, NULL, documents "  # noqa: S608
                        f"FROM {_table(IndexState)} WHERE id = 1"
                    )
                    count = False
                rows = _fetch(sql, [list(part)])
            else:
                sql = f"SELECT text, id, df FROM {table} WHERE text IN ({_marks(part)})"  # noqa: S608
                rows = _fetch(sql, part)
            for t, i, df in rows:
                if t is None:
                    documents = df
                else:
                    found[t] = (i, df)
        return found

    found = read(texts, count=with_documents and connection.vendor == "postgresql")
    missing = [t for t in texts if t not in found]
    if missing:
        # the new terms come back from their INSERT; only those another transaction created
        # meanwhile (not inserted here, so not returned) are read again
        for part in batched(missing, SQL_BATCH):
            sql = (
                f"INSERT INTO {table} (text, df) VALUES "  # noqa: S608
                + ", ".join(["(%s, 0)"] * len(part))
                + " ON CONFLICT (text) DO NOTHING"
            )
            if _RETURNING:
                found |= {t: (i, df) for t, i, df in _fetch(sql + " RETURNING text, id, df", part)}
            else:
                with connection.cursor() as cursor:
                    cursor.execute(sql, part)
        raced = [t for t in missing if t not in found]
        if raced:
            found |= read(raced)
    return found, documents


def _add_df(term_ids: Iterable[int], delta: int) -> None:
    ids = sorted(term_ids)
    if connection.vendor == "postgresql":  # an array: the same text, however many terms
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_table(Term)} SET df = df + %s WHERE id = ANY(%s::bigint[])",  # noqa: S608
                [delta, ids],
            )
        return
    for part in batched(ids, SQL_BATCH):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_table(Term)} SET df = df + %s WHERE id IN ({_marks(part)})",  # noqa: S608
                [delta, *part],
            )


_UNREAD = object()


_VECTOR_COLUMNS = (
    "published_at", "vector", "counts", "weighed_at", "signature", "fingerprint", "spread",
    "updated_at",
)  # fmt: skip


def _vector_upsert() -> str:
    return (
        f"INSERT INTO {_table(ArticleVector)} (article_id, {', '.join(_VECTOR_COLUMNS)}) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in _VECTOR_COLUMNS)
    )


def save_vector(
    article, features: Features, params: Params, current=_UNREAD, spread: bool = False
) -> Seed:
    """Index one article, replacing what it had indexed before (caller holds a transaction).

    `current` is what `indexed` returned for it, when the caller has read it already; `spread`
    marks the article as offered to its neighbours (the caller is about to do so).

    On PostgreSQL two statements: the terms with the article count (`_terms`), then the
    document counts, the vector and the postings in one (`_write_indexed`), where they were
    five. The count the weights use is then the one read with the terms (plus this article
    when it is new) rather than the one its increment returns: the same when updates come one
    at a time; with two new articles at once, one of them may weigh with one article fewer,
    as the document counts of its terms were already read without a lock (a difference of
    ln((N + 2)/(N + 1)) in an IDF, which the stale-weights pass (`reweigh`) brings up to date
    with the rest). The counts themselves stay exact: each is an increment."""
    known, counted = _terms(list(features.counts), with_documents=True)
    if current is _UNREAD:  # an analysis never weighed (weighed_at 0) gave nothing to the counts
        current = indexed(article.pk)
    old = set(unpack_counts(current[1])[0].tolist()) if current else set()
    new = {i for i, _ in known.values()}
    added, removed = new - old, old - new
    if counted is not None:
        total = counted if current else counted + 1
    else:
        if added:
            _add_df(added, 1)
        if removed:
            _add_df(removed, -1)
        total = documents() if current else _add_documents(1)
    df = {i: d + (1 if i in added else 0) for i, d in known.values()}
    ids = np.fromiter((known[t][0] for t in features.counts), np.int64, len(features.counts))
    counts = np.fromiter(features.counts.values(), np.float64, len(features.counts))
    vector = weigh_arrays(
        ids,
        counts,
        np.asarray([df[i] for i in ids.tolist()], np.float64),
        total,
        params.vector_terms,
    )
    adapt = connection.ops.adapt_datetimefield_value
    row = [
        article.pk,
        adapt(article.published_at),
        pack(vector),
        pack_counts(ids, counts),
        total,
        pack_signature(features.signature),
        features.fingerprint,
        spread,
        adapt(timezone.now()),
    ]
    if counted is not None:
        _write_indexed(row, added, removed, 0 if current else 1, vector, params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(_vector_upsert(), row)
        _write_postings(article.pk, vector, params)
    return Seed(article.pk, vector, features.signature, article.published_at.timestamp())


def _write_indexed(row: list, added: set, removed: set, new: int, vector, params) -> None:
    """PostgreSQL: what `save_vector` writes, in one statement (one round trip, not four): the
    document counts of the terms it gained and lost, the article count (`new`: 1 for an
    article not counted yet; 0 writes nothing), the vector and the postings. The parts touch
    different rows. The counter's part reads the terms' parts, so they run before it: the
    terms' rows are locked first (by id), then the counter's, in the order the separate
    statements took them and other writers of both (`remove_vector`) take them."""
    strongest = vector.strongest(params.posting_terms)
    term, state = _table(Term), _table(IndexState)
    posting = _table(Posting)
    article_id = row[0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gained AS (UPDATE {term} SET df = df + 1 WHERE id = ANY(%s::bigint[]) "  # noqa: S608
            f"RETURNING id), lost AS (UPDATE {term} SET df = df - 1 "
            "WHERE id = ANY(%s::bigint[]) RETURNING id), "
            f"counted AS (UPDATE {state} SET documents = documents + %s WHERE id = 1 AND %s <> 0 "
            "AND (SELECT count(*) FROM gained) + (SELECT count(*) FROM lost) >= 0), "
            f"indexed AS ({_vector_upsert()}), "
            f"gone AS (DELETE FROM {posting} WHERE article_id = %s) "
            f"INSERT INTO {posting} (term_id, article_id, weight) "
            "SELECT q.term, %s, q.weight FROM unnest(%s::bigint[], %s::float8[]) "
            "AS q(term, weight)",
            [
                sorted(added),
                sorted(removed),
                new,
                new,
                *row,
                article_id,
                article_id,
                [int(t) for t in strongest.ids],
                [float(w) for w in strongest.weights],
            ],
        )


def _write_postings(article_id: int, vector: Vector, params: Params) -> None:
    strongest = vector.strongest(params.posting_terms)
    if connection.vendor == "postgresql":  # one round trip: the old rows out, the new ones in
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH gone AS (DELETE FROM {_table(Posting)} WHERE article_id = %s) "  # noqa: S608
                f"INSERT INTO {_table(Posting)} (term_id, article_id, weight) "
                "SELECT q.term, %s, q.weight FROM unnest(%s::bigint[], %s::float8[]) "
                "AS q(term, weight)",
                [
                    article_id,
                    article_id,
                    [int(t) for t in strongest.ids],
                    [float(w) for w in strongest.weights],
                ],
            )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_table(Posting)} WHERE article_id = %s",  # noqa: S608
            [article_id],
        )
    insert_rows(
        Posting,
        ("term_id", "article_id", "weight"),
        [
            (int(t), article_id, float(w))
            for t, w in zip(strongest.ids, strongest.weights, strict=True)
        ],
    )


def insert_rows(model, columns: tuple[str, ...], rows, conflict: str = "") -> None:
    """Plain multi-row INSERTs for the index's narrow tables (no model instances to build);
    `conflict`, when given, is what follows ON CONFLICT."""
    table = _table(model)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    tail = f" ON CONFLICT {conflict}" if conflict else ""
    for part in batched(rows, SQL_BATCH // len(columns)):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
                + ", ".join([one] * len(part))
                + tail,
                [value for row in part for value in row],
            )


def stale(limit: int, factor: float) -> list[int]:
    """Articles weighed when the archive was `factor` times smaller than now, oldest first.

    The threshold, ⌈documents / factor⌉, is integer arithmetic inside the query: compared with
    a float, PostgreSQL would cast every `weighed_at` and scan the table instead of its index."""
    ratio = Fraction(factor).limit_denominator(1000)
    rows = _fetch(
        f"SELECT article_id FROM {_table(ArticleVector)} WHERE weighed_at > 0 "  # noqa: S608
        f"AND weighed_at < (SELECT (documents * %s + %s) / %s FROM {_table(IndexState)} "
        f"WHERE id = 1) ORDER BY weighed_at LIMIT {int(limit)}",
        [ratio.denominator, ratio.numerator - 1, ratio.numerator],
    )
    return [row[0] for row in rows]


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


def current_links(article_ids: Iterable[int]) -> dict[int, list[tuple[int, int, int, float]]]:
    """The stored lists as rows: (link id, related id, rank, score), in rank order."""
    lists: dict[int, list[tuple[int, int, int, float]]] = {}
    ids = sorted(set(article_ids))
    for part in batched(ids, SQL_BATCH):
        rows = _fetch(
            f"SELECT article_id, id, related_id, rank, score FROM {_table(RelatedLink)} "  # noqa: S608
            f"WHERE article_id IN ({_marks(part)}) ORDER BY article_id, rank",
            part,
        )
        for article_id, link_id, related_id, rank, score in rows:
            lists.setdefault(article_id, []).append((link_id, related_id, rank, score))
    return lists


def current_lists(article_ids: Iterable[int]) -> dict[int, list[tuple[int, float]]]:
    return {
        article_id: [(related_id, score) for _, related_id, _, score in rows]
        for article_id, rows in current_links(article_ids).items()
    }


def listing_and_lists(
    article_id: int, article_ids: Iterable[int]
) -> tuple[list[int], dict[int, list[tuple[int, int, int, float]]]]:
    """`listing(article_id)` and `current_links(article_ids)` in one statement."""
    ids = sorted(set(article_ids))
    if len(ids) >= SQL_BATCH:
        return listing(article_id), current_links(ids)
    table = _table(RelatedLink)
    rows = _fetch(
        f"SELECT article_id, id, related_id, rank, score FROM {table} "  # noqa: S608
        f"WHERE article_id IN ({_marks(ids)}) UNION ALL "
        f"SELECT article_id, NULL, NULL, NULL, NULL FROM {table} WHERE related_id = %s"
        if ids
        else f"SELECT article_id, NULL, NULL, NULL, NULL FROM {table} WHERE related_id = %s",  # noqa: S608
        [*ids, article_id],
    )
    showing = [row[0] for row in rows if row[1] is None]
    lists: dict[int, list[tuple[int, int, int, float]]] = {}
    for article, link_id, related_id, rank, score in sorted(
        (row for row in rows if row[1] is not None), key=lambda row: (row[0], row[3])
    ):
        lists.setdefault(article, []).append((link_id, related_id, rank, score))
    return showing, lists


def listing(article_id: int) -> list[int]:
    """The lists that show an article."""
    return [
        row[0]
        for row in _fetch(
            f"SELECT article_id FROM {_table(RelatedLink)} WHERE related_id = %s",  # noqa: S608
            [article_id],
        )
    ]


def signatures(article_ids: Iterable[int]) -> dict[int, np.ndarray]:
    ids = sorted(set(article_ids))
    found = {}
    for part in batched(ids, SQL_BATCH):
        rows = _fetch(
            f"SELECT article_id, signature FROM {_table(ArticleVector)} "  # noqa: S608
            f"WHERE article_id IN ({_marks(part)})",
            part,
        )
        found |= {i: unpack_signature(s) for i, s in rows}
    return found


def write_lists(
    lists: dict[int, list[tuple[int, float]]],
    current: dict[int, list[tuple[int, int, int, float]]] | None = None,
) -> None:
    """Replace whole lists: entries are (related article id, score), best first.

    Only the rows that differ are written: a new article entering a neighbour's list costs one
    insert, one delete (the entry it pushed out) and the ranks that moved, not the list's eight
    rows deleted and inserted again. `current` is `current_links` of these lists when the
    caller has read them already."""
    if not lists:
        return
    if current is None:
        current = current_links(lists)
    gone: list[int] = []
    moved: list[tuple[int, int, float]] = []
    added: list[tuple[int, int, int, float]] = []
    for article_id, entries in lists.items():
        old = {
            related: (link, rank, score)
            for link, related, rank, score in current.get(article_id, [])
        }
        kept = set()
        for rank, (related_id, score) in enumerate(entries, start=1):
            kept.add(related_id)
            if related_id not in old:
                added.append((article_id, related_id, rank, score))
            elif old[related_id][1:] != (rank, score):
                moved.append((old[related_id][0], rank, score))
        gone += [link for related, (link, _, _) in old.items() if related not in kept]
    table = _table(RelatedLink)
    if connection.vendor == "postgresql":
        _write_differences(table, gone, moved, added)
        return
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for part in batched(gone, SQL_BATCH):
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({_marks(part)})", part)  # noqa: S608
        if moved:  # one statement run per row: a CASE of n branches was n² comparisons
            cursor.executemany(
                f"UPDATE {table} SET rank = %s, score = %s WHERE id = %s",  # noqa: S608
                [(rank, score, link) for link, rank, score in moved],
            )
        insert_rows(
            RelatedLink,
            ("article_id", "related_id", "rank", "score"),
            added,
            conflict="(article_id, related_id) DO UPDATE SET rank = excluded.rank, "
            "score = excluded.score",
        )


def _write_differences(table: str, gone: list, moved: list, added: list) -> None:
    """PostgreSQL: the deletes, rank moves and inserts of `write_lists` in one statement (one
    round trip, not three), its values in arrays, so its text is the same every time. The three
    parts touch different rows: a list's entry is either gone, kept or new."""
    if not (gone or moved or added):
        return
    links = [link for link, _, _ in moved]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {table} WHERE id = ANY(%s::bigint[])), "  # noqa: S608
            f"moved AS (UPDATE {table} AS l SET rank = m.rank, score = m.score "
            "FROM unnest(%s::bigint[], %s::int[], %s::float8[]) AS m(id, rank, score) "
            "WHERE l.id = ANY(%s::bigint[]) AND l.id = m.id) "
            f"INSERT INTO {table} (article_id, related_id, rank, score) "
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::int[], %s::float8[]) "
            "ON CONFLICT (article_id, related_id) DO UPDATE SET rank = excluded.rank, "
            "score = excluded.score",
            [
                gone,
                links,
                [rank for _, rank, _ in moved],
                [score for _, _, score in moved],
                links,
                *([row[i] for row in added] for i in range(4)),
            ],
        )


def due(limit: int) -> list[int]:
    """Weighed articles not yet offered to their neighbours whose time has come, oldest first
    (read through the partial index `related_pending_idx`, whose condition the query repeats
    word for word: SQLite uses a partial index only then, and never for a bound parameter)."""
    rows = _fetch(
        f"SELECT article_id FROM {_table(ArticleVector)} "  # noqa: S608
        "WHERE NOT spread AND published_at <= %s AND weighed_at > 0 "
        f"ORDER BY published_at LIMIT {int(limit)}",
        [connection.ops.adapt_datetimefield_value(timezone.now())],
    )
    return [row[0] for row in rows]


def mark_spread(article_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(ArticleVector)} SET spread = %s WHERE article_id = %s",  # noqa: S608
            [True, article_id],
        )


def as_entries(chosen: list[Neighbour]) -> list[tuple[int, float]]:
    return [(c.article_id, round(c.score, 6)) for c in chosen]
