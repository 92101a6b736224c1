"""PostgreSQL chooses the candidate plan per query: both plans find the same candidates, and the
choice follows the planner's estimate of how many articles match (backends/postgres.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from shpalta.news import factories
from shpalta.search import query as query_module
from shpalta.search.backends import Filters
from shpalta.search.backends import postgres as pg
from shpalta.search.backends.base import CANDIDATES

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner only"),
]


@pytest.fixture
def archive():
    """More matches of «енергетика» than one candidate walk takes, a few of «посуха»."""
    for n in range(CANDIDATES + 40):
        words = "про енергетику і посуху" if n % 50 == 0 else "про енергетику"
        factories.article(f"Новина {n} {words}", age=timedelta(hours=n))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")


def candidates_with(plan: bool | None, text: str) -> list[tuple]:
    """The newest candidates with the plan forced (True: index first, False: the walk)."""
    query = query_module.parse(text)
    chosen = pg.planned_rows
    if plan is not None:
        pg.planned_rows = lambda sql, params, _: chosen(sql, params, plan)
    try:
        return pg.PostgresBackend()._placed(query, Filters(now=timezone.now()))
    finally:
        pg.planned_rows = chosen


@pytest.mark.parametrize("text", ["енергетики", "посухою", "енергетика посуха"])
def test_both_plans_find_the_same_newest_candidates(archive, text):
    by_index = candidates_with(True, text)
    assert by_index == candidates_with(False, text) == candidates_with(None, text)
    assert len(by_index) == (CANDIDATES if text == "енергетики" else 7)


def test_the_estimate_chooses_the_index_for_a_rare_word_and_the_walk_for_a_common_one(
    archive, monkeypatch
):
    used = []
    chosen = pg.planned_rows

    def recording(sql, params, index_first):
        used.append(index_first)
        return chosen(sql, params, index_first)

    monkeypatch.setattr(pg, "planned_rows", recording)
    monkeypatch.setattr(pg, "index_first_limit", lambda factor=0: 100)  # a small archive's crossing
    backend = pg.PostgresBackend()
    filters = Filters(now=timezone.now())
    backend._placed(query_module.parse("посухою"), filters)
    backend._placed(query_module.parse("енергетики"), filters)
    assert used == [True, False]
