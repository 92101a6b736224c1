"""SQLite finds a word's title matches among and past the newest candidates in one walk: the
same rows as the two walks it replaced (the newest range, then TITLE_CANDIDATES older)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from shpalta.news import factories
from shpalta.search import query as query_module
from shpalta.search.backends import Filters
from shpalta.search.backends import sqlite as fts
from shpalta.search.backends.base import CANDIDATES, TITLE_CANDIDATES

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only"),
]


@pytest.fixture
def archive():
    """«енергетика» in every body, in the title of every third article: more title matches
    past the newest CANDIDATES than TITLE_CANDIDATES."""
    for n in range(CANDIDATES + 3 * TITLE_CANDIDATES + 30):
        title = f"Новина {n} про енергетику" if n % 3 == 0 else f"Новина {n}"
        factories.article(title, body="<p>Про енергетику.</p>", age=timedelta(hours=n))


@pytest.mark.parametrize("text", ["енергетика", "енергетики новина"])
def test_one_title_walk_equals_the_newest_range_then_the_older_ones(archive, text):
    query = query_module.parse(text)
    filters = Filters(now=timezone.now())
    backend = fts.SQLiteBackend()
    newest = backend._newest(fts.match_expression(query, filters), filters)
    assert len(newest) == CANDIDATES
    last, (low, high) = newest[-1], fts.rowid_bounds(filters)
    word = query.words[0]
    in_title = fts.match_expression(query, filters, f"{{t}} : {fts.any_of(word.lemmas)}")
    two_walks = backend._newest(in_title, filters, CANDIDATES, (low, last)) + backend._newest(
        in_title, filters, TITLE_CANDIDATES, (last + 1, high)
    )
    assert backend._titles(in_title, filters, last, full=True) == two_walks
    assert len([r for r in two_walks if r > last]) == TITLE_CANDIDATES
    seen_only = backend._newest(in_title, filters, CANDIDATES, (low, last))
    assert backend._titles(in_title, filters, last, full=False) == seen_only
