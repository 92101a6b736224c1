"""The database index answers as the rebuild's in-memory index does, from one query."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shpalta.related import store, streamed
from shpalta.related.conf import params
from shpalta.related.models import ArticleVector

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
