"""`shpalta reindex` leaves PostgreSQL's index table vacuumed and analysed (backends.settle):
the candidate plan is chosen from ANALYZE's statistics, and counts skip the pages VACUUM marked
all-visible. The server's autovacuum may be off (it is on the bench machine) or minutes away."""

import pytest
from django.core.management import call_command
from django.db import connection

from shpalta.news import factories
from shpalta.search.backends import get_backend
from shpalta.search.backends import postgres as pg

pytestmark = [
    pytest.mark.django_db(transaction=True),  # VACUUM runs outside any transaction
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's VACUUM only"),
]


@pytest.fixture(autouse=True)
def _empty_index_after():
    """A transactional test's flush empties the models' tables, not the index's own."""
    yield
    get_backend().clear()


def table_state() -> tuple[int, int, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpages, relallvisible, reltuples FROM pg_class "
            "WHERE relname = 'search_document' AND relnamespace = current_schema()::regnamespace"
        )
        return cursor.fetchone()


def test_the_reindex_command_vacuums_and_analyses_the_index():
    for n in range(40):
        factories.article(f"Новина {n} про енергетику", body="<p>Довгий текст. </p>" * 20)
    call_command("reindex", "--quiet-progress", verbosity=0)  # TRUNCATE: new, unvisited pages
    pages, all_visible, rows = table_state()
    assert pages > 0 and all_visible == pages  # VACUUM's visibility map
    assert rows == 40  # ANALYZE's (and VACUUM's) row count
    assert pg.index_size() == 40  # not a count remembered from before the rebuild
    assert "енергетика" in pg.lemma_statistics()["vector"][0]


def test_settle_does_nothing_inside_a_transaction():
    from django.db import transaction

    with transaction.atomic():
        assert get_backend().settle() is False


def test_a_large_bulk_run_settles_the_index_too(monkeypatch):
    from shpalta.changes import receivers
    from shpalta.news.models import Article
    from shpalta.news.signals import bulk_finished

    monkeypatch.setattr(receivers, "SEARCH_SETTLE_MIN", 30)
    get_backend().clear()  # TRUNCATE: a new file, no page known to be all-visible
    for n in range(40):
        factories.article(f"Імпорт {n} про енергетику", body="<p>Довгий текст. </p>" * 20)
    assert table_state()[1] == 0
    bulk_finished.send(sender=Article, article_ids=[1, 2, 3])  # a small run: left alone
    assert table_state()[1] == 0
    bulk_finished.send(
        sender=Article, article_ids=list(Article.objects.values_list("pk", flat=True))
    )
    pages, all_visible, rows = table_state()
    assert pages > 0 and all_visible == pages and rows == 40
