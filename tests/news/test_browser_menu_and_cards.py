"""In Chromium at desktop and phone widths: headlines lead their cards (larger than the
teaser), and the top menu marks the rubric the reader is in, on its page and on its stories."""

import pytest

from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site, watch_problems
from tests.ops.scratch import free_port

pytestmark = pytest.mark.browser

FONT_SIZE = "e => parseFloat(getComputedStyle(e).fontSize)"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    port = free_port()
    env = demo_site(tmp_path_factory.mktemp("menu-cards"), port)
    with running_site(env, port, workers=1) as base:
        yield base


@pytest.mark.parametrize("width", [1280, 375])
def test_every_cards_headline_is_larger_than_its_teaser(site, browser, width):
    context = browser.new_context(base_url=site, viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = watch_problems(page)
    page.goto("/", wait_until="networkidle")
    cards = page.locator("article.card:has(.card__teaser)")
    assert cards.count() > 10
    for i in range(cards.count()):
        card = cards.nth(i)
        title = card.locator(".card__title").evaluate(FONT_SIZE)
        teaser = card.locator(".card__teaser").evaluate(FONT_SIZE)
        assert title > teaser, (i, title, teaser)
    assert problems == []
    context.close()


def test_the_menu_marks_the_current_rubric_on_its_page_and_its_stories(site, browser):
    context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = watch_problems(page)
    page.goto("/", wait_until="networkidle")
    menu = page.get_by_role("navigation", name="Рубрики")
    assert menu.locator("a[aria-current]").count() == 0  # the home page is in no rubric
    first = menu.get_by_role("link").first
    name, colour = first.inner_text(), first.evaluate("e => getComputedStyle(e).color")
    first.click()
    page.wait_for_load_state("networkidle")
    current = menu.locator("a[aria-current]")
    assert current.count() == 1
    assert current.inner_text() == name
    assert current.get_attribute("aria-current") == "page"
    assert current.evaluate("e => getComputedStyle(e).color") != colour  # seen, not just read
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "menu-current-rubric.png")
    page.locator("main .card__title a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("article .article__body").count() == 1
    story = menu.locator("a[aria-current]")
    assert story.count() == 1
    assert story.inner_text() == name
    assert story.get_attribute("aria-current") == "true"
    assert problems == []
    context.close()
