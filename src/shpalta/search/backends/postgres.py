"""PostgreSQL backend: a tsvector of the analyser's lemmas, weighted A/B/C, under a GIN index.

PostgreSQL has no Ukrainian stemmer, so nothing here uses its text parser or dictionaries:
lexemes are the analyser's terms, written as tsvector/tsquery literals (each quoted), so a
hyphen or apostrophe in a word never splits it and nothing a reader types is ever syntax.
Title lemmas weigh A, lead B, body C. Candidates are the newest matches by `published_at`, as
in every backend (see base.py). Ranking needs, per candidate, whether each word is in the title,
the lead, and in the form typed: small side columns (title and lead lemmas, the exact forms)
answer that, so the big vector is unpacked once per candidate (to match), not four times.
"""

import json
import math
from collections.abc import Iterable

from django.db import connection, transaction

from ..documents import Document
from ..query import SearchQuery
from .base import (
    CANDIDATES,
    COUNT_CAP,
    DF_CAP,
    TITLE_CANDIDATES,
    Candidate,
    Filters,
    SearchBackend,
    ttl_cache,
)

MAX_POSITION = 16383

CREATE = [
    """CREATE TABLE IF NOT EXISTS search_document (
        article_id bigint PRIMARY KEY,
        published_at timestamptz NOT NULL,
        category_id bigint NULL,
        vector tsvector NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS search_document_vector ON search_document USING GIN (vector)",
    "CREATE INDEX IF NOT EXISTS search_document_recent ON search_document (published_at DESC)",
    """CREATE INDEX IF NOT EXISTS search_document_category
        ON search_document (category_id, published_at DESC)""",
]
# The title's lemmas again, alone: a small column (no TOAST) so the walk for older title
# matches checks a few hundred bytes a row, not the whole article's vector.
UPGRADE = [
    """ALTER TABLE search_document
        ADD COLUMN IF NOT EXISTS title_vector tsvector NOT NULL DEFAULT ''::tsvector""",
    """CREATE INDEX IF NOT EXISTS search_document_title
        ON search_document USING GIN (title_vector)""",
]
# Lead lemmas and exact forms on their own: see the module docstring.
UPGRADE_PLACEMENT = [
    """ALTER TABLE search_document
        ADD COLUMN IF NOT EXISTS lead_vector tsvector NOT NULL DEFAULT ''::tsvector""",
    """ALTER TABLE search_document
        ADD COLUMN IF NOT EXISTS forms tsvector NOT NULL DEFAULT ''::tsvector""",
]
# lz4 (PostgreSQL 14+) unpacks an article's vector several times faster than pglz.
FAST_COMPRESSION = "ALTER TABLE search_document ALTER COLUMN vector SET COMPRESSION lz4"
FAST_COMPRESSION_FORMS = "ALTER TABLE search_document ALTER COLUMN forms SET COMPRESSION lz4"
DROP = ["DROP TABLE IF EXISTS search_document"]


def lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(doc: Document) -> str:
    """`'term':1A 'other':2A …` — explicit positions, so every lexeme carries its weight."""
    parts, position = [], 0
    for terms, weight in ((doc.title, "A"), (doc.lead, "B"), (doc.body, "C")):
        for term in terms:
            position = min(position + 1, MAX_POSITION)
            parts.append(f"{lexeme(term)}:{position}{weight}")
    return " ".join(parts)


def plain_literal(terms) -> str:
    """A tsvector without positions: enough to ask whether a term is there."""
    return " ".join(lexeme(term) for term in terms)


def readings(terms) -> str:
    """Any of the terms. No weight marks: the vector holds only A/B/C, and a plain query is
    answered by the GIN index alone, without unpacking rows to check weights."""
    return "(" + " | ".join(lexeme(t) for t in terms) + ")"


def tsquery(query: SearchQuery) -> str:
    """Every word (any reading) in title, lead or body."""
    return " & ".join(readings(w.lemmas) for w in query.words)


def title_tsquery(query: SearchQuery) -> str:
    return readings(sorted(query.lemma_set))


def placement(query: SearchQuery) -> tuple[str, list[str]]:
    """Boolean columns telling, per word, title / lead / exact-form presence."""
    columns, params = [], []
    for word in query.words:
        for column, q in (
            ("title_vector", readings(word.lemmas)),
            ("lead_vector", readings(word.lemmas)),
            ("forms", readings([word.form])),
        ):
            columns.append(f"{column} @@ %s::tsquery")
            params.append(q)
    return ", ".join(columns), params


def where(query: SearchQuery, filters: Filters, titles_only: bool = False) -> tuple[str, list]:
    clauses, params = [], []
    if titles_only:
        clauses.append("title_vector @@ %s::tsquery")
        params.append(title_tsquery(query))
    if not titles_only or len(query.words) > 1:  # one word in the title is a match already
        clauses.append("vector @@ %s::tsquery")
        params.append(tsquery(query))
    if filters.category_ids:
        clauses.append("category_id = ANY(%s)")
        params.append(list(filters.category_ids))
    for clause, value in (
        ("published_at >= %s", filters.date_from),
        ("published_at <= %s", filters.date_to),
        ("published_at <= %s", filters.now),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return " AND ".join(clauses), params


# The candidate walk, per query (EXPLAIN (ANALYZE, BUFFERS) in bench/search_speed.py --explain):
# walking `published_at DESC` and testing each row's vector is right for a common word (the
# first few hundred rows hold CANDIDATES matches) and ruinous for a rare one (the walk reads
# and unpacks the whole table: seconds at a million articles), which the planner, costing a
# LIMIT as a fraction of the walk and guessing an unlisted word's frequency, often picks. So
# the plan is chosen here from the planner's estimate of how many rows match (its most-common-
# element statistics of the vectors, raised to STATISTICS below): up to INDEX_FIRST matches the
# GIN index finds them all (for two words it intersects their lists, so the rarer word bounds
# the work) and only they are sorted by time; above it the ordered walk stops after a few
# hundred rows. Where they cross (EXPLAIN ANALYZE at 1,000,000 articles: the index pays about
# 1.8 µs a match, the walk about 18 µs a row and reads CANDIDATES × size / matches rows) is
# near sqrt(3000 × size) matches: 55,000 at a million, 17,000 at 100,000.
INDEX_FIRST_FACTOR = 3000
# The walk for older title matches reads only the small title column: it wins down to about
# 10,000 matches at a million (EXPLAIN ANALYZE, warm: 16,000 walked 2.7 ms vs 8.1 ms index
# first; 3,900: 22.6 ms vs 3.4 ms), so its crossing is sqrt(100 × size).
TITLE_INDEX_FIRST_FACTOR = 100
INDEX_FIRST_MIN = 5000
STATISTICS = [
    "ALTER TABLE search_document ALTER COLUMN vector SET STATISTICS 1000",
    "ALTER TABLE search_document ALTER COLUMN title_vector SET STATISTICS 1000",
]


def index_first_limit(factor: int = INDEX_FIRST_FACTOR) -> int:
    """Up to how many estimated matches the GIN index goes first (see above)."""
    return max(INDEX_FIRST_MIN, int(math.sqrt(factor * index_size())))


def estimated_rows(condition: str, params: list) -> int:
    """The planner's estimate of the rows matching `condition` (planning only, no execution)."""
    sql = f"EXPLAIN (FORMAT JSON) SELECT 1 FROM search_document WHERE {condition}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def planned_rows(sql: str, params: list, index_first: bool) -> list[tuple]:
    """Run `sql` with the candidate plan chosen: the GIN index first (no walk along the time
    index) or the ordered walk (no bitmap of every match). The switches are local to a savepoint
    inside the caller's transaction and put back."""
    switches = ("enable_indexscan", "enable_seqscan") if index_first else ("enable_bitmapscan",)
    with transaction.atomic(), connection.cursor() as cursor:
        for name in switches:
            cursor.execute("SELECT set_config(%s, 'off', true)", [name])
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        for name in switches:
            cursor.execute("SELECT set_config(%s, 'on', true)", [name])
    return rows


def _index_count(sql: str, params: list) -> int:
    """A capped count answered from the GIN index. For a common word the planner would rather
    scan the table, unpacking every row's vector, though the index alone answers a plain query;
    the switches are local to this transaction (a savepoint inside another) and put back."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        cursor.execute("SELECT set_config('enable_indexscan', 'off', true)")
        cursor.execute(sql, params)
        (n,) = cursor.fetchone()
        cursor.execute("SELECT set_config('enable_seqscan', 'on', true)")
        cursor.execute("SELECT set_config('enable_indexscan', 'on', true)")
    return n


@ttl_cache(seconds=300)
def index_size() -> int:
    """The planner's row estimate: instant, and close enough for word weights."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'search_document'")
        row = cursor.fetchone()
    return max(row[0] if row else 0, 1)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def index(self, documents: Iterable[Document]) -> int:
        rows = [
            (
                d.article_id,
                d.published_at,
                d.category_id,
                vector_literal(d),
                plain_literal(d.title),
                plain_literal(d.lead),
                plain_literal(d.forms),
            )
            for d in documents
        ]
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    """INSERT INTO search_document (article_id, published_at, category_id,
                        vector, title_vector, lead_vector, forms)
                    VALUES (%s, %s, %s, %s::tsvector, %s::tsvector, %s::tsvector, %s::tsvector)
                    ON CONFLICT (article_id) DO UPDATE SET published_at = EXCLUDED.published_at,
                    category_id = EXCLUDED.category_id, vector = EXCLUDED.vector,
                    title_vector = EXCLUDED.title_vector, lead_vector = EXCLUDED.lead_vector,
                    forms = EXCLUDED.forms""",
                    rows,
                )
        return len(rows)

    def remove(self, article_ids: Iterable[int]) -> None:
        ids = list(article_ids)
        if ids:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_document WHERE article_id = ANY(%s)", [ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_document")

    def indexed_ids(self) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT article_id FROM search_document")
            return {row[0] for row in cursor.fetchall()}

    def _placed(self, query: SearchQuery, filters: Filters, older_than=None) -> list[tuple]:
        """The newest matches with placement columns; with `older_than` (the last of the newest
        matches), the newest older ones that have a query word in the title."""
        condition, params = where(query, filters, titles_only=older_than is not None)
        limit = CANDIDATES
        if older_than is not None:
            condition += " AND (published_at, article_id) < (%s, %s)"
            params += [older_than[1], older_than[0]]
            limit = TITLE_CANDIDATES
        columns, column_params = placement(query)
        sql = (
            f"SELECT article_id, published_at, {columns} FROM search_document "  # noqa: S608
            f"WHERE {condition} ORDER BY published_at DESC, article_id DESC LIMIT %s"
        )
        factor = INDEX_FIRST_FACTOR if older_than is None else TITLE_INDEX_FIRST_FACTOR
        index_first = estimated_rows(condition, params) <= index_first_limit(factor)
        return planned_rows(sql, [*column_params, *params, limit], index_first)

    def candidates(self, query: SearchQuery, filters: Filters) -> list[Candidate]:
        newest = self._placed(query, filters)
        rows = list(newest)
        if len(newest) >= CANDIDATES:
            rows += self._placed(query, filters, older_than=newest[-1][:2])
        return [
            Candidate(
                row[0], row[1].timestamp(), tuple(row[2::3]), tuple(row[3::3]), tuple(row[4::3])
            )
            for row in rows
        ]

    def frequencies(self, query: SearchQuery) -> tuple[list[int], int]:
        sql = (
            "SELECT count(*) FROM "
            "(SELECT 1 FROM search_document WHERE vector @@ %s::tsquery LIMIT %s) s"
        )
        counts = []
        for word in query.words:
            condition, params = "vector @@ %s::tsquery", [readings(word.lemmas)]
            if estimated_rows(condition, params) > 4 * DF_CAP:
                counts.append(DF_CAP)  # far past the cap: counting would only confirm it
            else:
                counts.append(_index_count(sql, [*params, DF_CAP]))
        return counts, index_size()

    def count(self, query: SearchQuery, filters: Filters) -> tuple[int, bool]:
        condition, params = where(query, filters)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM search_document WHERE {condition} LIMIT %s) s"  # noqa: S608
        if estimated_rows(condition, params) > index_first_limit():
            # dense matches: a walk meets COUNT_CAP of them in a few thousand rows, where the
            # index would first mark every match (hundreds of thousands for a common word)
            (n,) = planned_rows(sql, [*params, COUNT_CAP + 1], index_first=False)[0]
        else:
            n = _index_count(sql, [*params, COUNT_CAP + 1])
        return min(n, COUNT_CAP), n <= COUNT_CAP

    def newest(self, query: SearchQuery, filters: Filters, offset: int, limit: int) -> list[int]:
        condition, params = where(query, filters)
        sql = (
            f"SELECT article_id FROM search_document WHERE {condition} "  # noqa: S608
            "ORDER BY published_at DESC, article_id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]
