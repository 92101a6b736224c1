"""A publish shows through the shipped nginx microcache within its stated lifetime (issue 18)."""

import time

import pytest

from shpalta.news import factories
from shpalta.news.models import Article

from .nginx_site import fetch, microcache_seconds, nginx_in_front

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, tmp_path, settings):
    settings.SHPALTA_PAGE_CACHE = True
    with nginx_in_front(live_server.url.removeprefix("http://"), tmp_path) as base:
        yield base


def seconds_until(condition, limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    pytest.fail(f"not seen within {limit:.1f} s")


@pytest.mark.parametrize("change", ["publish", "edit", "unpublish"])
def test_a_change_is_visible_through_nginx_within_the_lifetime(site, change):
    lifetime = microcache_seconds()
    story = factories.article(
        "Перша редакція",
        status=Article.Status.DRAFT if change == "publish" else Article.Status.PUBLISHED,
    )
    factories.article("Інша новина")
    home, page = site + "/", site + story.get_absolute_url()
    for _ in range(2):  # both stored in nginx
        fetch(home), fetch(page)
    assert fetch(home).cache == "HIT"
    if change == "publish":
        story.publish()
        seen = lambda: "Перша редакція" in fetch(home).text  # noqa: E731
    elif change == "edit":
        story.title = "Друга редакція"
        story.save()
        seen = lambda: "Друга редакція" in fetch(home).text and "Друга редакція" in fetch(page).text  # noqa: E731
    else:
        story.unpublish()
        seen = lambda: "Перша редакція" not in fetch(home).text and fetch(page).status == 404  # noqa: E731
    # A stored copy lives `lifetime`, then the next request renders the new version: allow
    # one render on a busy machine on top.
    took = seconds_until(seen, lifetime + 2)
    assert took <= lifetime + 2
