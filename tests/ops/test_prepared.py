"""Prepared querysets (ops.prepared): compiled once, run with new values, the same rows,
instances and SQL as the plain queryset, on whichever thread runs them."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article, Author
from shpalta.news.views import STORY_AUTHORS, STORY_BY_SLUG, STORY_TAGS
from shpalta.ops.prepared import Prepared, Slot
from shpalta.related.models import RelatedLink
from shpalta.related.queries import STORED_LIST

pytestmark = pytest.mark.django_db


def fields(obj) -> dict:
    """Every loaded column of an instance (deferred ones are left out, as they were not read)."""
    deferred = obj.get_deferred_fields()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.attname not in deferred}  # fmt: skip


def compiled(queryset) -> str:
    return queryset.query.get_compiler(using="default").as_sql()[0]


def unbracketed(sql: str) -> str:
    return sql.replace("(%s)", "%s")


@pytest.fixture
def stories():
    politics = factories.category("Політика")
    writers = [factories.author("Олена Петренко"), factories.author("Андрій Коваль")]
    now = timezone.now()
    out = factories.article("Вийшла вчора", category=politics, authors=writers,
                            tags=["НАТО", "США"], published_at=now - timedelta(days=1))  # fmt: skip
    later = factories.article("Вийде завтра", category=politics, authors=writers[:1],
                              published_at=now + timedelta(days=1))  # fmt: skip
    draft = factories.article("Чернетка", status=Article.Status.DRAFT, tags=["НАТО"])
    return out, later, draft


def test_the_story_query_finds_what_the_publishing_rule_lets_readers_see(stories):
    out, later, draft = stories
    now = timezone.now()
    for story in (out, later, draft):
        plain = Article.objects.published().select_related("category", "cover")
        expected = list(plain.filter(slug=story.slug)[:1])
        got = STORY_BY_SLUG(slug=story.slug, now=now)
        assert [fields(a) for a in got] == [fields(a) for a in expected]
        assert [a.category and a.category.name for a in got] == [
            a.category and a.category.name for a in expected
        ]
    assert [a.pk for a in STORY_BY_SLUG(slug=out.slug, now=now)] == [out.pk]
    assert STORY_BY_SLUG(slug=later.slug, now=now) == []  # scheduled: not yet
    assert STORY_BY_SLUG(slug=draft.slug, now=now) == []  # a draft: never
    # The time is a value of each call, prepared for the database as a lookup would.
    tomorrow = now + timedelta(days=2)
    assert [a.pk for a in STORY_BY_SLUG(slug=later.slug, now=tomorrow)] == [later.pk]


def test_the_prepared_sql_is_what_django_compiles_for_the_plain_queryset(stories):
    """Save that Django puts an expression's placeholder in brackets: `= (%s)`."""
    out, _, _ = stories
    story = Article.objects.published().select_related("category", "cover", "stored_page")
    story = story.filter(slug="x")[:1]
    assert unbracketed(STORY_BY_SLUG.sql()) == compiled(story)
    assert unbracketed(STORY_AUTHORS.sql()) == compiled(out.authors.all())
    assert unbracketed(STORY_TAGS.sql()) == compiled(out.tags.all())


def test_authors_and_tags_equal_the_related_managers(stories):
    for story in stories:
        authors = STORY_AUTHORS(story=story.pk)
        assert [fields(a) for a in authors] == [fields(a) for a in story.authors.all()]
        tags = STORY_TAGS(story=story.pk)
        assert [fields(t) for t in tags] == [fields(t) for t in story.tags.all()]
    assert [a.name for a in STORY_AUTHORS(story=stories[0].pk)] == [
        "Андрій Коваль",
        "Олена Петренко",
    ]


def test_a_stored_list_reads_as_the_plain_queryset_with_its_joined_stories(stories):
    out, later, draft = stories
    other = factories.article("Ще одна", published_at=timezone.now() - timedelta(hours=3))
    RelatedLink.objects.create(article=out, related=other, rank=1, score=0.5)
    RelatedLink.objects.create(article=out, related=later, rank=0, score=0.9)
    links = STORED_LIST(article=out.pk)
    assert [(link.rank, link.related.title) for link in links] == [
        (0, "Вийде завтра"),
        (1, "Ще одна"),
    ]
    assert "body" in links[0].related.get_deferred_fields()  # only the card's columns read
    assert STORED_LIST(article=draft.pk) == []


def test_each_run_is_one_query_in_the_log(stories):
    with CaptureQueriesContext(connection) as queries:
        STORY_BY_SLUG(slug=stories[0].slug, now=timezone.now())
        STORY_AUTHORS(story=stories[0].pk)
    assert len(queries) == 2
    assert "news_author" in queries[1]["sql"]


@pytest.mark.django_db(transaction=True)
def test_a_query_compiled_on_one_thread_runs_on_anothers_connection():
    """gunicorn's threads each have their own connection: the kept compiler must not use the
    one of the thread that compiled it (SQLite refuses another thread's connection)."""
    writer = Author.objects.create(name="Ірина Бойко", slug="iryna-boiko")
    prepared = Prepared(lambda: Author.objects.filter(slug=Slot("slug", models.CharField())))
    assert [a.pk for a in prepared(slug="iryna-boiko")] == [writer.pk]
    seen, failures = [], []

    def other_thread():
        try:
            seen.append([a.name for a in prepared(slug="iryna-boiko")])
            seen.append(prepared(slug="nobody"))
        except Exception as error:  # noqa: BLE001 - reported to the test below
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert failures == []
    assert seen == [["Ірина Бойко"], []]


class RecordingRouter:
    """Sends reads to the primary and notes which models it was asked about."""

    asked: list = []

    def db_for_read(self, model, **hints):
        self.asked.append(model)
        return "default"


def test_reads_go_where_the_routers_send_the_plain_queryset(stories, settings):
    """A reader request reads from the replica (shpalta.db_router's router): a prepared query
    must ask the routers as the plain queryset does, not read the primary regardless."""
    settings.DATABASE_ROUTERS = [f"{__name__}.RecordingRouter"]
    RecordingRouter.asked.clear()
    found = STORY_BY_SLUG(slug=stories[0].slug, now=timezone.now())
    assert [a._state.db for a in found] == ["default"]
    assert Article in RecordingRouter.asked
