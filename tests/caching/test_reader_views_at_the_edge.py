"""A reader view (`ops.anonymous.reader_view`: the story page) asked by a request that can only
be anonymous runs at the page cache's edge without the authentication, messages and history
middleware (caching.middleware._reader_stack), with the page cache off and on a first view:
the same page, status and headers as the whole stack gives a reader who has a session, on a
story, a missing story and an old address; a malformed CSRF cookie is replaced and a view that
asks for a CSRF token runs once and sets it, as through the whole stack; a reader with a
session cookie and other pages still go through the whole stack."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from shpalta.news import factories
from shpalta.news.models import OldSlug
from shpalta.ops.anonymous import reader_view
from tests.caching.test_early_hits import reader_with_session

pytestmark = pytest.mark.django_db(transaction=True)

# Set by the render's own time; the two answers may fall in different seconds.
TIMED = {"Last-Modified", "Date"}


@pytest.fixture(params=[False, True], ids=["cache off", "cache on"])
def page_cache(request, settings):
    settings.SHPALTA_PAGE_CACHE = request.param
    settings.SHPALTA_STORED_PAGES = True
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
    return request.param


def fetched(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"first": client is not None and id(client)})
    return response, " ".join(query["sql"] for query in queries.captured_queries)


def headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in TIMED}


@pytest.mark.parametrize("what", ["story", "missing", "old address"])
def test_a_reader_view_at_the_edge_answers_as_the_whole_stack_does(page_cache, what):
    story = factories.article("Новина дня", body="<p>Текст.</p>", tags=["НАТО"])
    path = {
        "story": story.get_absolute_url(),
        "missing": "/novyny/nemaie-takoi/",
        "old address": "/novyny/stara-adresa/",
    }[what]
    OldSlug.objects.create(article=story, slug="stara-adresa")
    Client().get(story.get_absolute_url())  # the story's page kept (news/stored.py)
    # a query string of each client's own: two first views, neither a page-cache hit
    edge, edge_read = fetched(Client(), path)
    full, full_read = fetched(reader_with_session(), path)
    assert edge.status_code == full.status_code == {"story": 200, "missing": 404}.get(what, 301)
    assert headers(edge) == headers(full)
    assert edge.content == full.content
    assert "Cookie" in edge["Vary"] and edge["X-Frame-Options"]
    # the edge read no session and made no lazy user; the whole stack read the reader's session
    assert Session._meta.db_table not in edge_read and Session._meta.db_table in full_read
    user = edge.wsgi_request.user
    assert type(user) is AnonymousUser and not hasattr(edge.wsgi_request, "_messages")
    assert not edge.cookies
    if page_cache and what == "story":
        assert edge["X-Page-Cache"] == full["X-Page-Cache"] == "miss"


def test_a_stored_first_view_at_the_edge_is_the_next_readers_hit(settings):
    settings.SHPALTA_PAGE_CACHE = True
    story = factories.article("Новина дня", body="<p>Текст.</p>")
    first = Client().get(story.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    again = Client().get(story.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_other_pages_and_editors_go_through_the_whole_stack(admin_client, settings):
    settings.SHPALTA_PAGE_CACHE = False
    story = factories.article("Новина дня", body="<p>Текст.</p>")
    home = Client().get("/")
    assert home.status_code == 200 and type(home.wsgi_request.user) is not AnonymousUser
    editor = admin_client.get(story.get_absolute_url())
    assert editor.status_code == 200 and editor.wsgi_request.user.is_staff
    assert "private" in editor["Cache-Control"]


def test_a_malformed_csrf_cookie_is_replaced_as_the_whole_stack_does(page_cache, settings):
    story = factories.article("Новина дня", body="<p>Текст.</p>")
    path = story.get_absolute_url()
    edge_client, full_client = Client(), reader_with_session()
    for client in (edge_client, full_client):
        client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 10  # neither 32 nor 64 characters
    edge, _ = fetched(edge_client, path)
    full, _ = fetched(full_client, path)
    assert edge.status_code == full.status_code == 200
    assert set(edge.cookies) == set(full.cookies) == {settings.CSRF_COOKIE_NAME}
    assert edge.get("X-Page-Cache") is None  # a page that sets a cookie is not stored


CALLS = []


@reader_view
def a_reader_view_with_a_form(request):
    CALLS.append(request.path)
    return HttpResponse(f"token {len(get_token(request))}")


urlpatterns = [path("form/", a_reader_view_with_a_form), path("", include("shpalta.urls"))]


def test_a_reader_view_that_asks_for_a_csrf_token_runs_once_and_sets_it(page_cache, settings):
    settings.ROOT_URLCONF = __name__
    CALLS.clear()
    response = Client().get("/form/")
    assert response.status_code == 200 and response.content == b"token 64"
    assert CALLS == ["/form/"]
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert response.get("X-Page-Cache") is None
