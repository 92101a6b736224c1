"""SQLite walks a query of several words rarest word first, each placement walk naming only the
phrases its answer needs: the candidates (places, forms, older title matches) equal those of
the walks that ANDed every word into each (test_sqlite_candidate_places.reference), and the
word counts that order the walks are counted once per search."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Category
from shpalta.search import query as query_module
from shpalta.search.backends import Filters
from shpalta.search.backends import sqlite as fts
from shpalta.search.backends.base import CANDIDATES

from .test_sqlite_candidate_places import reference

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only"),
]
ARTICLES = 2 * CANDIDATES


@pytest.fixture
def archive():
    """«бюджет» in ten articles of eleven, «податок» in five of six (in the lead of some,
    the title of every fifth, in several forms): more matches of both than CANDIDATES, and
    rows in the newest range with one word alone (which the placement walks must not take)."""
    rubric = Category.objects.create(name="Економіка", slug="ekonomika")
    for n in range(ARTICLES):
        tax = ("податки", "податків", "податок")[n % 3] if n % 6 else ""
        title = " ".join(filter(None, ["Новина", str(n), tax if n % 5 == 0 else ""]))
        lead = " ".join(filter(None, ["Коротко.", "податок" if n % 3 == 1 else ""]))
        budget = "" if n % 11 == 0 else "бюджету"
        factories.article(
            title, lead=lead, body=f"<p>Депутати обговорили {budget} {tax}.</p>",
            age=timedelta(hours=n), category=rubric if n % 4 == 0 else None,
        )  # fmt: skip
    return rubric


@pytest.mark.parametrize("text", ["бюджет податки", "податок бюджету", "податків"])
@pytest.mark.parametrize("in_rubric", [False, True])
@pytest.mark.parametrize("cap", [fts.DF_CAP, 100])
def test_rarest_first_walks_find_the_candidates_of_the_full_walks(
    archive, monkeypatch, text, in_rubric, cap
):
    """With a cap below both words' counts neither is known to be rare: each placement walk
    then names every other word."""
    monkeypatch.setattr(fts, "DF_CAP", cap)
    query = query_module.parse(text)
    filters = Filters((archive.pk,) if in_rubric else (), now=timezone.now())
    backend = fts.SQLiteBackend()
    found = backend.candidates(query, filters)
    expected = reference(fts.SQLiteBackend(), query, filters)
    assert found == expected
    assert any(any(c.in_title) for c in found) and any(any(c.in_lead) for c in found)
    if not in_rubric and len(query.words) > 1:
        assert len(found) > CANDIDATES  # older title matches past the newest


def test_the_rarest_word_goes_first_and_its_counts_serve_the_weights(archive, monkeypatch):
    fts.index_size.forget()  # remembered for minutes per process
    backend = fts.SQLiteBackend()
    query = query_module.parse("бюджет податки")
    counted = []
    walks = backend._counted
    monkeypatch.setattr(backend, "_counted", lambda q: counted.append(q) or walks(q))
    assert backend._order(query) == [1, 0]  # «податки» is the rarer
    expression = fts.match_expression(query, Filters(), order=backend._order(query))
    assert expression.index("податок") < expression.index("бюджет")
    backend.candidates(query, Filters(now=timezone.now()))
    counts, size = backend.frequencies(query)
    assert len(counted) == 1  # once for the order, none again for the weights
    assert counts == walks(query) and counts[1] < counts[0]
    assert size == ARTICLES
    backend.frequencies(query)
    assert len(counted) == 2  # a later search counts afresh
