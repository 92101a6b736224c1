"""With the fragments in a cache shared by processes (Redis), each process keeps its own copy
of what it read (news.fragments, the `local` cache): no round trip per part of a page, never
stale (the key holds the version), and never kept past the shared entry's lifetime."""

import time

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from shpalta.news import fragments

SHARED = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t-shared"}
LOCAL = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t-local"}


@pytest.fixture
def two_levels(settings):
    settings.CACHES = {"default": SHARED, fragments.LOCAL_CACHE: LOCAL}
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
    for alias in settings.CACHES:
        caches[alias].clear()
    yield caches["default"], caches[fragments.LOCAL_CACHE]
    for alias in settings.CACHES:
        caches[alias].clear()


def reader(token="v1"):
    request = RequestFactory().get("/")
    fragments.use_version(request, token)
    return request


class Renders:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def test_a_part_read_once_is_served_from_the_process_own_copy(two_levels):
    shared, local = two_levels
    render = Renders("<p>меню</p>")
    assert fragments.cached(reader(), "menu", (), render) == "<p>меню</p>"
    key = fragments.key("v1", "menu", ())
    shared.delete(key)  # the shared cache is not asked again
    assert fragments.cached(reader(), "menu", (), render) == "<p>меню</p>"
    assert render.calls == 1


def test_another_process_takes_the_shared_entry_without_rendering(two_levels):
    shared, local = two_levels
    fragments.cached(reader(), "rubrics", (), Renders(["Політика", "Спорт"]))
    local.clear()  # another process: nothing of its own yet
    render = Renders(["інше"])
    assert fragments.cached(reader(), "rubrics", (), render) == ["Політика", "Спорт"]
    assert render.calls == 0
    assert local.get(fragments.key("v1", "rubrics", ())) == ["Політика", "Спорт"]


def test_a_new_version_is_a_new_key_in_both(two_levels):
    fragments.cached(reader("v1"), "menu", (), Renders("старе"))
    render = Renders("нове")
    assert fragments.cached(reader("v2"), "menu", (), render) == "нове"
    assert render.calls == 1


def test_the_copy_lapses_with_the_shared_entry_not_later(two_levels):
    shared, local = two_levels
    key = fragments.key("v1", "popular", ())
    shared.set(key, fragments.Stored(time.time() + 1.5, "<ol>старий рейтинг</ol>"), 2)
    assert fragments.cached(reader(), "popular", (), Renders("-")) == "<ol>старий рейтинг</ol>"
    time.sleep(2.1)
    render = Renders("<ol>новий рейтинг</ol>")
    assert fragments.cached(reader(), "popular", (), render) == "<ol>новий рейтинг</ol>"
    assert render.calls == 1


def test_values_are_copies_a_caller_may_change(two_levels):
    fragments.cached(reader(), "ads", (), Renders({"slots": [1, 2]}))
    first = fragments.cached(reader(), "ads", (), Renders(None))
    first["slots"].append(3)
    assert fragments.cached(reader(), "ads", (), Renders(None)) == {"slots": [1, 2]}


def test_without_a_local_alias_the_shared_cache_alone_serves(settings):
    settings.CACHES = {"default": SHARED}
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
    caches["default"].clear()
    render = Renders("<nav>меню</nav>")
    for _ in range(3):
        assert fragments.cached(reader(), "menu", (), render) == "<nav>меню</nav>"
    assert render.calls == 1
    caches["default"].clear()
