"""What the search service loads for the page: only what the results list shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shpalta.news import factories
from shpalta.search import service

pytestmark = pytest.mark.django_db


def test_the_page_loads_no_authors_tags_or_html_body():
    factories.article(
        "НАТО і Київ",
        body="<p>Про НАТО.</p>",
        tags=["нато"],
        authors=[factories.author("Авторка")],
        category=factories.category("Світ"),
    )
    with CaptureQueriesContext(connection) as captured:
        found = service.search("НАТО", suggestions=False)
        article = found.results[0].article
        assert (article.category.name, str(found.results[0].title)) == (
            "Світ",
            "<mark>НАТО</mark> і Київ",
        )
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "news_author" not in sql and "news_tag" not in sql
    assert "body" in article.get_deferred_fields()


def test_a_caller_that_lists_authors_and_tags_gets_them_prefetched():
    factories.article("НАТО", tags=["нато"], authors=[factories.author("Авторка")])
    article = service.search("НАТО", suggestions=False, prefetch=("authors", "tags")).results[0]
    with CaptureQueriesContext(connection) as captured:
        names = [a.name for a in article.article.authors.all()]
        tags = [t.name for t in article.article.tags.all()]
    assert (names, tags, captured.captured_queries) == (["Авторка"], ["нато"], [])


def test_a_query_typed_on_the_latin_layout_is_searched_in_ukrainian_when_asked():
    factories.article("Київ готує бюджет", body="<p>Мер Києва представив бюджет.</p>")
    literal = service.search("rbtd")  # what the API does: the answer to what was asked
    assert (literal.count, literal.suggestion, literal.corrected_from) == (0, "київ", None)
    switched = service.search("rbtd", switch_layout=True)
    assert (switched.count, switched.suggestion, switched.corrected_from) == (1, None, "rbtd")
    assert switched.query.text == "Київ"  # as the article writes it mid-sentence
    assert str(switched.results[0].title) == "<mark>Київ</mark> готує бюджет"


def test_the_layout_is_not_switched_when_the_query_finds_something_as_typed():
    factories.article("Футбол: збірна перемогла", body="<p>Матч у Києві.</p>")
    factories.article("rbtd: a code name", body="<p>rbtd.</p>")
    found = service.search("rbtd", switch_layout=True)
    assert (found.count, found.corrected_from) == (1, None)
