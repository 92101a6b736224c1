"""One related-list update per changed article per transaction, however many signals it sends."""

import pytest
from django.db import transaction

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.related import signals


def queued(callbacks) -> list[int]:
    """The article ids the related app's commit callbacks will update."""
    return [
        article_id
        for callback in callbacks
        if isinstance(getattr(callback, "__self__", None), signals._Pending)
        for article_id in callback.__self__.article_ids
    ]


@pytest.mark.django_db
def test_saving_and_tagging_an_article_queues_one_update(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        article = factories.article("Новина", tags=["політика", "вибори"])
        other = factories.article("Інша")
        article.tags.add(factories.tag("економіка"))
    assert queued(callbacks) == [article.pk, other.pk]


@pytest.mark.django_db
def test_an_update_queued_after_a_rolled_back_savepoint_is_kept(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.article("Відкликана")
            raise RuntimeError
        article = factories.article("Лишилася")
    assert queued(callbacks) == [article.pk]
    assert not Article.objects.filter(title="Відкликана").exists()


@pytest.mark.django_db
def test_a_save_after_the_commit_queues_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article("Новина")
    with django_capture_on_commit_callbacks() as callbacks:
        article.title = "Оновлена"
        article.save()
    assert queued(callbacks) == [article.pk]


@pytest.mark.django_db
def test_clearing_a_tags_articles_queues_each_of_them(django_capture_on_commit_callbacks):
    """A reverse clear sends no ids with post_clear: they are taken before the rows go."""
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.article("Перша", tags=["вибори"])
        second = factories.article("Друга", tags=["вибори"])
        factories.article("Третя", tags=["економіка"])
    tag = first.tags.get()
    with django_capture_on_commit_callbacks() as callbacks:
        tag.articles.clear()
    assert sorted(queued(callbacks)) == sorted([first.pk, second.pk])


@pytest.mark.django_db
def test_deleting_a_tag_queues_its_articles(django_capture_on_commit_callbacks):
    """The cascade removes the tag's rows without an m2m signal; the #tag: feature must go."""
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.article("Перша", tags=["вибори", "економіка"])
        second = factories.article("Друга", tags=["вибори"])
        factories.article("Третя", tags=["економіка"])
    with django_capture_on_commit_callbacks() as callbacks:
        first.tags.get(name="вибори").delete()
    assert sorted(queued(callbacks)) == sorted([first.pk, second.pk])
