"""«Останні новини» in the story page's sidebar (before any views are counted) is kept by the
stories it shows, not by the story beside it (issue 18): the archive's long tail shares one
block per version, and a story among the newest is left out of its own."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpRequest
from django.template import Context
from django.test.utils import CaptureQueriesContext

from shpalta.news import factories, fragments
from shpalta.popular.templatetags.popular import _items, latest_articles, popular_block

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_on(settings):
    global VERSION
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
    VERSION = uuid.uuid4().hex


VERSION = uuid.uuid4().hex  # a version no other test (nor an earlier run's cache) has seen


def beside(story) -> str:
    request = HttpRequest()
    fragments.use_version(request, VERSION)
    return popular_block(Context({"request": request}), exclude=story, latest_instead=True)


@pytest.fixture
def stories():
    return [factories.article(f"Новина {n}", age=timedelta(hours=n)) for n in range(10)]


def test_beside_an_old_story_the_five_newest(stories):
    html = beside(stories[9])
    assert html == _items("", latest_items=latest_articles(5, stories[9]))
    assert [f"Новина {n}<" in html for n in range(7)] == [True] * 5 + [False] * 2


def test_beside_one_of_the_newest_it_is_left_out(stories):
    beside(stories[9])
    html = beside(stories[2])
    assert html == _items("", latest_items=latest_articles(5, stories[2]))
    assert "Новина 2<" not in html and "Новина 5<" in html


def test_the_long_tail_shares_one_block(stories):
    first = beside(stories[8])
    with CaptureQueriesContext(connection) as captured:
        assert beside(stories[9]) == first
    # the ranking (no views yet) may be read; the stories are not
    assert not [q for q in captured.captured_queries if "popular_hourlyviews" not in q["sql"]]
