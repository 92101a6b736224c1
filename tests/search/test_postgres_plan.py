"""PostgreSQL chooses the candidate plan per query: both plans find the same candidates, and the
choice follows the planner's estimate of how many articles match (backends/postgres.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.search import query as query_module
from shpalta.search.backends import Filters
from shpalta.search.backends import postgres as pg
from shpalta.search.backends.base import CANDIDATES, COUNT_CAP

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner only"),
]


@pytest.fixture
def archive():
    """More matches of «енергетика» than one candidate walk takes (a third of them in that very
    form, the rest as «енергетику»), a few of «посуха»; every word in the title, «посуха» in
    the lead of some."""
    for n in range(CANDIDATES + 40):
        energy = "енергетика" if n % 3 == 0 else "енергетику"
        words = f"про {energy} і посуху" if n % 50 == 0 else f"про {energy}"
        lead = "Посуха триває." if n % 100 == 0 else "Коротко."
        factories.article(f"Новина {n} {words}", lead=lead, age=timedelta(hours=n))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
    pg.lemma_statistics.forget()
    pg.index_size.forget()


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


@pytest.mark.parametrize("text", ["енергетики", "енергетика", "посухою", "енергетика посуха"])
def test_both_plans_find_the_same_newest_candidates(archive, text):
    """Same rows, and the same title / lead flags per word: the index-first plan tests the
    flags in a CTE over its matches, the walk in the rows it reads."""
    by_index = candidates_with(True, text)
    assert by_index == candidates_with(False, text) == candidates_with(None, text)
    assert len(by_index) == (7 if "посух" in text else CANDIDATES)


def test_exact_forms_are_read_per_article_for_every_word(archive):
    """«енергетика» as typed in a third of the titles, «енергетику» in the rest; «посуха» is
    always another form («посуху», «Посуха» in a lead is the form typed)."""
    query = query_module.parse("енергетика посуха")
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    found = pg.PostgresBackend().exact_forms(query, ids)
    assert set(found) == set(ids)
    expected = {
        article.pk: ("енергетика" in article.title.split(), article.lead == "Посуха триває.")
        for article in Article.objects.all()
    }
    assert found == expected
    assert 0 < sum(energy for energy, _ in found.values()) < len(ids)
    assert pg.PostgresBackend().exact_forms(query, []) == {}


def test_the_index_first_count_equals_a_count_of_the_matches(archive):
    """The index-first candidates count every match on the way; `count` answers from that."""
    query = query_module.parse("посухою")
    filters = Filters(now=timezone.now())
    backend = pg.PostgresBackend()
    chosen = pg.planned_rows
    pg.planned_rows = lambda sql, params, _: chosen(sql, params, True)
    try:
        backend.candidates(query, filters)
    finally:
        pg.planned_rows = chosen
    assert backend.count(query, filters) == (7, True)
    assert pg.PostgresBackend().count(query, filters) == (7, True)  # counted on its own


@pytest.mark.parametrize(
    ("text", "titles_only"),
    [("енергетики", False), ("посухою", False), ("енергетика посуха", False),
     ("енергетика посуха", True), ("невідомеслово", False)],
)  # fmt: skip
def test_the_estimate_is_the_planners_own(archive, text, titles_only):
    """search.estimate follows the planner's rules over the same statistics, without asking."""
    query = query_module.parse(text)
    filters = Filters(now=timezone.now())
    planner = pg.estimated_rows(*pg.where(query, filters, titles_only))
    assert pg.estimate(query, filters, titles_only) == pytest.approx(planner, rel=0.05, abs=2)


def test_word_frequencies_from_the_statistics_equal_the_counts(archive):
    """On an archive smaller than ANALYZE's sample the statistics count every row."""
    query = query_module.parse("енергетики посухою")
    counts, size = pg.PostgresBackend().frequencies(query)
    assert counts == [CANDIDATES + 40, 7]
    assert size == CANDIDATES + 40


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


@pytest.mark.parametrize(("candidates", "in_slice"), [(20, True), (200, False)])
def test_a_slice_of_the_newest_finds_the_same_candidates(
    archive, monkeypatch, candidates, in_slice
):
    """Between SURELY_MORE and the index's limit the GIN index goes first over the newest slice
    expected to hold SLICE_MATCHES; the rows equal the whole index's. With fewer than the
    candidates in the slice (here: 200 asked of a slice of about 40) it asks the whole index."""
    monkeypatch.setattr(pg, "CANDIDATES", candidates)
    monkeypatch.setattr(pg, "index_first_limit", lambda factor=0: 10**9)
    monkeypatch.setattr(pg, "SLICE_MATCHES", 40)
    query, filters = query_module.parse("енергетики"), Filters(now=timezone.now())
    monkeypatch.setattr(pg, "SLICE_FROM", 10**9)  # never sliced
    monkeypatch.setattr(pg, "SURELY_MORE", 10**9)
    whole = pg.PostgresBackend()._placed(query, filters)
    monkeypatch.setattr(pg, "SLICE_FROM", 10)
    monkeypatch.setattr(pg, "SURELY_MORE", 10)
    sliced, chosen = [], pg.planned_rows

    def recording(sql, params, index_first):
        rows = chosen(sql, params, index_first)
        if "search_week(published_at) @@" in sql:  # the words index's weeks
            sliced.append(len(rows))
        return rows

    monkeypatch.setattr(pg, "planned_rows", recording)
    backend = pg.PostgresBackend()
    assert backend._placed(query, filters) == whole
    assert len(whole) == candidates
    assert len(sliced) == 1
    if in_slice:
        assert sliced[0] >= candidates
    # Otherwise the slice may hold all 200 or fewer: the weeks' blocks it is cut along are
    # fixed in the calendar, so where "now" falls among them decides (an 8-week block can hold
    # the whole ten days of this archive, as on 2026-12-04); the rows equal the whole index's
    # either way, asserted above.
    # past SURELY_MORE by the estimate; the whole index, asked after all, counted every match
    expected = (COUNT_CAP, False) if sliced[0] >= candidates else (CANDIDATES + 40, True)
    assert backend.count(query, filters) == expected


def test_older_title_matches_of_a_common_and_a_rare_word_skip_the_wide_title_index(
    archive, monkeypatch
):
    """«енергетика» is in every title: «any word in the title» is a far wider condition than
    both words in the text (7 articles), so the title is tested in the text's matches, not
    ANDed from the title index (backends.postgres.title_index_helps); the rows are the same."""
    query, filters = query_module.parse("енергетика посуха"), Filters(now=timezone.now())
    assert pg.title_index_helps(query, filters) is False
    assert pg.title_index_helps(query_module.parse("енергетика"), filters) is True  # one word
    backend = pg.PostgresBackend()
    newest = backend._placed(query, filters)
    assert len(newest) == 7
    statements, chosen = [], pg.planned_rows

    def recording(sql, params, index_first):
        statements.append((sql, params, index_first))
        return chosen(sql, params, index_first)

    monkeypatch.setattr(pg, "planned_rows", recording)
    older = backend._placed(query, filters, older_than=newest[0][:2])
    sql, params, index_first = statements[-1]
    assert "IS TRUE" in sql
    plan = "\n".join(row[0] for row in chosen("EXPLAIN " + sql, params, index_first))
    assert "search_document_title" not in plan
    monkeypatch.setattr(pg, "title_index_helps", lambda *args: True)
    assert backend._placed(query, filters, older_than=newest[0][:2]) == older == newest[1:]
    assert "IS TRUE" not in statements[-1][0]
