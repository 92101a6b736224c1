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

from django.db import connection
from django.utils import timezone

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

# The GIN index of the words carries each article's publication week as a second column, so one
# index scan intersects the query's words with the newest weeks: the newest slice of the archive
# (`_sliced`) costs what its own rows cost. Sliced by the time index instead, the GIN index
# built the bitmap of every match first: EXPLAIN (ANALYZE, BUFFERS) at a million articles,
# «проломину грабельний» (38,850 matches, one word in nearly every article): the bitmap of all
# matches 19.6 ms, the same words within their newest weeks 1.2 ms (the scan skips through the
# common word's posting tree to the weeks' rows, which lie together, as the heap holds an
# archive in about the order it was written). A week is named three times, as itself and as
# part of its 8-week and 64-week blocks (`'#1:2870' '#8:358' '#64:44'`: weeks since 1970), so
# a slice of many weeks is a few terms of the index (each term a scan advances on every step:
# 70 single weeks took 6.6 ms for 2,700 rows). Weeks are an epoch count, the same in every
# time zone, hence IMMUTABLE.
WEEK_SECONDS = 7 * 86400
WEEK_BLOCKS = (64, 8, 1)
WEEK_FUNCTION = """CREATE OR REPLACE FUNCTION search_week(timestamptz) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT array_to_tsvector(ARRAY['#1:' || w, '#8:' || floor(w / 8.0), '#64:' || floor(w / 64.0)])
    FROM (SELECT floor(extract(epoch FROM $1) / 604800)::bigint AS w) AS week $$"""
WORDS_INDEX = """CREATE INDEX IF NOT EXISTS search_document_words
    ON search_document USING GIN (vector, search_week(published_at))"""
# The migration to it (0005): the words index replaces the one of the vector alone, which
# serves nothing the new one does not (a GIN index of two columns answers either alone).
UPGRADE_WEEKS = [WEEK_FUNCTION, WORDS_INDEX, "DROP INDEX IF EXISTS search_document_vector"]

CREATE = [
    """CREATE TABLE IF NOT EXISTS search_document (
        article_id bigint PRIMARY KEY,
        published_at timestamptz NOT NULL,
        category_id bigint NULL,
        vector tsvector NOT NULL)""",
    WEEK_FUNCTION,
    WORDS_INDEX,
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
DROP = ["DROP TABLE IF EXISTS search_document", "DROP FUNCTION IF EXISTS search_week(timestamptz)"]


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


def where(
    query: SearchQuery, filters: Filters, titles_only: bool = False, title_index: bool = True
) -> tuple[str, list]:
    """The SQL condition of the matches; `titles_only`: with a query word in the title, where
    without `title_index` the title is tested in the rows the rest of the condition finds (see
    `title_index_helps`)."""
    clauses, params = [], []
    if titles_only:
        test = "title_vector @@ %s::tsquery"
        clauses.append(test if title_index else f"({test}) IS TRUE")  # IS TRUE: no index
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
SURELY_MORE = 5 * COUNT_CAP  # an estimate past this is taken as "more than COUNT_CAP" matches
STATISTICS = [
    "ALTER TABLE search_document ALTER COLUMN vector SET STATISTICS 1000",
    "ALTER TABLE search_document ALTER COLUMN title_vector SET STATISTICS 1000",
]


def index_first_limit(factor: int = INDEX_FIRST_FACTOR) -> int:
    """Up to how many estimated matches the GIN index goes first (see above)."""
    return max(INDEX_FIRST_MIN, int(math.sqrt(factor * index_size())))


# The planner's share for a lemma ANALYZE did not list (ts_selfuncs.c, DEFAULT_TS_MATCH_SEL).
UNLISTED_SHARE = 0.005


@ttl_cache(seconds=300)
def lemma_statistics() -> dict[str, tuple[dict[str, float], float, float]]:
    """Per vector column, ANALYZE's most common lemmas with the share of rows holding each, the
    share the planner assumes for any other lemma (half the least common listed, at most
    UNLISTED_SHARE) and the share of rows that are not null; {} before the first ANALYZE."""
    sql = (
        "SELECT attname::text, most_common_elems::text::text[], most_common_elem_freqs, "
        "null_frac FROM pg_stats WHERE schemaname = current_schema() "
        "AND tablename = 'search_document' AND attname IN ('vector', 'title_vector')"
    )
    statistics = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for column, lemmas, shares, null_share in cursor.fetchall():
            if lemmas and shares and len(shares) > len(lemmas):
                other = min(UNLISTED_SHARE, shares[len(lemmas)] / 2)  # then: least, most common
                statistics[column] = (
                    dict(zip(lemmas, shares[: len(lemmas)], strict=True)),
                    other,
                    1 - null_share,
                )
    return statistics


def _share(statistics: tuple[dict[str, float], float, float], lemmas) -> float:
    """The planner's share of rows holding any of `lemmas` (`a | b`: 1 - (1 - a)(1 - b))."""
    shares, other, _ = statistics
    missing = 1.0
    for lemma in lemmas:
        missing *= 1 - shares.get(lemma, other)
    return 1 - missing


def estimate(query: SearchQuery, filters: Filters, titles_only: bool = False) -> int:
    """How many rows the planner expects to match `where(query, filters, titles_only)`.

    Worked out here from the same statistics and the same rules as the planner's own estimate
    (ts_selfuncs.c: a listed lemma's share, `&` multiplies, `|` adds less the overlap), with no
    round trip; a filter by category or by dates asks the planner (EXPLAIN)."""
    statistics = lemma_statistics()
    columns = ("title_vector", "vector") if titles_only else ("vector",)
    if (
        filters.category_ids
        or filters.date_from
        or filters.date_to
        or any(column not in statistics for column in columns)
    ):
        return estimated_rows(*where(query, filters, titles_only))
    share = 1.0
    if titles_only:
        share *= _share(statistics["title_vector"], query.lemma_set)
        share *= statistics["title_vector"][2]
    if not titles_only or len(query.words) > 1:
        for word in query.words:
            share *= _share(statistics["vector"], word.lemmas)
        share *= statistics["vector"][2]
    return int(share * index_size())


def title_index_helps(query: SearchQuery, filters: Filters) -> bool:
    """Whether the older title matches of a query of several words may use the title index.

    Any query word in the title is a condition far wider than all the words in the text when
    one of them is common: EXPLAIN (ANALYZE, BUFFERS) at a million articles, a common and a mid
    word: the planner ANDed a 191,200-row bitmap of the title index with the 8,350 rows of the
    text's, 41 of the statement's 60 ms. The title is then tested in the text's matches instead.
    Read from the statistics; with a filter by category or dates, or before ANALYZE, the
    planner decides as before."""
    statistics = lemma_statistics()
    if len(query.words) < 2 or filters.category_ids or filters.date_from or filters.date_to:
        return True
    if "title_vector" not in statistics or "vector" not in statistics:
        return True
    present = statistics["title_vector"][2]
    in_titles = _share(statistics["title_vector"], query.lemma_set) * present * index_size()
    return in_titles <= estimate(query, filters)


# Between SURELY_MORE and index_first_limit() matches (a mid-frequency word: 5,000 to 55,000 at
# a million articles) the index first fetched every match's row to keep the newest 300: 3,700
# heap pages, 70 ms, for 22,000 matches (EXPLAIN (ANALYZE, BUFFERS), replicated rows; a real
# archive spreads them over more pages). The index goes first over the newest slice of the
# archive expected to hold SLICE_MATCHES of them (a bitmap AND with the time index), read
# from the statistics' histogram of publication times; with fewer than CANDIDATES there, the
# whole index as before. The newest CANDIDATES of a slice that holds them are the newest of all.
SLICE_MATCHES = 2 * CANDIDATES
# The same for the older title matches (`_older_titles_sliced`): a slice below the newest
# candidates expected to hold twice the TITLE_CANDIDATES asked.
TITLE_SLICE_MATCHES = 2 * TITLE_CANDIDATES
# From this many matches by the estimate the newest candidates come from a slice, bounded by
# the words index's weeks, and `count` counts apart (to COUNT_CAP + 1, the GIN index's bitmap
# and the heap rows up to there) where it must: reading every one of 2,000 to 5,000 matches,
# their rows and placement tests, took 7 to 24 ms of a two-word query at a million articles.
SLICE_FROM = 4 * CANDIDATES


@ttl_cache(seconds=300)
def time_bounds() -> list:
    """ANALYZE's histogram of publication times: bounds of equal shares of the rows, oldest
    first; [] before the first ANALYZE."""
    sql = (
        "SELECT histogram_bounds::text::timestamptz[] FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = 'search_document' "
        "AND attname = 'published_at'"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return list(row[0]) if row and row[0] else []


# A slice longer than this many weeks (ten years) is asked of the time index, as before the
# weeks were indexed.
MAX_SLICE_WEEKS = 520


def week(moment) -> int:
    """The week `search_week` gives a moment (floor: weeks before 1970 are negative)."""
    return math.floor(moment.timestamp() / WEEK_SECONDS)


def weeks_since(since, until) -> str | None:
    """A tsquery of `search_week` matching every week from `since`'s on, to `until`'s or past
    it (a suffix of the archive's time, so its newest matches are the newest of all when it
    holds enough; anything after `until` is excluded by the statement's own bound on
    `published_at`): the largest aligned block at each step, a few terms for any length. None
    when that is more than MAX_SLICE_WEEKS weeks."""
    first, last = week(since), week(until)
    if last - first + 1 > MAX_SLICE_WEEKS:
        return None
    terms, n = [], first
    while n <= last:
        size = next(size for size in WEEK_BLOCKS if n % size == 0)
        terms.append(f"'#{size}:{n // size}'")
        n += size
    return " | ".join(terms)


def slice_start(share: float):
    """The time after which about `share` of the rows were published (a histogram bound at
    or before it), or None when that is not a small part of the archive."""
    bounds = time_bounds()
    if len(bounds) < 10 or share >= 0.5:
        return None
    buckets = len(bounds) - 1
    at = max(0.0, (1 - share) * buckets)
    below = math.floor(at)
    if below >= buckets:
        return bounds[-1]
    # within the histogram's bucket, the share of its time (the newest bucket held a hundredth
    # of the archive, 10,000 rows at a million, for a slice that wanted a few hundred)
    return bounds[below] + (bounds[below + 1] - bounds[below]) * (at - below)


# The walk for older title matches reads about TITLE_CANDIDATES / share of titles rows: at a
# million articles (EXPLAIN (ANALYZE, BUFFERS)) 15,000 rows, 7.8 ms, for a word in 13,465 titles,
# where the title index ANDed with a slice of the time index read 16,000 entries and 200 rows.
# Up to TITLE_SLICE_UP_TO times the index's own limit of title matches such a slice goes first;
# past it the walk is short and the title index's bitmap large.
TITLE_SLICE_UP_TO = 4
# A slice costs the time index's entries of its share of the archive (EXPLAIN (ANALYZE,
# BUFFERS) at a million articles: 357,000 entries, 24 ms) and saves fetching the matches' rows
# outside it (7,300 rows, 15 ms): about 30 entries cost a row. A slice is taken while it reads
# fewer than SLICE_ENTRIES_PER_MATCH entries per match of the whole index.
SLICE_ENTRIES_PER_MATCH = 10


def title_slice_start(query: SearchQuery, filters: Filters, titled: int):
    """Where the slice for the older title matches of a query of several words starts (see
    PostgresBackend._placed): below the newest CANDIDATES matches, enough of the archive to
    hold TITLE_SLICE_MATCHES title matches by the estimate (`titled` of them in all); None
    when that slice would cost more than reading every match."""
    matches = max(estimate(query, filters), 1)
    share = CANDIDATES / matches + TITLE_SLICE_MATCHES / max(titled, 1)
    since = slice_start(share)
    if (
        len(query.words) > 1
        and since is not None
        and weeks_since(since, filters.now or timezone.now()) is not None
    ):
        return since  # the words index's weeks bound it: never more than every match
    if share * index_size() > SLICE_ENTRIES_PER_MATCH * matches:
        return None
    return since


def titled_matches(query: SearchQuery, filters: Filters) -> int:
    """How many matches have a query word in the title, for the size of a title slice.

    The planner's estimate (`estimate(titles_only=True)`) multiplies the title condition's
    share by the words' as if they were independent, but a word in the title is in the text:
    for a common and a mid word it came out a third of the real count (EXPLAIN (ANALYZE) at a
    million articles: 715 estimated, 2,050 found), and the slice for the older title matches
    three times too long. Here: all words in the text less all of them in the text with none in
    the title, each word's title share within its text share; the planner's figure with a
    filter or before ANALYZE."""
    statistics = lemma_statistics()
    if (
        filters.category_ids
        or filters.date_from
        or filters.date_to
        or "vector" not in statistics
        or "title_vector" not in statistics
    ):
        return estimate(query, filters, titles_only=True)
    everywhere, untitled = 1.0, 1.0
    for word in query.words:
        text = _share(statistics["vector"], word.lemmas)
        title = _share(statistics["title_vector"], word.lemmas) * statistics["title_vector"][2]
        everywhere *= text
        untitled *= max(text - title, 0.0)
    return int((everywhere - untitled) * statistics["vector"][2] * index_size())


def estimated_rows(condition: str, params: list) -> int:
    """The planner's estimate of the rows matching `condition` (planning only, no execution)."""
    sql = f"EXPLAIN (FORMAT JSON) SELECT 1 FROM search_document WHERE {condition}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


SWITCHES = {True: ("enable_indexscan", "enable_seqscan"), False: ("enable_bitmapscan",)}
# And for every candidate statement: no parallel workers, no JIT. A search reads a few hundred
# rows; the planner, costing a bitmap of thousands of matches, launched two workers (a
# parallel bitmap heap scan: 21.8 ms where one process took 9, EXPLAIN ANALYZE at a million
# articles, 2 cores) or compiled the plan (JIT: 24 ms of a 434 ms statement).
# Each is kept first in a setting of our own and put back from it (left to right in one list).
SERIAL = (("max_parallel_workers_per_gather", "0"), ("jit", "off"))


def planned_rows(sql: str, params: list, index_first: bool) -> list[tuple]:
    """Run `sql` with the candidate plan chosen: the GIN index first (no walk along the time
    index) or the ordered walk (no bitmap of every match).

    One round trip: the switches, the query and the switches put back go to the server as one
    batch of statements (Django's psycopg cursor binds parameters on the client, so a batch may
    carry them). Outside a transaction the batch is one implicit transaction, so the switches
    end with it; inside one they are put back by the batch's last statement."""
    names = SWITCHES[index_first]
    off = ", ".join(
        [f"set_config('{name}', 'off', true)" for name in names]
        + [
            f"set_config('shpalta.{name}', current_setting('{name}'), true), "
            f"set_config('{name}', '{value}', true)"
            for name, value in SERIAL
        ]
    )
    on = ", ".join(
        [f"set_config('{name}', 'on', true)" for name in names]
        + [f"set_config('{name}', current_setting('shpalta.{name}'), true)" for name, _ in SERIAL]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {off}; {sql}; SELECT {on}", params)
        cursor.nextset()
        return cursor.fetchall()


def placed_sql(
    query: SearchQuery, condition: str, params: list, limit: int, counted: bool
) -> tuple[str, list]:
    """The newest `limit` matches of `condition`, per query word whether it is in the title and
    in the lead; with `counted`, the number of all matches and a part mark (0) after each, and
    then, marked 1, the newest `limit` + TITLE_CANDIDATES matches with a word in the title (the
    older title matches, read from the same matches: no second pass over them).

    Title and lead are small columns in the row the scan reads anyway: they are tested there.
    The exact forms are not read here (see `exact_forms`). A flat query evaluates its select
    list below the sort, for every match: hence the CTE, which holds only ids, times and
    booleans, and is counted where it is complete."""
    inline, inline_params, titled = [], [], []
    for n, word in enumerate(query.words):
        lemmas = readings(word.lemmas)
        inline += [f"title_vector @@ %s::tsquery AS t{n}", f"lead_vector @@ %s::tsquery AS l{n}"]
        inline_params += [lemmas, lemmas]
        titled.append(f"t{n}")
    order = "ORDER BY published_at DESC, article_id DESC"
    walked = "" if counted else f" {order} LIMIT %s"
    matched = (
        f"WITH matched AS MATERIALIZED (SELECT article_id, published_at, {', '.join(inline)} "  # noqa: S608
        f"FROM search_document WHERE {condition}{walked}) "
    )
    head = [*inline_params, *params] + ([] if counted else [limit])
    if not counted:
        return f"{matched}SELECT *, NULL FROM matched {order} LIMIT %s", [*head, limit]  # noqa: S608
    sql = (
        f"{matched}(SELECT *, (SELECT count(*) FROM matched), 0 FROM matched {order} LIMIT %s) "  # noqa: S608
        f"UNION ALL (SELECT *, NULL, 1 FROM matched WHERE {' OR '.join(titled)} {order} "
        "LIMIT %s)"
    )
    return sql, [*head, limit, limit + TITLE_CANDIDATES]


def exact_sql(query: SearchQuery, count: int) -> tuple[str, list]:
    """Per article of `count` ids, whether each query word's typed form is in `forms`.

    `forms` is the costliest column a search reads: TOASTed, about 4 KB and three TOAST pages a
    row (EXPLAIN (ANALYZE, BUFFERS) at a million articles: 300 candidates' forms were 38 of a
    rare word's 39 ms), so it is read only for the candidates ranking asks about, and unpacked
    once a row for all the words (`x @@ q` unpacks x each time: a two-word query spent 28 of its
    45 ms unpacking it twice)."""
    tests = ", ".join(["unpacked.forms @@ %s::tsquery"] * len(query.words))
    sql = (
        f"SELECT article_id, {tests} FROM (SELECT article_id, forms || ''::tsvector AS forms "  # noqa: S608
        "FROM search_document WHERE article_id = ANY(%s) OFFSET 0) AS unpacked"
    )
    return sql, [readings([word.form]) for word in query.words]


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

    def settle(self) -> bool:
        """VACUUM (ANALYZE) the index table, as related.store.settle_tables does its own.

        The candidate plan is chosen from ANALYZE's statistics (`estimate`): without them every
        search asks the planner, which guesses. A count and a word frequency read no column, so
        their bitmap scans skip the pages the visibility map marks all-visible, and only VACUUM
        marks them. Neither can be left to the server's autovacuum, which may be off or minutes
        away after a rebuild rewrote every row."""
        if connection.in_atomic_block:
            return False
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) search_document")
        for remembered in (lemma_statistics, time_bounds, index_size):
            remembered.forget()
        return True

    def __init__(self):
        # (query, filters) -> count() answer, known from the candidates' statement
        self._counts: dict[tuple, tuple[int, bool]] = {}
        # (query, filters) -> the older title matches, found by the candidates' statement
        self._older_titles: dict[tuple, list[tuple]] = {}

    def _placed(self, query: SearchQuery, filters: Filters, older_than=None) -> list[tuple]:
        """The newest matches with placement columns; with `older_than` (the last of the newest
        matches), the newest older ones that have a query word in the title."""
        titles = older_than is not None
        title_index = not titles or title_index_helps(query, filters)
        condition, params = where(query, filters, titles_only=titles, title_index=title_index)
        limit = CANDIDATES
        if titles:
            condition += " AND (published_at, article_id) < (%s, %s)"
            params += [older_than[1], older_than[0]]
            limit = TITLE_CANDIDATES
        estimated = estimate(query, filters, titles_only=titles)
        factor = TITLE_INDEX_FIRST_FACTOR if titles else INDEX_FIRST_FACTOR
        index_first = estimated <= index_first_limit(factor)
        counted = index_first and not titles
        unfiltered = not (filters.category_ids or filters.date_from or filters.date_to)
        walked_titles = not index_first and estimated <= TITLE_SLICE_UP_TO * index_first_limit(
            factor
        )
        # several words: the words index's weeks make a slice cheap at any size
        several = len(query.words) > 1
        if titles and unfiltered and (not title_index or walked_titles or several):
            since = title_slice_start(query, filters, titled_matches(query, filters))
            if since is not None:
                rows = self._sliced(query, condition, params, since, limit, filters.now)
                if rows is not None:
                    return rows
        if not titles and estimated > SLICE_FROM:
            if estimated > SURELY_MORE:  # many more matches than a count shows (see `count`)
                self._counts[(query, filters)] = (COUNT_CAP, False)
            # past the index's limit the walk was the plan, which a slice of weeks beats
            since = slice_start(SLICE_MATCHES / estimated)
            # (for several words: one word's walk finds a match in most rows it reads)
            if not index_first and (
                len(query.words) < 2
                or since is None
                or weeks_since(since, filters.now or timezone.now()) is None
            ):
                since = None
            if (
                since is not None
                and unfiltered
                and not self._titles_need_every_match(query, filters)
            ):
                rows = self._sliced(query, condition, params, since, limit, filters.now)
                if rows is not None:  # then the newest CANDIDATES are all in the slice
                    return rows
        sql, sql_params = placed_sql(query, condition, params, limit, counted)
        rows = planned_rows(sql, sql_params, index_first)
        if not counted:
            return [row[:-1] for row in rows]
        # every match was read: the count, and the older title matches, come with them
        newest = [row[:-2] for row in rows if row[-1] == 0]
        total = newest and rows[0][-2] or 0
        self._counts[(query, filters)] = (min(total, COUNT_CAP), total <= COUNT_CAP)
        if len(newest) >= CANDIDATES:
            last = (newest[-1][1], newest[-1][0])
            older = [row[:-2] for row in rows if row[-1] == 1 and (row[1], row[0]) < last]
            self._older_titles[(query, filters)] = older[:TITLE_CANDIDATES]
        return newest

    @staticmethod
    def _sliced(
        query, condition: str, params: list, since, limit: int, until=None
    ) -> list[tuple] | None:
        """The newest `limit` matches published since `since`'s week (one scan of the words
        index, its weeks column bounding the scan: see WEEK_FUNCTION), up to `until` (now by
        default); a slice of more than MAX_SLICE_WEEKS weeks since `since` itself (the GIN index
        and the time index ANDed). None when the slice holds fewer (the whole index is asked
        then)."""
        weeks = weeks_since(since, until or timezone.now())
        if weeks is not None:
            bound, value = "search_week(published_at) @@ %s::tsquery", weeks
        else:
            bound, value = "published_at >= %s", since
        condition, params = f"{condition} AND {bound}", [*params, value]
        sql, sql_params = placed_sql(query, condition, params, limit, counted=False)
        rows = planned_rows(sql, sql_params, index_first=True)
        return [row[:-1] for row in rows] if len(rows) >= limit else None

    @staticmethod
    def _titles_need_every_match(query: SearchQuery, filters: Filters) -> bool:
        """Whether the older title matches will be sought by reading every match (several
        words, the title index too wide, no cheap slice): then the newest candidates are read
        from every match too, in the same statement, rather than from a slice first."""
        if len(query.words) < 2 or title_index_helps(query, filters):
            return False
        if estimate(query, filters, titles_only=True) > index_first_limit(TITLE_INDEX_FIRST_FACTOR):
            return False  # the older title matches are walked for
        return title_slice_start(query, filters, titled_matches(query, filters)) is None

    def candidates(self, query: SearchQuery, filters: Filters) -> list[Candidate]:
        newest = self._placed(query, filters)
        rows = list(newest)
        older = self._older_titles.pop((query, filters), None)
        if len(newest) >= CANDIDATES:
            if older is None:
                older = self._placed(query, filters, older_than=newest[-1][:2])
            rows += older
        return [
            Candidate(row[0], row[1].timestamp(), tuple(row[2::2]), tuple(row[3::2]), None)
            for row in rows
        ]

    def exact_forms(
        self, query: SearchQuery, article_ids: list[int]
    ) -> dict[int, tuple[bool, ...]]:
        sql, params = exact_sql(query, len(article_ids))
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, list(article_ids)])
            return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}

    def frequencies(self, query: SearchQuery) -> tuple[list[int], int]:
        """Per word, the articles holding any of its lemmas, capped at DF_CAP.

        Lemmas ANALYZE lists (at a million articles: those in more than about 2,700) are
        read from its statistics, a share of a sample of 300,000 rows (about ±3% at DF_CAP);
        counting them in the table fetched up to DF_CAP rows, 40 ms and more of a two-word
        query at a million articles. Only words with an unlisted lemma are counted, by the GIN
        index, all in one statement; an unlisted lemma is rarer than any listed one."""
        statistics = lemma_statistics().get("vector")
        size = index_size()
        counts: list[int | None] = []
        counted = []
        for word in query.words:
            listed = [lem for lem in word.lemmas if statistics and lem in statistics[0]]
            at_least = _share(statistics, listed) * statistics[2] * size if listed else 0
            if at_least >= DF_CAP or (listed and len(listed) == len(word.lemmas)):
                counts.append(min(DF_CAP, max(1, round(at_least))))
            else:
                counts.append(None)
                counted.append(readings(word.lemmas))
        if counted:
            one = (
                "(SELECT count(*) FROM "
                "(SELECT 1 FROM search_document WHERE vector @@ %s::tsquery LIMIT %s) s)"
            )
            sql = "SELECT " + ", ".join([one] * len(counted))
            params = [value for q in counted for value in (q, DF_CAP)]
            found = iter(planned_rows(sql, params, index_first=True)[0])
            counts = [next(found) if n is None else n for n in counts]
        return counts, size

    def count(self, query: SearchQuery, filters: Filters) -> tuple[int, bool]:
        """Exact up to COUNT_CAP. Where the walk is the plan (estimates past index_first_limit,
        at least INDEX_FIRST_MIN = 5 × COUNT_CAP), there are more than COUNT_CAP matches by
        the statistics: walking to the 1001st match to confirm it cost a common word three times
        its candidates' walk (about 40 ms at a million articles), so it is not done."""
        known = self._counts.get((query, filters))
        if known is not None:
            return known
        condition, params = where(query, filters)
        if estimate(query, filters) > max(index_first_limit(), SURELY_MORE):
            return COUNT_CAP, False
        sql = f"SELECT count(*) FROM (SELECT 1 FROM search_document WHERE {condition} LIMIT %s) s"  # noqa: S608
        (n,) = planned_rows(sql, [*params, COUNT_CAP + 1], index_first=True)[0]
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
