"""The search page reads only the fields it shows of the found articles, by a query compiled
once per process: the same results as the full read, the publishing rule kept, and no field
read again later (a deferred field left out would cost a query per result)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.search import service

pytestmark = pytest.mark.django_db


def shown(page: service.SearchPage) -> list[tuple]:
    return [(r.article.pk, r.title, r.snippet, r.article.get_absolute_url(),
             r.article.category and r.article.category.get_absolute_url(),
             r.article.published_at) for r in page.results]  # fmt: skip


@pytest.fixture
def archive():
    politics = factories.category("Політика")
    for n in range(13):
        factories.article(
            f"Бюджет номер {n}",
            lead=f"Уряд ухвалив бюджет {n}.",
            body=f"<p>Депутати обговорили бюджет {n} і податки.</p>",
            category=politics if n % 2 else None,
            age=timedelta(hours=n),
        )
    factories.article("Бюджет чернетка", status=Article.Status.DRAFT)
    factories.article("Бюджет завтра", published_at=timezone.now() + timedelta(days=1))


@pytest.mark.parametrize("page", [1, 2])
def test_the_page_fields_give_the_same_results_as_the_full_read(archive, page):
    full = service.search("бюджет", page=page)
    lean = service.search("бюджет", page=page, fields=service.PAGE_FIELDS)
    assert shown(lean) == shown(full)
    assert len(lean.results) == (10 if page == 1 else 3)
    assert not {"Бюджет чернетка", "Бюджет завтра"} & {r.article.title for r in lean.results}


@pytest.mark.parametrize("count", [1, 4, 10])
def test_every_page_size_has_its_own_compiled_query(archive, count):
    full = service.search("бюджет", page_size=count)
    lean = service.search("бюджет", page_size=count, fields=service.PAGE_FIELDS)
    assert shown(lean) == shown(full) and len(lean.results) == count


def test_a_scheduled_story_appears_once_its_time_comes(archive, monkeypatch):
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    titles = [r.article.title for r in service.search("завтра", fields=service.PAGE_FIELDS).results]
    assert titles == ["Бюджет завтра"]


def test_the_page_reads_no_field_twice(client, archive):
    def queries(q: str) -> list[str]:
        client.get("/search/", {"q": q})  # warm: rubrics, rate limits, compiled queries
        with CaptureQueriesContext(connection) as run:
            html = client.get("/search/", {"q": q}).content.decode()
        assert "search-result__snippet" in html
        return [query["sql"] for query in run.captured_queries]

    one, ten = queries("Бюджет номер 5"), queries("бюджет")
    assert len(one) == len(ten)  # nothing per result: no deferred field is loaded afterwards
    assert sum(sql.startswith('SELECT "news_article"."id"') for sql in ten) == 1
