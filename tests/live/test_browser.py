"""A reader with a live story open in real headless Chromium sees an editor's new entry: the
page offers «Нові оновлення: 1» within 20 s and a click shows it without a reload; with
JavaScript off, a reload shows it. The server is gunicorn with two workers and the page cache
on, so the entry must retire the story's cached page and feed in both workers."""

import time

import pytest

from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site, shpalta, watch_problems
from tests.ops.scratch import free_port

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    port = free_port()
    env = demo_site(tmp_path_factory.mktemp("live-site"), port)
    with running_site(env, port, workers=2) as base:
        yield base, env


def open_live_story(browser, base: str, **options):
    """From the home page's «Терміново» strip to the demo's live story."""
    context = browser.new_context(base_url=base, viewport=VIEWPORT, **options)
    page = context.new_page()
    problems = watch_problems(page)
    page.goto("/", wait_until="networkidle")
    page.locator(".breaking a").click()
    page.wait_for_load_state("networkidle")
    article_id = page.locator("[data-article-id]").get_attribute("data-article-id")
    return page, problems, article_id


def post(env: dict, article_id: str, text: str) -> None:
    done = shpalta(env, "live", "post", article_id, text)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_new_entry_is_offered_within_20_seconds_and_shown_on_click(site, browser):
    base, env = site
    page, problems, article_id = open_live_story(browser, base)
    page.evaluate("window.sameDocument = true")
    before = page.locator(".live-entry").count()
    reading = page.locator(".live-entry").nth(2)
    reading.scroll_into_view_if_needed()
    top = reading.bounding_box()["y"]

    posted_at = time.monotonic()
    post(env, article_id, "Нове оновлення з редакції: відбій тривоги")
    offer = page.get_by_role("button", name="Нові оновлення: 1")
    offer.wait_for(timeout=20_000)
    assert time.monotonic() - posted_at <= 20
    assert offer.is_visible()  # fixed to the window: seen though the reader scrolled down
    assert abs(reading.bounding_box()["y"] - top) < 1  # nothing moved under the reader
    assert page.locator(".live-entry").count() == before

    offer.click()
    newest = page.locator(".live-entry:not(.live-entry--important)").first
    assert newest.locator(".live-entry__text").inner_text() == (
        "Нове оновлення з редакції: відбій тривоги"
    )
    assert page.locator(".live-entry").count() == before + 1
    assert newest.is_visible() and newest.evaluate("e => e.getBoundingClientRect().top") >= 0
    assert page.evaluate("window.sameDocument") is True  # no reload
    assert offer.is_hidden()
    page.screenshot(path=ARTIFACTS / "live-page.png", full_page=True)
    assert problems == []


def test_without_javascript_a_reload_shows_the_new_entry(site, browser):
    base, env = site
    page, problems, article_id = open_live_story(browser, base, java_script_enabled=False)
    before = page.locator(".live-entry").count()
    post(env, article_id, "Оновлення для читачів без JavaScript")
    page.reload(wait_until="networkidle")
    assert page.locator(".live-entry").count() == before + 1
    assert page.get_by_text("Оновлення для читачів без JavaScript").is_visible()
    assert problems == []
