"""The article list's filters, the taxonomy lists, the error shape and CORS."""

import math
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import override_settings
from django.utils import timezone
from ninja.errors import Throttled

from shpalta.api.api import api
from shpalta.news import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    politics = factories.category("Політика", description="Влада")
    sport = factories.category("Спорт")
    writer = factories.author("Олена Пчілка", bio="Письменниця")
    now = timezone.now()
    return {
        "politics": politics,
        "writer": writer,
        "now": now,
        "old": factories.article(
            "Вибори минулого року", category=politics, tags=["вибори"], age=timedelta(days=400)
        ),
        "fresh": factories.article(
            "Вибори цього тижня",
            category=politics,
            tags=["вибори", "рада"],
            authors=[writer],
            age=timedelta(days=2),
        ),
        "match": factories.article("Фінал кубка", category=sport, age=timedelta(hours=1)),
    }


def titles(client, query):
    response = client.get(f"/api/articles?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return [item["title"] for item in body["items"]]


def test_filters_narrow_the_list(client, newsroom):
    assert titles(client, "category=polityka") == ["Вибори цього тижня", "Вибори минулого року"]
    assert titles(client, "tag=rada") == ["Вибори цього тижня"]
    assert titles(client, "author=olena-pchilka") == ["Вибори цього тижня"]
    assert titles(client, "category=sport&tag=vybory") == []
    assert titles(client, "category=nemaie") == []


def test_a_category_lists_the_rubrics_below_it_as_its_page_does(client, newsroom):
    local = factories.category("Місцева влада", parent=newsroom["politics"])
    district = factories.category("Районна влада", parent=local)
    factories.article("Сесія райради", category=district, age=timedelta(days=1))
    assert titles(client, "category=polityka") == [
        "Сесія райради", "Вибори цього тижня", "Вибори минулого року",
    ]  # fmt: skip
    assert titles(client, "category=raionna-vlada") == ["Сесія райради"]


def test_a_tag_on_several_articles_lists_each_once(client, newsroom):
    assert titles(client, "tag=vybory") == ["Вибори цього тижня", "Вибори минулого року"]


def test_date_range_filters(client, newsroom):
    week_ago = (newsroom["now"] - timedelta(days=7)).isoformat()
    day_ago = (newsroom["now"] - timedelta(days=1)).isoformat()
    assert titles(client, f"published_after={quote(week_ago)}") == [
        "Фінал кубка",
        "Вибори цього тижня",
    ]
    assert titles(client, f"published_before={quote(day_ago)}") == [
        "Вибори цього тижня",
        "Вибори минулого року",
    ]
    both = f"published_after={quote(week_ago)}&published_before={quote(day_ago)}"
    assert titles(client, both) == ["Вибори цього тижня"]


def test_search_text_filters_the_list_through_the_search_index(client, newsroom):
    """Any inflected form matches (виборів finds «Вибори»); the list stays newest first."""
    assert titles(client, "q=виборів") == ["Вибори цього тижня", "Вибори минулого року"]
    assert titles(client, "q=кубок&category=sport") == ["Фінал кубка"]
    assert titles(client, "q=кубок&category=polityka") == []
    assert titles(client, "q=космодром") == []


@pytest.mark.parametrize(
    "query",
    [
        "published_after=0.5",
        "published_after=2025-13-01T00:00:00Z",
        "published_after=yesterday",
        "category=не%20slug",
        "q=",
        "page=100001",
    ],
)
def test_bad_filters_are_a_422_in_the_one_error_shape(client, query):
    response = client.get(f"/api/articles?{query}")
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"].startswith("Invalid request.")
    assert body["errors"] and {"loc", "msg", "type"} <= set(body["errors"][0])


@pytest.mark.parametrize("query", ["q=%0B", "q=%20%20", "q=%0B%0A"])
def test_search_text_without_visible_characters_filters_nothing(client, newsroom, query):
    """The schema allows any non-empty string, so such text is accepted, not refused."""
    response = client.get(f"/api/articles?{query}")
    assert response.status_code == 200
    assert response.json()["count"] == 3


@pytest.mark.parametrize("query", ["q=%00", "q=%00%0A", "tag=%00", "%00=1"])
def test_a_nul_byte_is_refused_before_the_api(client, newsroom, query):
    """shpalta.ops.nul answers first (PostgreSQL refuses NUL in text), in the API's shape."""
    response = client.get(f"/api/articles?{query}")
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}


def test_an_extreme_but_valid_time_does_not_overflow(client, newsroom):
    response = client.get("/api/articles?published_before=9999-12-31T23:59:59-23:59")
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_an_id_beyond_any_database_is_a_422_and_a_missing_one_a_404(client):
    too_big = client.get(f"/api/articles/{2**70}")
    assert too_big.status_code == 422
    missing = client.get("/api/articles/987654")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}


def test_taxonomy_lists(client, newsroom):
    categories = client.get("/api/categories").json()
    assert categories["count"] == 2
    politics = next(c for c in categories["items"] if c["slug"] == "polityka")
    assert politics == {
        "id": newsroom["politics"].pk,
        "name": "Політика",
        "slug": "polityka",
        "url": "/rubryka/polityka/",
        "description": "Влада",
        "parent_id": None,
    }
    tags = client.get("/api/tags?page_size=1").json()
    assert tags["count"] == 2 and len(tags["items"]) == 1
    authors = client.get("/api/authors").json()
    assert authors["items"][0]["name"] == "Олена Пчілка"
    assert authors["items"][0]["bio"] == "Письменниця"


def test_a_server_error_answers_json_in_the_same_shape(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("shpalta.api.taxonomy.paginate", broken)
    response = client.get("/api/categories")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error."}


@pytest.mark.parametrize(
    ("wait", "detail"),
    [
        (30, "Забагато запитів. Зачекайте 30 секунд і спробуйте знову."),
        (1, "Забагато запитів. Зачекайте 1 секунду й спробуйте знову."),
        (2.5, "Забагато запитів. Зачекайте 3 секунди й спробуйте знову."),
        (None, "Забагато запитів."),
    ],
)
def test_throttled_requests_answer_429_in_the_same_shape(client, monkeypatch, wait, detail):
    """In Ukrainian with its plural forms, as the search page's 429 is."""

    def limited(*args, **kwargs):
        raise Throttled(wait=wait)

    monkeypatch.setattr("shpalta.api.taxonomy.paginate", limited)
    response = client.get("/api/tags")
    assert response.status_code == 429
    assert response.json() == {"detail": detail}
    if wait:
        assert response["Retry-After"] == str(math.ceil(wait))


def test_every_operation_documents_the_error_answers(client):
    schema = client.get("/api/openapi.json").json()
    assert {"ErrorOut", "ValidationErrorOut"} <= set(schema["components"]["schemas"])
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert {"422", "429", "500"} <= set(operation["responses"]), path
            if "{" in path:
                assert "404" in operation["responses"], path


def test_cors_opens_reads_to_any_origin(client):
    response = client.get("/api/articles", HTTP_ORIGIN="https://aggregator.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/articles",
        HTTP_ORIGIN="https://aggregator.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_cors_is_not_granted_to_pages_or_writes(client):
    assert "Access-Control-Allow-Origin" not in client.get("/robots.txt")
    post = client.post("/api/articles", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in post


@override_settings(DEBUG=False)
def test_the_api_object_is_the_one_serving_the_schema():
    assert api.get_openapi_schema()["info"]["title"] == "Shpalta API"
