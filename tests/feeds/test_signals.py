"""The site version changes once per transaction for an article and its relations, and a
relation change that a later transaction (or a surviving savepoint) makes is never lost."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from shpalta.feeds import versioning
from shpalta.news import factories

pytestmark = pytest.mark.django_db


def version_updates(queries) -> int:
    return sum(
        1 for q in queries if q["sql"].startswith("UPDATE") and "feeds_siteversion" in q["sql"]
    )


def test_saving_an_article_with_tags_and_authors_updates_the_version_once():
    tag, author = factories.tag("політика"), factories.author("Авторка")
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        article = factories.article("Новина")
        article.tags.set([tag])
        article.authors.set([author])
    assert version_updates(queries.captured_queries) == 1


def test_tags_changed_in_a_later_transaction_change_the_version(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article("Новина")
        tag = factories.tag("інший")
    before = versioning.current().token
    article.tags.add(tag)
    assert versioning.current().token != before


def test_tags_changed_after_a_rolled_back_save_change_the_version():
    article, tag = factories.article("Новина"), factories.tag("інший")
    before = versioning.current().token
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.category("Відкликана")
            raise RuntimeError
        article.tags.add(tag)
    assert versioning.current().token != before
