"""A fragment's key names the language and time zone its dates and words are written in; a
request works them out at its first fragment (news.fragments), not at every one."""

from django.utils import timezone, translation

from shpalta.news import fragments
from tests.news.test_fragments_held import parts_on, request_of  # noqa: F401 - the fixture too


def test_requests_in_another_language_or_time_zone_get_their_own_parts():
    token = "v-key-per-request"
    shown = []
    for language, zone, text in (
        ("uk", "Europe/Kyiv", "Київ"),
        ("en", "Europe/Kyiv", "Kyiv"),
        ("uk", "UTC", "UTC"),
        ("uk", "Europe/Kyiv", "знову"),
    ):
        with translation.override(language), timezone.override(zone):
            request = request_of(token)
            shown.append(fragments.cached(request, "date", (1,), lambda text=text: text))
            shown.append(fragments.cached(request, "date", (1,), lambda: "інше"))  # held
    assert shown == ["Київ", "Київ", "Kyiv", "Kyiv", "UTC", "UTC", "Київ", "Київ"]


def test_the_key_is_the_one_worked_out_without_a_request():
    request = request_of("v-key-same")
    fragments.cached(request, "menu", (3, True), lambda: "<li>меню</li>")
    assert fragments.key("v-key-same", "menu", (3, True)) in fragments._held.parts
    assert fragments.key("v-key-same", "menu", (3, True)).startswith("part:v-key-same:uk:")


def test_a_request_asks_for_its_language_and_time_zone_once(monkeypatch):
    asked = []
    real_language, real_zone = fragments.get_language, fragments.get_current_timezone_name
    monkeypatch.setattr(fragments, "get_language", lambda: asked.append(1) or real_language())
    monkeypatch.setattr(
        fragments, "get_current_timezone_name", lambda: asked.append(2) or real_zone()
    )
    request = request_of("v-asked-once")
    for n in range(5):
        fragments.cached(request, "card", (n,), lambda n=n: f"<p>{n}</p>")
    assert asked == [1, 2]
    fragments.cached(request_of("v-asked-once"), "card", (9,), lambda: "<p>9</p>")
    assert asked == [1, 2, 1, 2]  # the next request asks again
