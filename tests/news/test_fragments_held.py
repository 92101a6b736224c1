"""Each process holds the HTML parts of the version it serves as they are (news.fragments):
a part is rendered once and then served without a cache read, until its time lapses or the
version moves on; other values still come as fresh copies."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from freezegun import freeze_time

from shpalta.news import fragments


@pytest.fixture(autouse=True)
def parts_on(settings):
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 60
    cache.clear()


def request_of(token: str):
    request = RequestFactory().get("/")
    fragments.use_version(request, token)
    return request


def counting(value):
    calls = []

    def render():
        calls.append(1)
        return value

    return render, calls


def test_a_part_is_rendered_once_and_then_held():
    render, calls = counting("<p>Картка</p>")
    request = request_of("v-held-1")
    assert fragments.cached(request, "card", (1,), render) == "<p>Картка</p>"
    cache.clear()  # what the process holds no longer needs the cache
    assert fragments.cached(request, "card", (1,), render) == "<p>Картка</p>"
    assert len(calls) == 1


def test_a_new_version_lets_the_old_parts_go():
    render, calls = counting("<p>Стара</p>")
    fragments.cached(request_of("v-old"), "card", (1,), render)
    old_key = fragments.key("v-old", "card", (1,))
    assert old_key in fragments._held.parts
    fragments.cached(request_of("v-new"), "card", (1,), counting("<p>Нова</p>")[0])
    assert old_key not in fragments._held.parts
    assert fragments.cached(request_of("v-new"), "card", (1,), render) == "<p>Нова</p>"


def test_a_held_part_lapses_with_the_cache_entry():
    render, calls = counting("<p>Частина</p>")
    with freeze_time("2026-12-03 12:00:00") as clock:
        fragments.cached(request_of("v-lapse"), "card", (2,), render)
        clock.tick(timedelta(seconds=30))
        fragments.cached(request_of("v-lapse"), "card", (2,), render)
        assert len(calls) == 1
        clock.tick(timedelta(seconds=31))
        cache.clear()  # the entry has lapsed in the cache too
        fragments.cached(request_of("v-lapse"), "card", (2,), render)
        assert len(calls) == 2


def test_other_values_come_as_fresh_copies():
    render, calls = counting(["перший", "другий"])
    first = fragments.cached(request_of("v-list"), "table", (), render)
    first.append("змінено запитом")
    again = fragments.cached(request_of("v-list"), "table", (), render)
    assert again == ["перший", "другий"]
    assert len(calls) == 1
    assert fragments.key("v-list", "table", ()) not in fragments._held.parts


def test_values_no_request_can_change_are_held_as_they_are():
    ids = frozenset({3, 5})
    render, calls = counting(ids)
    assert fragments.cached(request_of("v-set"), "live-ids", (), render) is ids
    assert fragments.cached(request_of("v-set"), "live-ids", (), render) is ids  # held
    assert len(calls) == 1
    assert fragments.key("v-set", "live-ids", ()) in fragments._held.parts


def test_model_instances_and_what_holds_a_list_come_as_fresh_copies():
    from shpalta.news.models import Tag

    for value in (Tag(pk=3, name="НАТО"), (1, [2]), frozenset({(1, 2)}) | {("a",)}):
        render, calls = counting(value)
        fragments.cached(request_of("v-copies"), "value", (id(value),), render)
        held = fragments.key("v-copies", "value", (id(value),)) in fragments._held.parts
        assert held == isinstance(value, frozenset), value


def test_the_held_parts_never_grow_past_the_bound(monkeypatch):
    monkeypatch.setattr(fragments, "HELD_MAX", 5)
    for n in range(12):
        fragments.cached(request_of("v-bound"), "card", (n,), lambda n=n: f"<p>{n}</p>")
        assert len(fragments._held.parts) <= 5
    assert fragments.cached(request_of("v-bound"), "card", (3,), lambda: "інше") == "<p>3</p>"
