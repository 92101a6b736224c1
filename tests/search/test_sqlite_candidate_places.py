"""SQLite builds its candidates column by column: per word, the same places (title, lead, as
typed) as asking each set about each row."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from shpalta.news import factories
from shpalta.search import query as query_module
from shpalta.search.backends import Filters
from shpalta.search.backends import sqlite as fts
from shpalta.search.backends.base import Candidate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only"),
]


def reference(backend, query, filters) -> list[Candidate]:
    """The walks as `candidates` makes them, and a candidate built row by row from them."""
    everything = backend._newest(fts.match_expression(query, filters), filters)
    if not everything:
        return []
    low, _ = fts.rowid_bounds(filters)
    seen, full = (low, everything[-1]), len(everything) >= fts.CANDIDATES
    titles, leads, exact = [], [], []
    for word in query.words:
        in_t = fts.match_expression(query, filters, f"{{t}} : {fts.any_of(word.lemmas)}")
        in_l = fts.match_expression(query, filters, f"{{l}} : {fts.any_of(word.lemmas)}")
        typed = fts.match_expression(query, filters, f"{{f}} : {fts.quoted(word.form)}")
        titles.append(set(backend._titles(in_t, filters, everything[-1], full)))
        leads.append(set(backend._newest(in_l, filters, fts.CANDIDATES, seen)))
        exact.append(set(backend._newest(typed, filters, fts.CANDIDATES, seen)))
    rowids = list(dict.fromkeys([*everything, *(r for t in titles for r in t)]))
    ids = backend._article_ids(rowids)
    return [
        Candidate(ids[r], fts.published_ts(r), tuple(r in t for t in titles),
                  tuple(r in le for le in leads), tuple(r in e for e in exact))
        for r in rowids if r in ids
    ]  # fmt: skip


@pytest.fixture
def archive():
    """Two words in every mix of places and forms."""
    for n in range(40):
        title = ["Новина", "Податки" if n % 3 == 0 else "", "бюджету" if n % 4 == 0 else ""]
        lead = ["Коротко.", "податок" if n % 5 == 0 else "", "бюджет" if n % 2 == 0 else ""]
        factories.article(
            " ".join(filter(None, [*title, str(n)])),
            lead=" ".join(filter(None, lead)),
            body="<p>Депутати обговорили долю бюджетів і податків.</p>",
            age=timedelta(hours=n),
        )


@pytest.mark.parametrize("text", ["бюджет", "податки", "бюджет податки", "податок бюджету"])
def test_candidates_equal_the_row_by_row_reference(archive, text):
    query, filters = query_module.parse(text), Filters(now=timezone.now())
    backend = fts.SQLiteBackend()
    found = backend.candidates(query, filters)
    assert found == reference(backend, query, filters)
    assert len(found) == 40
    assert all(isinstance(c, Candidate) for c in found)
    for word in range(len(query.words)):  # every place both true and false somewhere
        for place in ("in_title", "in_lead", "exact"):
            assert {getattr(c, place)[word] for c in found} == {True, False}, (place, word)
