from datetime import timedelta

import pytest
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article

pytestmark = pytest.mark.django_db


def test_the_list_is_paginated_newest_first_in_the_brief_shape(client):
    for n in range(5):
        factories.article(f"Новина {n}", age=timedelta(hours=n))
    response = client.get("/api/articles?page=2&page_size=2")
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 5
    assert [item["title"] for item in body["items"]] == ["Новина 2", "Новина 3"]


def test_an_item_has_the_promised_fields(client):
    article = factories.article("Поля", category=factories.category("Політика"), tags=["НАТО"])
    item = client.get("/api/articles").json()["items"][0]
    assert item["id"] == article.pk
    assert item["url"] == article.get_absolute_url()
    assert item["category"]["name"] == "Політика"
    assert item["tags"][0]["name"] == "НАТО"
    assert item["published_at"].startswith(str(article.published_at.year))


def test_readers_never_see_drafts_or_scheduled_articles(client):
    draft = factories.article("Чернетка", status=Article.Status.DRAFT)
    future = factories.article("Пізніше", published_at=timezone.now() + timedelta(days=1))
    assert client.get("/api/articles").json()["count"] == 0
    for hidden in (draft, future):
        response = client.get(f"/api/articles/{hidden.pk}")
        assert response.status_code == 404
        assert "detail" in response.json()


def test_one_article_carries_its_body(client):
    article = factories.article("Повна", body="<p>Текст.</p>")
    body = client.get(f"/api/articles/{article.pk}").json()
    assert body["body"] == "<p>Текст.</p>"
    assert body["title"] == "Повна"


@pytest.mark.parametrize(
    "query", ["page=0", "page=100001", "page_size=0", "page_size=101", "page=abc"]
)
def test_bad_paging_is_a_clear_422(client, query):
    response = client.get(f"/api/articles?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_the_schema_is_published(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/articles" in schema["paths"]
    assert "/api/articles/{article_id}" in schema["paths"]


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/articles/1/extra", "/api/docs/x"])
def test_an_unknown_api_path_answers_the_json_error_shape(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("path", ["/api/", "/api"])
def test_the_api_root_is_a_json_404_naming_the_docs(client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found. The API is described at /api/docs"}


def test_a_post_to_an_unknown_api_path_is_a_json_404_too(client):
    response = client.post("/api/nothing-here", {"a": "b"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
