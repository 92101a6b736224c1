"""A prepared queryset works out how its columns become Python values once per connection
(Django does it on every run), and the values still come out converted: aware datetimes,
booleans, from this thread's connection and from another's."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.news.views import STORY_BY_SLUG

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def counted(monkeypatch):
    """How many times Django's compiler worked converters out (Django's method, counted)."""
    calls = []
    original = SQLCompiler.get_converters

    def get_converters(self, expressions):
        calls.append(self.connection)
        return original(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", get_converters)
    return calls


def test_converters_are_worked_out_once_per_connection(counted):
    story = factories.article("Новина", published_at=timezone.now() - timedelta(hours=1))
    STORY_BY_SLUG(slug=story.slug, now=timezone.now())
    first = len(counted)
    for _ in range(5):
        (found,) = STORY_BY_SLUG(slug=story.slug, now=timezone.now())
    assert len(counted) == first
    assert timezone.is_aware(found.published_at)
    assert found.published_at == Article.objects.get(pk=story.pk).published_at


def test_another_threads_connection_gets_its_own_and_converts_alike(counted):
    story = factories.article("Новина", published_at=timezone.now() - timedelta(hours=1))
    (here,) = STORY_BY_SLUG(slug=story.slug, now=timezone.now())
    found, used = [], []

    def read():
        theirs = connections["default"]
        try:
            found.extend(STORY_BY_SLUG(slug=story.slug, now=timezone.now()))
            used.append(theirs)
        finally:
            theirs.close()

    before = len(counted)
    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert used and used[0] is not connections["default"]
    assert counted[before:] == [used[0]]  # worked out again, for that connection only
    (there,) = found
    assert there.published_at == here.published_at and timezone.is_aware(there.published_at)
    assert there.title == here.title
