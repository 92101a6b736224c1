"""One related-list update per changed article per transaction, however many signals it sends."""

import pytest
from django.db import transaction

from shpalta.news import factories
from shpalta.news.models import Article

pytestmark = pytest.mark.django_db


def updated(enqueued) -> list[int]:
    return [args[0] for name, args in enqueued if name == "update_related"]


def test_saving_and_tagging_an_article_queues_one_update(
    django_capture_on_commit_callbacks, enqueued
):
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article("Новина", tags=["політика", "вибори"])
        other = factories.article("Інша")
        article.tags.add(factories.tag("економіка"))
    assert updated(enqueued) == [article.pk, other.pk]


def test_nothing_is_queued_before_the_commit(django_capture_on_commit_callbacks, enqueued):
    with django_capture_on_commit_callbacks() as callbacks:
        factories.article("Новина")
    assert callbacks and updated(enqueued) == []


def test_an_update_asked_for_in_a_rolled_back_savepoint_is_dropped_with_it(
    django_capture_on_commit_callbacks, enqueued
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.article("Відкликана")
            raise RuntimeError
        article = factories.article("Лишилася")
    assert updated(enqueued) == [article.pk]
    assert not Article.objects.filter(title="Відкликана").exists()


def test_an_update_queued_after_a_rolled_back_savepoint_is_kept(
    django_capture_on_commit_callbacks, enqueued
):
    """The article saved before the savepoint was asked for outside it: its update stays."""
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article("Лишилася")
        with pytest.raises(RuntimeError), transaction.atomic():
            article.tags.add(factories.tag("відкликаний"))
            raise RuntimeError
    assert updated(enqueued) == [article.pk]


def test_a_save_after_the_commit_queues_again(django_capture_on_commit_callbacks, enqueued):
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article("Новина")
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Оновлена"
        article.save()
    assert updated(enqueued) == [article.pk, article.pk]


def test_clearing_a_tags_articles_queues_each_of_them(django_capture_on_commit_callbacks, enqueued):
    """A reverse clear sends no ids with post_clear: they are taken before the rows go."""
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.article("Перша", tags=["вибори"])
        second = factories.article("Друга", tags=["вибори"])
        factories.article("Третя", tags=["економіка"])
    tag = first.tags.get()
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tag.articles.clear()
    assert sorted(updated(enqueued)) == sorted([first.pk, second.pk])


def test_deleting_a_tag_queues_its_articles(django_capture_on_commit_callbacks, enqueued):
    """The cascade removes the tag's rows without an m2m signal; the #tag: feature must go."""
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.article("Перша", tags=["вибори", "економіка"])
        second = factories.article("Друга", tags=["вибори"])
        factories.article("Третя", tags=["економіка"])
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first.tags.get(name="вибори").delete()
    assert sorted(updated(enqueued)) == sorted([first.pk, second.pk])


def test_deleting_an_article_refills_the_lists_that_showed_it(
    django_capture_on_commit_callbacks, enqueued
):
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.article("Вибори до парламенту", body="<p>Вибори до парламенту.</p>")
        second = factories.article(
            "Вибори до парламенту знову", body="<p>Вибори до парламенту.</p>"
        )
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    refills = [args[0] for name, args in enqueued if name == "refresh_related"]
    assert refills == [[second.pk]]
