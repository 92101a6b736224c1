import pytest

from shpalta.news.models import Article

from .stories import BRIDGE, FOOTBALL

pytestmark = pytest.mark.django_db


def test_the_api_answers_the_stored_list(client, publish):
    first, second, third = (publish(s) for s in BRIDGE)
    publish(FOOTBALL[0])
    body = client.get(f"/api/articles/{third.pk}/related").json()
    assert body["count"] == 2
    assert {item["id"] for item in body["items"]} == {first.pk, second.pk}
    item = body["items"][0]
    assert item["url"].startswith("/novyny/") and item["title"] and "published_at" in item
    assert 0 < item["score"] <= 1
    scores = [i["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_the_api_pages_the_list(client, publish):
    articles = [publish(s) for s in BRIDGE]
    body = client.get(f"/api/articles/{articles[0].pk}/related?page=2&page_size=1").json()
    assert body["count"] == 2 and len(body["items"]) == 1


def test_unpublished_or_unknown_articles_are_404(client, publish):
    draft = publish(BRIDGE[0], status=Article.Status.DRAFT)
    assert client.get(f"/api/articles/{draft.pk}/related").status_code == 404
    assert client.get("/api/articles/999999/related").status_code == 404
    assert client.get("/api/articles/abc/related").status_code == 422


def test_an_article_with_nothing_related_has_an_empty_list(client, publish):
    article = publish(BRIDGE[0])
    assert client.get(f"/api/articles/{article.pk}/related").json() == {"items": [], "count": 0}
