"""The article page's right column is never an empty gap: in Chromium, before anyone has read
the site it lists the latest stories, and «Популярне» takes the place once views exist."""

import sqlite3

import pytest

from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site, shpalta, watch_problems
from tests.ops.scratch import free_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    data_dir = tmp_path_factory.mktemp("sidebar")
    port = free_port()
    env = demo_site(data_dir, port, SHPALTA_PAGE_CACHE="0", SHPALTA_POPULAR_CACHE_SECONDS="0")
    with sqlite3.connect(data_dir / "shpalta.sqlite3") as db:  # a site nobody has read yet
        db.execute("DELETE FROM popular_hourlyviews")
    with running_site(env, port, workers=1) as base:
        yield base, env


def sidebar(page):
    return page.get_by_role("complementary", name="Бічна панель")


def test_before_any_views_the_right_column_lists_the_latest_stories(site, browser):
    base, _ = site
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = watch_problems(page)
    page.goto("/", wait_until="networkidle")
    url = page.locator(".home-latest .card__title a").nth(2).get_attribute("href")
    page.goto(url, wait_until="networkidle")
    column = sidebar(page)
    assert column.locator(".popular").count() == 0
    latest = column.locator(".sidebar-latest")
    assert latest.get_by_role("heading").inner_text() == "Останні новини"
    links = latest.get_by_role("link")
    assert links.count() == 5
    assert url not in [links.nth(i).get_attribute("href") for i in range(5)]
    box = latest.bounding_box()
    assert box["height"] > 150 and box["width"] > 150  # seen, not an empty white gap
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "article-sidebar-latest.png")
    assert problems == []
    context.close()


def test_once_views_exist_popular_takes_the_place(site, browser):
    base, env = site
    done = shpalta(env, "load_demo")  # demo readers now that nobody has read the site
    assert done.returncode == 0, done.stdout + done.stderr
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/", wait_until="networkidle")
    page.locator(".home-latest .card__title a").nth(2).click()
    page.wait_for_load_state("networkidle")
    column = sidebar(page)
    assert column.locator(".sidebar-latest").count() == 0
    assert column.locator(".popular").get_by_role("heading").inner_text() == "Популярне"
    assert column.locator(".popular").get_by_role("link").count() == 5
    context.close()
