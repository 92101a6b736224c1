"""The home page on a 375 px phone in Chromium: below the first screens the rubric sections'
cards are compact (a thumbnail beside the headline, no teaser), so the page is not dozens of
screens of full-width pictures."""

import pytest

from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site, watch_problems
from tests.ops.scratch import free_port

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
MOST_SCREENS = 14  # 23 with a full-width picture and teaser on every card


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    port = free_port()
    env = demo_site(tmp_path_factory.mktemp("phone-home"), port)
    with running_site(env, port, workers=1) as base:
        yield base


def test_section_cards_are_compact_on_a_phone_and_the_page_is_shorter(site, browser):
    context = browser.new_context(base_url=site, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    problems = watch_problems(page)
    page.goto("/", wait_until="networkidle")
    screens = page.evaluate("document.documentElement.scrollHeight") / PHONE["height"]
    print(f"home page at 375 px: {screens:.1f} screens")
    cards = page.locator(".home-section .card")
    assert cards.count() >= 12
    for i in range(cards.count()):
        card = cards.nth(i)
        assert not card.locator(".card__teaser").is_visible()
        picture = card.locator(".card__img")
        if picture.count():
            assert picture.bounding_box()["width"] < PHONE["width"] / 3
        assert card.locator(".card__title").is_visible()
    lead = page.locator(".home-lead .card--big .card__img")
    assert lead.bounding_box()["width"] > PHONE["width"] * 0.8  # the lead story stays big
    assert screens <= MOST_SCREENS
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "home-phone.png", full_page=True)
    assert problems == []
    context.close()
