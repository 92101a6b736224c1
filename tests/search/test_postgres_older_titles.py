"""PostgreSQL finds the older title matches without a second pass over every match: a statement
that reads every match (the index first, counted) returns them with the newest; otherwise a
slice of the archive below the newest goes first where it is cheap (for several words always:
the words index's weeks bound it). Either way the rows equal those of the statement that asks
for them alone (backends/postgres.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from shpalta.news import factories
from shpalta.search import query as query_module
from shpalta.search.backends import Filters
from shpalta.search.backends import postgres as pg
from shpalta.search.backends.base import CANDIDATES, TITLE_CANDIDATES

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner only"),
]
ARTICLES = CANDIDATES + 3 * TITLE_CANDIDATES


@pytest.fixture
def archive():
    """«енергетика» and «посуха» in every text, a word of the query in every second title:
    more title matches past the newest CANDIDATES than TITLE_CANDIDATES."""
    for n in range(ARTICLES):
        title = f"Новина {n} про посуху" if n % 2 == 0 else f"Новина {n}"
        factories.article(title, body="<p>Енергетика і посуха.</p>", age=timedelta(hours=n))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
    pg.lemma_statistics.forget()
    pg.index_size.forget()
    pg.time_bounds.forget()


def recorded(monkeypatch) -> list[str]:
    """The statements run from now on."""
    statements, chosen = [], pg.planned_rows

    def recording(sql, params, index_first):
        statements.append(sql)
        return chosen(sql, params, index_first)

    monkeypatch.setattr(pg, "planned_rows", recording)
    return statements


def is_slice(sql: str) -> bool:
    """A statement of a slice: bounded by the words index's weeks, or the time index's."""
    return "search_week(published_at) @@" in sql or "published_at >= %s" in sql


def alone(query, filters, newest) -> list[tuple]:
    """The older title matches asked for by their own statement."""
    return pg.PostgresBackend()._placed(query, filters, older_than=newest[-1][:2])


@pytest.mark.parametrize("text", ["енергетика посуха", "посуха"])
def test_a_counted_statement_returns_the_older_title_matches_too(archive, monkeypatch, text):
    query, filters = query_module.parse(text), Filters(now=timezone.now())
    monkeypatch.setattr(pg, "index_first_limit", lambda factor=0: 10**9)  # the index first
    monkeypatch.setattr(pg, "SURELY_MORE", 10**9)  # counted, never sliced
    statements = recorded(monkeypatch)
    backend = pg.PostgresBackend()
    found = backend.candidates(query, filters)
    assert len(statements) == 1
    newest = backend._placed(query, filters)
    older = alone(query, filters, newest)
    assert len(newest) == CANDIDATES and len(older) == TITLE_CANDIDATES
    as_rows = [(c.article_id, c.published) for c in found]
    assert as_rows == [(row[0], row[1].timestamp()) for row in [*newest, *older]]
    assert backend.count(query, filters) == (ARTICLES, True)


def test_a_slice_below_the_newest_finds_the_same_older_title_matches(archive, monkeypatch):
    monkeypatch.setattr(pg, "CANDIDATES", 20)  # a small archive's newest are a small share
    query, filters = query_module.parse("енергетика посуха"), Filters(now=timezone.now())
    newest = pg.PostgresBackend()._placed(query, filters)
    whole = alone(query, filters, newest)
    monkeypatch.setattr(pg, "title_index_helps", lambda *args: False)
    monkeypatch.setattr(pg, "SLICE_ENTRIES_PER_MATCH", 10**9)  # any slice is cheap
    for wanted, in_slice in ((TITLE_CANDIDATES, True), (ARTICLES, False)):
        monkeypatch.setattr(pg, "TITLE_SLICE_MATCHES", wanted)  # the slice's expected matches
        statements = recorded(monkeypatch)
        assert alone(query, filters, newest) == whole
        sliced = [is_slice(sql) for sql in statements]
        assert sliced == ([True] if in_slice else [False])  # no slice: the whole archive


def test_no_slice_where_it_costs_more_than_every_match(archive, monkeypatch):
    """A slice by the time index reads its entries of its share of the archive: past
    SLICE_ENTRIES_PER_MATCH entries a match of the whole index, every match is read instead,
    and then the newest candidates come from the same statement, not from a slice first. That
    is the rule for one word, and for several words whose slice is longer than
    MAX_SLICE_WEEKS; a slice of several words within its weeks never costs more than every
    match (the words index's scan is bounded by both), so it is taken."""
    monkeypatch.setattr(pg, "CANDIDATES", 20)
    monkeypatch.setattr(pg, "TITLE_SLICE_MATCHES", 40)  # a slice of a sixth of the archive
    query, filters = query_module.parse("енергетика посуха"), Filters(now=timezone.now())
    one = query_module.parse("посуха")
    titled = pg.titled_matches(query, filters)
    assert pg.title_slice_start(query, filters, titled) is not None
    assert pg.title_slice_start(one, filters, titled) is not None
    monkeypatch.setattr(pg, "SLICE_ENTRIES_PER_MATCH", 0.1)
    assert pg.title_slice_start(query, filters, titled) is not None  # weeks
    assert pg.title_slice_start(one, filters, titled) is None
    monkeypatch.setattr(pg, "title_index_helps", lambda *args: False)
    assert not pg.PostgresBackend._titles_need_every_match(query, filters)
    monkeypatch.setattr(pg, "MAX_SLICE_WEEKS", 0)  # no slice of weeks: the time index's rule
    assert pg.title_slice_start(query, filters, titled) is None
    assert pg.PostgresBackend._titles_need_every_match(query, filters)
    assert not pg.PostgresBackend._titles_need_every_match(one, filters)


def test_a_word_in_many_titles_takes_a_slice_instead_of_the_walk(archive, monkeypatch):
    """Where the older title matches of one word would be walked for (more of them than the
    title index goes first for), a slice of the time index ANDed with the title index goes
    first, up to TITLE_SLICE_UP_TO times that limit; the rows are the walk's."""
    monkeypatch.setattr(pg, "CANDIDATES", 20)
    monkeypatch.setattr(pg, "TITLE_SLICE_MATCHES", TITLE_CANDIDATES)
    query, filters = query_module.parse("посуха"), Filters(now=timezone.now())
    newest = pg.PostgresBackend()._placed(query, filters)
    monkeypatch.setattr(pg, "index_first_limit", lambda factor=0: 1)  # the walk's side
    results = []
    for up_to in (0, 10**9):
        monkeypatch.setattr(pg, "TITLE_SLICE_UP_TO", up_to)
        statements = recorded(monkeypatch)
        results.append(alone(query, filters, newest))
        assert [is_slice(sql) for sql in statements] == [bool(up_to)]
    walked, sliced = results
    assert sliced == walked and len(walked) == TITLE_CANDIDATES
