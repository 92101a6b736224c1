"""The site version changes once per transaction for an article and its relations, after the
commit, and a change that a later transaction (or a surviving savepoint) makes is never lost."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from shpalta.caching import versioning
from shpalta.news import factories
from shpalta.related.signals import lists_changed

pytestmark = pytest.mark.django_db


def version_updates(queries) -> int:
    return sum(
        1 for q in queries if q["sql"].startswith("UPDATE") and "caching_siteversion" in q["sql"]
    )


def test_saving_an_article_with_tags_and_authors_updates_the_version_once(
    django_capture_on_commit_callbacks,
):
    tag, author = factories.tag("політика"), factories.author("Авторка")
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        article = factories.article("Новина")
        article.tags.set([tag])
        article.authors.set([author])
    assert version_updates(queries.captured_queries) == 1


def test_the_version_changes_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    before = versioning.current().token
    with django_capture_on_commit_callbacks() as callbacks:
        factories.article("Новина")
        assert versioning.current().token == before
    for callback in callbacks:
        callback()
    assert versioning.current().token != before


def test_tags_changed_in_a_later_transaction_change_the_version(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article("Новина")
        tag = factories.tag("інший")
    before = versioning.current().token
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.add(tag)
    assert versioning.current().token != before


def test_tags_changed_after_a_rolled_back_save_change_the_version(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        article, tag = factories.article("Новина"), factories.tag("інший")
    before = versioning.current().token
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.category("Відкликана")
            raise RuntimeError
        article.tags.add(tag)
    assert versioning.current().token != before


def test_a_rubric_author_or_tag_edited_alone_changes_the_version(
    django_capture_on_commit_callbacks,
):
    for make in (factories.category, factories.author, factories.tag):
        before = versioning.current().token
        with django_capture_on_commit_callbacks(execute=True):
            make("Нова назва")
        assert versioning.current().token != before, make


def test_related_lists_changed_in_the_background_change_the_version(
    django_capture_on_commit_callbacks,
):
    before = versioning.current().token
    with django_capture_on_commit_callbacks(execute=True):
        lists_changed.send(sender=None)
    assert versioning.current().token != before
