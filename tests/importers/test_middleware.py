"""Old WordPress addresses with `?p=`-style queries: looked up where they can arrive, not on
every request that happens to carry a `tag` or `author` parameter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shpalta.importers import legacy
from shpalta.importers.models import LegacyURL
from shpalta.news import factories

LEGACY_TABLE = LegacyURL._meta.db_table


@pytest.fixture
def article(db):
    item = factories.article("Стаття зі старого блогу")
    legacy.remember(["/?p=42", "/blog/?p=43"], source="wxr:test", article=item)
    return item


def legacy_lookups(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [q["sql"] for q in captured if LEGACY_TABLE in q["sql"]]


def test_api_queries_with_tag_and_author_do_not_look_up_old_addresses(article, client):
    response, lookups = legacy_lookups(client, "/api/articles?tag=x&author=y")
    assert response.status_code == 200
    assert lookups == []


def test_home_and_blog_prefix_ids_still_redirect(article, client):
    for old in ("/?p=42", "/index.php?p=42", "/blog/?p=43"):
        response, lookups = legacy_lookups(client, old)
        assert response.status_code == 301, old
        assert response["Location"] == article.get_absolute_url()
        assert lookups, old


def test_the_home_page_with_an_unknown_id_is_the_home_page(article, client):
    assert client.get("/?p=999").status_code == 200
