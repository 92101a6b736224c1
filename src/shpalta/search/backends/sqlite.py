"""SQLite FTS5 backend: the embedded default.

One contentless FTS5 table holds, per article, its lemmas in three columns (title, lead, body),
the exact word forms in a fourth and its category as a token in a fifth. The FTS rowid is the
negated time key (documents.time_key), so FTS5's natural ascending rowid walk is newest first,
`LIMIT` stops it early on a common word, and date filters and scheduled articles are rowid
ranges. `detail=column` keeps the index small and fast: ranking needs which fields hold a
word, not where in them. A contentless table needs the old terms to delete a row, so each
article's indexed terms are kept zlib-compressed in `search_doc`.
"""

import json
import zlib
from collections.abc import Iterable

from django.db import connection

from ..documents import ID_BITS, Document, key_range, time_key
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

MAX_ROWID = 2**63 - 1

CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        t, l, b, f, m, content='', detail=column, tokenize="ascii tokenchars '''-.,:/'")""",
    """CREATE TABLE IF NOT EXISTS search_doc (
        article_id INTEGER PRIMARY KEY, rowkey INTEGER NOT NULL UNIQUE, terms BLOB NOT NULL)""",
]
DROP = ["DROP TABLE IF EXISTS search_fts", "DROP TABLE IF EXISTS search_doc"]


def quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def any_of(terms: Iterable[str]) -> str:
    return "(" + " OR ".join(quoted(t) for t in terms) + ")"


def match_expression(
    query: SearchQuery, filters: Filters, extra: str = "", order: list[int] | None = None
) -> str:
    """Every query word in title, lead or body (any of its readings), within the filters;
    `order`: the words' indexes in the order FTS5 is to test them (rarest first)."""
    words = [query.words[n] for n in order] if order else query.words
    parts = [f"{{t l b}} : {any_of(w.lemmas)}" for w in words]
    if filters.category_ids:
        parts.append(f"{{m}} : {any_of(f'c{pk}' for pk in filters.category_ids)}")
    if extra:
        parts.append(extra)
    return " AND ".join(parts)


def placement_walks(query: SearchQuery, filters: Filters, order: list[int], rare: bool = True):
    """Per query word, in the query's order, three MATCH expressions: matches with the word in
    the title (every word in the text, within the filters: this walk goes past the newest
    matches), and rows with the word in the lead, and as typed (only to be intersected with
    the newest matches: the word's own phrase, and the rarest other word to keep the walk
    short; with `rare` False, when even the rarest word is in more than DF_CAP articles, every
    other word, as a word that common alone would walk most of the range). The word in the
    title needs no `{t l b}` phrase of its own beside `{t}`."""
    rarest = order[0]
    for n, word in enumerate(query.words):
        others = [query.words[k] for k in order if k != n]
        in_title = " AND ".join(
            [f"{{t}} : {any_of(word.lemmas)}", *(f"{{t l b}} : {any_of(w.lemmas)}" for w in others)]
        )
        bounds = [query.words[rarest]] if rare and n != rarest else [] if rare else others
        bound = "".join(f" AND {{t l b}} : {any_of(w.lemmas)}" for w in bounds)
        if filters.category_ids:  # other rubrics' rows in the range are not walked either
            rubrics = f" AND {{m}} : {any_of(f'c{pk}' for pk in filters.category_ids)}"
            in_title, bound = in_title + rubrics, bound + rubrics
        yield (
            in_title,
            f"{{l}} : {any_of(word.lemmas)}{bound}",
            f"{{f}} : {quoted(word.form)}{bound}",
        )


def rowid_bounds(filters: Filters) -> tuple[int, int]:
    """rowid = -key, so the newest allowed key is the lowest rowid."""
    low, high = key_range(filters.date_from, filters.date_to)
    if filters.now is not None:
        visible = time_key(filters.now) | ((1 << ID_BITS) - 1)
        high = visible if high is None else min(high, visible)
    return (-high if high is not None else -MAX_ROWID), (-low if low is not None else MAX_ROWID)


def published_ts(rowid: int) -> int:
    return (-rowid) >> ID_BITS


def _columns(doc: Document) -> tuple[str, str, str, str, str]:
    category = f"c{doc.category_id}" if doc.category_id else ""
    return (" ".join(doc.title), " ".join(doc.lead), " ".join(doc.body), " ".join(doc.forms),
            category)  # fmt: skip


def raw():
    """The sqlite3 connection under Django's (same transaction), taking `?` parameters:
    Django's cursor wrapper rewrites `%s` with a regular expression on every call, a visible
    cost at a dozen statements a search and several per indexed article."""
    connection.ensure_connection()
    return connection.connection


@ttl_cache(seconds=300)
def index_size() -> int:
    """Counting a million rows takes milliseconds every time; word weights need only a rough
    figure, so it is remembered for a few minutes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_doc")
        return cursor.fetchone()[0]


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def __init__(self):
        # word counts of a query of several words: its walks are ordered by them, then its
        # words weighed by them (`frequencies` takes them)
        self._frequencies: dict[tuple, list[int]] = {}

    def index(self, documents: Iterable[Document]) -> int:
        db = raw()
        written = 0
        for doc in documents:
            self._delete(db, doc.article_id)
            rowid = self._free_rowid(db, -doc.key)
            columns = _columns(doc)
            db.execute("INSERT INTO search_fts(rowid, t, l, b, f, m) VALUES (?, ?, ?, ?, ?, ?)",
                       [rowid, *columns])  # fmt: skip
            packed = zlib.compress(json.dumps(columns, ensure_ascii=False).encode(), 1)
            db.execute("INSERT INTO search_doc(article_id, rowkey, terms) VALUES (?, ?, ?)",
                       [doc.article_id, rowid, packed])  # fmt: skip
            written += 1
        return written

    @staticmethod
    def _free_rowid(db, rowid: int) -> int:
        """Two articles in one second whose ids agree in the low bits: step to a free key."""
        while db.execute("SELECT 1 FROM search_doc WHERE rowkey = ?", [rowid]).fetchone():
            rowid += 1
        return rowid

    @staticmethod
    def _delete(db, article_id: int) -> None:
        sql = "SELECT rowkey, terms FROM search_doc WHERE article_id = ?"
        row = db.execute(sql, [article_id]).fetchone()
        if row is None:
            return
        rowid, packed = row
        columns = json.loads(zlib.decompress(packed))
        db.execute(
            "INSERT INTO search_fts(search_fts, rowid, t, l, b, f, m) "
            "VALUES ('delete', ?, ?, ?, ?, ?, ?)",
            [rowid, *columns],
        )
        db.execute("DELETE FROM search_doc WHERE article_id = ?", [article_id])

    def remove(self, article_ids: Iterable[int]) -> None:
        db = raw()
        for article_id in article_ids:
            self._delete(db, article_id)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_doc")
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")

    def indexed_ids(self) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT article_id FROM search_doc")
            return {row[0] for row in cursor.fetchall()}

    def _rows(self, sql: str, match: str, filters: Filters, tail: list, bounds=None) -> list:
        low, high = bounds or rowid_bounds(filters)
        return raw().execute(sql, [match, low, high, *tail]).fetchall()

    def _newest(self, match: str, filters: Filters, limit: int = CANDIDATES, bounds=None) -> list:
        sql = (
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
            "AND rowid BETWEEN ? AND ? ORDER BY rowid LIMIT ?"
        )
        return [row[0] for row in self._rows(sql, match, filters, [limit], bounds)]

    def _titles(self, match: str, filters: Filters, last: int, full: bool) -> list[int]:
        """Title matches among the newest matches (rowids up to `last`) and, when those were
        CANDIDATES (`full`), the TITLE_CANDIDATES next older ones: one walk, read row by row
        and left where it has them, where two walks each sought their start in every segment
        (a two-word query made eight walks for placement; now six)."""
        low, high = rowid_bounds(filters)
        sql = (
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
            "AND rowid BETWEEN ? AND ? ORDER BY rowid"
        )
        cursor = raw().execute(sql, [match, low, high if full else last])
        found, older = [], 0
        try:
            for (rowid,) in cursor:
                if rowid > last:
                    older += 1
                    if older > TITLE_CANDIDATES:
                        break
                found.append(rowid)
        finally:
            cursor.close()
        return found

    def candidates(self, query: SearchQuery, filters: Filters) -> list[Candidate]:
        """Newest-first walks, each stopped early. First the newest CANDIDATES matches; then,
        per word, which of them hold it in the title, the lead, or as typed (walks bounded by
        their rowid range); and when the matches go on past that range, the newest
        TITLE_CANDIDATES older matches with the word in the title.

        Each walk names as few phrases as its answer needs (`placement_walks`): the word in a
        field implies the word in the text, so it is not asked again, and a walk over the
        newest range needs no other word than the rarest (its rows are intersected with the
        matches found), so it never reads a common word's long list for nothing."""
        order = self._order(query)
        everything = self._newest(match_expression(query, filters, order=order), filters)
        if not everything:
            return []
        low, _ = rowid_bounds(filters)
        seen = (low, everything[-1])
        found = set(everything)
        full = len(everything) >= CANDIDATES
        titles, leads, exact = [], [], []
        rare = self._frequencies.get(tuple(w.lemmas for w in query.words), [0])[order[0]] < DF_CAP
        for in_title, in_lead, typed in placement_walks(query, filters, order, rare):
            titles.append(set(self._titles(in_title, filters, everything[-1], full)))
            leads.append(found.intersection(self._in_range(in_lead, seen)))
            exact.append(found.intersection(self._in_range(typed, seen)))
        rowids = list(dict.fromkeys([*everything, *(r for t in titles for r in t)]))
        ids = self._article_ids(rowids)
        kept = [r for r in rowids if r in ids]
        # Column by column, then zipped into rows: a few hundred candidates a query, and a
        # generator per candidate and field cost more than the walks that found them.
        places = [
            list(zip(*[[r in found for r in kept] for found in sets], strict=True))
            for sets in (titles, leads, exact)
        ]
        published = [(-r) >> ID_BITS for r in kept]  # published_ts, inlined
        return list(map(Candidate._make, zip([ids[r] for r in kept], published, *places,
                                             strict=True)))  # fmt: skip

    def _order(self, query: SearchQuery) -> list[int]:
        """The query's word indexes, rarest first (one word: nothing to count)."""
        if len(query.words) < 2:
            return [0]
        key = tuple(w.lemmas for w in query.words)
        counts = self._frequencies.get(key)
        if counts is None:
            if len(self._frequencies) > 100:  # a backend kept for many searches (benchmarks)
                self._frequencies.clear()
            counts = self._frequencies[key] = self._counted(query)
        return sorted(range(len(query.words)), key=lambda n: counts[n])

    def _in_range(self, match: str, bounds: tuple[int, int]) -> list[int]:
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?"
        return [row[0] for row in raw().execute(sql, [match, *bounds]).fetchall()]

    @staticmethod
    def _article_ids(rowids: list[int]) -> dict[int, int]:
        if not rowids:
            return {}
        marks = ", ".join(["?"] * len(rowids))
        sql = f"SELECT rowkey, article_id FROM search_doc WHERE rowkey IN ({marks})"  # noqa: S608
        return dict(raw().execute(sql, rowids).fetchall())

    def frequencies(self, query: SearchQuery) -> tuple[list[int], int]:
        """Per word, its articles up to DF_CAP (counted once per search: the walks' order
        asked first)."""
        counts = self._frequencies.pop(tuple(w.lemmas for w in query.words), None)
        if counts is None:
            counts = self._counted(query)
        return counts, index_size()

    def known_frequencies(self, query: SearchQuery, counts: list[int]) -> None:
        if len(query.words) > 1:  # the walks' order (_order) takes them
            if len(self._frequencies) > 100:
                self._frequencies.clear()
            self._frequencies[tuple(w.lemmas for w in query.words)] = list(counts)

    def _counted(self, query: SearchQuery) -> list[int]:
        sql = (
            "SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
            "AND rowid BETWEEN ? AND ? LIMIT ?)"
        )
        counts = [
            self._rows(sql, f"{{t l b}} : {any_of(w.lemmas)}", Filters(), [DF_CAP])[0][0]
            for w in query.words
        ]
        return counts

    def count(self, query: SearchQuery, filters: Filters) -> tuple[int, bool]:
        sql = (
            "SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
            "AND rowid BETWEEN ? AND ? LIMIT ?)"
        )
        (n,) = self._rows(sql, match_expression(query, filters), filters, [COUNT_CAP + 1])[0]
        return min(n, COUNT_CAP), n <= COUNT_CAP

    def newest(self, query: SearchQuery, filters: Filters, offset: int, limit: int) -> list[int]:
        sql = (
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ? "
            "ORDER BY rowid LIMIT ? OFFSET ?"
        )
        rowids = [r for (r,) in self._rows(sql, match_expression(query, filters), filters,
                                            [limit, offset])]  # fmt: skip
        ids = self._article_ids(rowids) if rowids else {}
        return [ids[r] for r in rowids if r in ids]
