"""The shipped nginx microcache (deploy/nginx) in front of a live server: anonymous reader
pages are stored briefly; editors, previews, answers that set cookies or say private, POSTs
and the admin never are (issue 18). Debian's nginx, started here on a free port."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from shpalta.news import factories
from shpalta.news.models import Article

from .nginx_site import fetch, nginx_in_front

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, tmp_path, settings):
    settings.SHPALTA_PAGE_CACHE = True  # as deployed
    with nginx_in_front(live_server.url.removeprefix("http://"), tmp_path) as base:
        yield base


@pytest.fixture
def editor_cookie() -> str:
    user = get_user_model().objects.create_superuser("redaktor", "r@example.com", "pass-1234")
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_an_anonymous_page_is_stored_and_served_again(site):
    story = factories.article("Читачам")
    first = fetch(site + story.get_absolute_url())
    second = fetch(site + story.get_absolute_url())
    assert first.status == 200 and first.cache == "MISS"
    assert second.cache == "HIT" and second.body == first.body
    assert fetch(site + story.get_absolute_url(), method="HEAD").cache == "HIT"
    # Shpalta's own Cache-Control still reaches browsers and CDNs unchanged.
    assert "max-age=60" in second.headers["Cache-Control"]


def test_an_editors_request_is_never_answered_from_or_stored_in_the_cache(site, editor_cookie):
    story = factories.article("Для всіх")
    url = site + story.get_absolute_url()
    for _ in range(2):
        answer = fetch(url, Cookie=editor_cookie)
        assert answer.status == 200 and answer.cache == "BYPASS"
        assert "private" in answer.headers["Cache-Control"]
    # The editor's copy was not stored: the first reader goes to Shpalta.
    assert fetch(url).cache == "MISS"
    # And a page readers have cached is not what the editor gets.
    assert fetch(url).cache == "HIT"
    assert fetch(url, Cookie=editor_cookie).cache == "BYPASS"


def test_a_preview_is_never_stored(site, editor_cookie):
    draft = factories.article("Чернетка", status=Article.Status.DRAFT)
    url = f"{site}/peredohliad/{draft.pk}/"
    for _ in range(2):
        answer = fetch(url, Cookie=editor_cookie)
        assert answer.status == 200 and "Чернетка" in answer.text
        assert answer.cache == "BYPASS"
    for _ in range(2):  # a reader without the session: sent to log in, nothing from the cache
        answer = fetch(url)
        assert answer.status == 302 and answer.cache != "HIT"
        assert "Чернетка" not in answer.text


def test_a_private_or_no_cache_answer_is_never_stored(site):
    """/healthz says no-cache, no-store, private: Shpalta's Cache-Control is honoured."""
    answers = [fetch(site + "/healthz") for _ in range(3)]
    assert all(a.status == 200 for a in answers)
    assert [a.cache for a in answers] == ["MISS", "MISS", "MISS"]


@pytest.mark.urls("tests.deploy.cookie_urls")
def test_an_answer_that_sets_a_cookie_is_never_stored(site):
    first = fetch(site + "/sets-cookie/?who=a")
    second = fetch(site + "/sets-cookie/?who=a")
    assert first.headers["Set-Cookie"].startswith("reader=a")
    assert [first.cache, second.cache] == ["MISS", "MISS"]
    assert second.headers["Set-Cookie"].startswith("reader=a")


def test_posts_are_never_stored_nor_answered_from_the_cache(site):
    story = factories.article("Сторінка")
    url = site + story.get_absolute_url()
    page = fetch(url)
    assert page.cache == "MISS" and fetch(url).cache == "HIT"
    for _ in range(2):  # a POST to a cached page's address reaches Shpalta (nginx passes it by)
        answer = fetch(url, method="POST", data=b"x=1")
        assert answer.cache == "" and answer.status == 403  # Django's CSRF check answered
    after = fetch(url)  # and its answer did not take the page's place
    assert after.cache == "HIT" and after.body == page.body
    beacon = site + "/api/views"
    for _ in range(2):
        assert fetch(beacon, method="POST", data=b"{}").cache == ""


def test_the_admin_is_never_cached(site, editor_cookie):
    for headers in ({}, {"Cookie": editor_cookie}):
        for _ in range(2):
            answer = fetch(site + "/admin/login/", **headers)
            assert answer.cache == ""  # its own location, without the cache
            assert answer.status in {200, 302}
