"""The search page in real headless Chromium on a phone-sized screen (production server)."""

from urllib.parse import urlencode

import pytest

from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site
from tests.ops.scratch import free_port

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
LONG_QUERIES = {
    "url": "https://example.com/novyny/2025/11/26/zelenskyi-prahne-vstupyty-do-nato?utm_source=x",
    "unbroken": "а" * 200,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    port = free_port()
    env = demo_site(tmp_path_factory.mktemp("search-browser-site"), port)
    with running_site(env, port, workers=1) as base:
        yield base


@pytest.mark.parametrize("name", LONG_QUERIES)
def test_a_long_query_that_finds_nothing_fits_a_phone_screen(site, browser, name):
    """A pasted URL made the page 512px wide on a 375px screen, 200 letters 2120px."""
    context = browser.new_context(base_url=site, viewport=PHONE)
    page = context.new_page()
    page.goto("/search/?" + urlencode({"q": LONG_QUERIES[name]}), wait_until="networkidle")
    assert "нічого не знайдено" in page.locator(".search-query-echo").inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"search-long-{name}-phone.png", full_page=True)
    context.close()
    assert overflow <= 0, f"the page is {overflow}px wider than the phone screen"
