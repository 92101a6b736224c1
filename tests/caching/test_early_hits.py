"""Page-cache hits answered early, before sessions and authentication, for requests that can
only be anonymous: the same page and headers as the whole stack gives, never for an editor."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shpalta.news import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.SHPALTA_PAGE_CACHE = True


def reader_with_session() -> Client:
    """An anonymous reader who has a session (it holds something, so it is kept as it is):
    the early answer is not for them, the whole stack serves their hits."""
    session = SessionStore()
    session["seen"] = 1
    session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def fetched(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, len(queries.captured_queries)


@pytest.mark.parametrize("path", ["article", "/", "/feed/", "/api/articles"])
def test_an_early_hit_is_the_same_page_with_the_same_headers_as_a_full_stack_hit(path):
    article = factories.article("Новина дня", body="<p>Текст.</p>")
    path = article.get_absolute_url() if path == "article" else path
    Client().get(path)  # stored
    early, early_queries = fetched(Client(), path)
    full, full_queries = fetched(reader_with_session(), path)
    assert early.status_code == full.status_code == 200
    if early.get("X-Page-Cache") is None:  # not stored at all (an unscoped API answer)
        assert full.get("X-Page-Cache") is None
        return
    assert early["X-Page-Cache"] == full["X-Page-Cache"] == "hit"
    # At most the version row (read by the first requests after a change); the full stack
    # reads the session as well.
    assert early_queries <= 1 and early_queries < full_queries
    assert dict(early.headers) == dict(full.headers)
    assert early.content == full.content
    for name in ("Content-Security-Policy", "X-Frame-Options", "Content-Length", "ETag"):
        assert early[name]
    assert "Cookie" in early["Vary"] and "public" in early["Cache-Control"]


def test_an_early_hit_answers_a_conditional_request_as_the_full_stack_does():
    article = factories.article("Новина дня")
    path = article.get_absolute_url()
    etag = Client().get(path)["ETag"]
    early, early_queries = fetched(Client(), path, HTTP_IF_NONE_MATCH=etag)
    full, _ = fetched(reader_with_session(), path, HTTP_IF_NONE_MATCH=etag)
    assert early.status_code == full.status_code == 304
    assert early_queries <= 1
    assert dict(early.headers) == dict(full.headers)
    assert early["Content-Security-Policy"] and early.content == b""


def test_an_editor_with_a_session_never_gets_a_cached_page(staff_client):
    article = factories.article("Новина дня")
    path = article.get_absolute_url()
    Client().get(path)
    assert Client().get(path)["X-Page-Cache"] == "hit"
    for _ in range(2):
        response = staff_client.get(path)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]
    assert Client().get(path)["X-Page-Cache"] == "hit"  # nor did the editor's page get stored


def test_a_nul_byte_and_the_health_check_are_answered_before_the_cache():
    article = factories.article("Новина дня")
    path = article.get_absolute_url()
    Client().get(path)
    assert Client().get(path)["X-Page-Cache"] == "hit"
    assert Client().get(path + "?q=%00").status_code == 400
    assert Client().get("/healthz").status_code == 200
