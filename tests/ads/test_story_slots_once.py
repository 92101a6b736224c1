"""A kept story page's four ad-slot holes each ask for the "ads" key part (ads.story_slots):
it is worked out once per request, with no query after the first."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from shpalta.ads.templatetags.ads import story_slots
from shpalta.news import factories, fragments

from .conftest import banner, migrated_placements

pytestmark = pytest.mark.django_db


def _request():
    request = RequestFactory().get("/")
    fragments.use_version(request, "v-story-slots")
    return request


def test_the_slots_are_worked_out_once_per_request(settings):
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 0  # no version-held inventory: each read queries
    cache.clear()
    migrated_placements()
    banner("Скрізь", places=("inline", "sidebar"))
    story = factories.article(title="Новина дня")
    request = _request()
    first = story_slots(request, story, [])
    with CaptureQueriesContext(connection) as later:
        again = [story_slots(request, story, []) for _ in range(3)]
    assert first and all(each is first for each in again)
    assert len(later) == 0
    with CaptureQueriesContext(connection) as fresh:
        assert story_slots(_request(), story, []) == first
    assert len(fresh) > 0  # another request works them out anew
