"""Writes a crash may lose without harm (ops.writes.regenerable): on PostgreSQL their commit
does not wait for the WAL flush, the outer transaction's setting is never changed from inside,
and a reader's first view of a story keeps its page and «Більше подібного» items that way."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from shpalta.news import factories
from shpalta.ops.writes import regenerable

pytestmark = pytest.mark.django_db(transaction=True)
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's synchronous_commit"
)
RELAXED = "SET LOCAL synchronous_commit TO OFF"


def setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@on_postgres
def test_the_commit_does_not_wait_and_the_next_transaction_does():
    with regenerable("default"):
        assert setting() == "off"
    assert setting() == "on"
    with transaction.atomic():
        assert setting() == "on"


@on_postgres
def test_inside_an_open_transaction_the_outer_setting_stands():
    with transaction.atomic(), regenerable("default"):
        assert setting() == "on"


def test_a_failed_write_inside_is_rolled_back_as_atomic_would():
    story = factories.article("Новина")
    with pytest.raises(RuntimeError), regenerable("default"):
        story.title = "Змінено"
        story.save()
        raise RuntimeError
    story.refresh_from_db()
    assert story.title == "Новина"


@on_postgres
def test_a_first_view_keeps_its_page_and_items_without_waiting(client, settings):
    settings.SHPALTA_PAGE_CACHE = False
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
    settings.SHPALTA_STORED_PAGES = True
    body = "<p>Енергетики відновили живлення в області після нічної атаки.</p>"
    story = factories.article("Світло повернули", body=body)
    for n in range(3):
        factories.article(f"Світло повернули знову {n}", body=body)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.get_absolute_url()).status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    for table in ("news_storypage", "related_keptitem"):
        insert = next(n for n, each in enumerate(sql) if each.startswith(f'INSERT INTO "{table}"'))
        assert sql[insert - 1] == RELAXED, table
