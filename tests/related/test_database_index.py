"""The database index answers as the rebuild's in-memory index does, from one query."""

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shpalta.news import factories
from shpalta.related import store, streamed
from shpalta.related.conf import params
from shpalta.related.models import ArticleVector, RelatedLink, Term
from shpalta.related.rebuild import rebuild_lists

from .test_streamed_rebuild import news

pytestmark = pytest.mark.django_db


def test_both_indexes_find_the_same_candidates_in_the_same_order_of_preference(publish):
    start = timezone.now() - timedelta(days=20)
    for n, story in enumerate(news(40)):
        publish(story, published_at=start + timedelta(hours=5 * n))
    # few candidates and postings: the best-of cut and the per-term limit both bite
    config = params(candidates=6, postings_per_term=5)
    memory, database = streamed._memory_index(config), store.DatabaseIndex()
    cut = 0
    for row, article_id in enumerate(memory.ids.tolist()):
        query = memory.vector(row).strongest(config.query_terms)
        expected = memory.nearest(query, article_id, config)
        found = database.nearest(query, article_id, config)
        assert sorted(found.ids.tolist()) == expected.ids.tolist()
        assert article_id not in found.ids
        order = np.argsort(found.ids)
        assert np.array_equal(found.published[order], expected.published)
        assert found.signatures[order].tolist() == expected.signatures.tolist()
        cut += len(found.ids) == config.candidates
    assert cut > 10


def test_times_read_back_by_raw_sql_are_the_stored_ones(publish):
    when = datetime(2026, 3, 29, 0, 30, 15, 250000, tzinfo=UTC)  # Kyiv changes its clock that day
    article = publish(("Міст Патона", "Кличко про ремонт мосту Патона."), published_at=when)
    assert ArticleVector.objects.get(pk=article.pk).published_at == when
    assert store.DatabaseIndex().load(np.array([article.pk])).published.tolist() == [
        when.timestamp()
    ]
    assert store.stored_seed(article.pk).published == when.timestamp()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_articles_due_to_spread_are_read_through_the_partial_index(publish):
    publish(("Міст Патона", "Кличко про ремонт мосту Патона."))
    with CaptureQueriesContext(connection) as queries:
        assert store.due(10) == []
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "related_pending_idx" in plan


def test_a_new_article_entering_a_list_leaves_the_rows_it_does_not_move(publish):
    from .stories import BRIDGE

    old = publish(BRIDGE[0])
    weaker = publish(BRIDGE[2])
    (row,) = RelatedLink.objects.filter(article=old).values_list("id", "related_id", "rank")
    assert row[1:] == (weaker.pk, 1)
    stronger = publish(BRIDGE[1])
    rows = list(
        RelatedLink.objects.filter(article=old).order_by("rank").values_list("id", "related_id")
    )
    assert [r for _, r in rows] == [stronger.pk, weaker.pk]
    assert rows[1][0] == row[0]  # the same row, moved to rank 2, not deleted and inserted again


def test_lists_written_as_differences_read_back_as_written(publish):
    from .stories import BRIDGE, FOOTBALL, WEATHER

    ids = [publish(s).pk for s in (*BRIDGE, *FOOTBALL, *WEATHER)]
    rng = random.Random(7)
    for _ in range(30):
        lists = {
            a: [(r, round(rng.random(), 6)) for r in rng.sample([i for i in ids if i != a], k)]
            for a in rng.sample(ids, 4)
            for k in [rng.randint(0, 5)]
        }
        lists = {a: sorted(e, key=lambda x: -x[1]) for a, e in lists.items()}
        with transaction.atomic():
            store.write_lists(lists)
        assert {a: store.current_lists([a]).get(a, []) for a in lists} == lists
        ranks = RelatedLink.objects.filter(article_id__in=lists).values_list("article_id", "rank")
        by_article: dict[int, list[int]] = {}
        for a, rank in ranks:
            by_article.setdefault(a, []).append(rank)
        assert all(sorted(r) == list(range(1, len(r) + 1)) for r in by_article.values())


def test_stale_vectors_are_those_weighed_below_the_archive_size_over_the_factor(publish):
    from shpalta.related.models import IndexState

    from .stories import BRIDGE, FOOTBALL, WEATHER

    ids = [publish(s).pk for s in (*BRIDGE, *FOOTBALL, *WEATHER)][:5]
    for weighed_at, pk in zip((1, 4, 5, 6, 9), ids, strict=True):
        ArticleVector.objects.filter(pk=pk).update(weighed_at=weighed_at)
    IndexState.objects.filter(pk=1).update(documents=9)
    assert store.stale(10, 2.0) == ids[:2]  # below ⌈9 / 2⌉ = 5, oldest first
    assert store.stale(1, 2.0) == ids[:1]
    assert store.stale(10, 1.5) == ids[:3]  # below 6
    assert store.stale(10, 4.0) == ids[:1]  # below ⌈2.25⌉ = 3


# -- PostgreSQL: what a publish costs the server ------------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plans and storage"
)


def _explain(sql: str) -> str:
    """EXPLAIN ANALYZE of a statement as it was sent (client-side binding: values in place)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def _only_query(run) -> str:
    with CaptureQueriesContext(connection) as queries:
        run()
    (query,) = queries.captured_queries
    return query["sql"]


@on_postgresql
def test_terms_are_looked_up_through_their_unique_index_on_postgresql():
    # a vocabulary of a real archive's size, never analysed (as when autovacuum is off or late):
    # `text IN (…)` was planned as a scan of the whole table, 3 ms at 100,000 articles
    Term.objects.bulk_create(Term(text=f"слово{n}", df=1) for n in range(30_000))
    wanted = [f"слово{n}" for n in range(0, 30_000, 250)]
    sql = _only_query(lambda: store.term_ids(wanted))
    plan = _explain(sql)
    assert "Seq Scan on related_term" not in plan, plan
    assert "related_term_text" in plan, plan  # the unique index on the text
    assert set(store.term_ids(wanted)) == set(wanted)


@on_postgresql
def test_ranks_that_move_are_rewritten_in_place_on_postgresql():
    # full lists of 24 entries among 25 articles: the table's first pages as a rebuild fills them
    ids = [factories.article(f"Стаття {n}").pk for n in range(25)]
    lists = {
        a: [(r, round(0.9 - 0.01 * k, 6)) for k, r in enumerate(i for i in ids if i != a)]
        for a in ids
    }
    with transaction.atomic():
        store.write_lists(lists)

    def updated() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
                [RelatedLink._meta.db_table],
            )
            return cursor.fetchone()

    before = updated()
    reversed_list = [(r, s) for (r, _), (_, s) in zip(lists[ids[0]][::-1], lists[ids[0]])]
    with transaction.atomic():
        store.write_lists({ids[0]: reversed_list})  # every rank of the first list moves
    assert store.current_lists([ids[0]])[ids[0]] == reversed_list
    moved, in_place = (after - b for after, b in zip(updated(), before, strict=True))
    assert moved == 24
    # heap-only updates: no new entry in the table's four indexes, a few bytes of WAL each
    assert in_place == moved


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_after_a_rebuild_candidates_are_read_from_the_postings_index_alone(publish):
    from .stories import BRIDGE, FOOTBALL, WEATHER

    for story in (*BRIDGE, *FOOTBALL, *WEATHER):
        publish(story)
    rebuild_lists()
    config = params()
    seed = store.stored_seed(RelatedLink.objects.values_list("article_id", flat=True).first())
    query = seed.vector.strongest(config.query_terms)
    sql = _only_query(lambda: store.DatabaseIndex().nearest(query, seed.article_id, config))
    plan = _explain(sql)
    assert "Index Only Scan using related_posting_idx" in plan, plan
    # the visibility map (set by VACUUM) lets the index answer alone: no posting's row is read
    fetches = [int(line.split(":")[1]) for line in plan.splitlines() if "Heap Fetches" in line]
    assert fetches and not any(fetches), plan
