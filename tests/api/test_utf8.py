"""The API answers UTF-8 JSON: Cyrillic travels as itself, not as `\\uXXXX` escapes."""

import pytest

from shpalta.news import factories

pytestmark = pytest.mark.django_db

TITLE = "Київ готується до зими"
UTF8_JSON = "application/json; charset=utf-8"


def test_an_article_title_is_raw_utf8_in_the_response_bytes(client):
    article = factories.article(TITLE, tags=["Енергетика"])
    for path in ("/api/articles", f"/api/articles/{article.pk}"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == UTF8_JSON
        assert TITLE.encode() in response.content
        assert "Енергетика".encode() in response.content
        assert b"\\u" not in response.content


@pytest.mark.parametrize("path", ["/api/", "/api/nothing-here", "/api/articles/999999"])
def test_the_not_found_answers_say_utf8_too(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == UTF8_JSON
