"""The beacon in real headless Chromium against a production server (gunicorn, DEBUG off):
a page view counts once, a reload does not, and the counts feed the `Популярне` block."""

import sqlite3
import time
from pathlib import Path

import pytest

from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site
from tests.ops.scratch import free_port

pytestmark = pytest.mark.browser

READER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    data_dir = tmp_path_factory.mktemp("popular-browser")
    port = free_port()
    env = demo_site(
        data_dir,
        port,
        SHPALTA_PAGE_CACHE="0",
        SHPALTA_POPULAR_CACHE_SECONDS="0",
        SHPALTA_HTTP_MAX_AGE="0",  # the browser must not reuse the block-less home page
        SHPALTA_VIEWS_FLUSH_SECONDS="1",  # the journal reaches the database every second
    )
    database = data_dir / "shpalta.sqlite3"
    with sqlite3.connect(database) as db:  # the demo's readers: this test counts from zero
        db.execute("DELETE FROM popular_hourlyviews")
    with running_site(env, port, workers=2) as base:
        yield base, database


def views(database: Path, article_id: int) -> int:
    with sqlite3.connect(database) as db:
        row = db.execute(
            "SELECT COALESCE(SUM(views), 0) FROM popular_hourlyviews WHERE article_id = ?",
            [article_id],
        ).fetchone()
    return row[0]


def wait_for_views(database: Path, article_id: int, wanted: int) -> int:
    deadline = time.monotonic() + 15
    while (seen := views(database, article_id)) < wanted and time.monotonic() < deadline:
        time.sleep(0.1)
    return seen


def test_a_reader_counts_once_and_the_block_shows_it(site, browser):
    base, database = site
    context = browser.new_context(base_url=base, user_agent=READER)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/")
    assert page.locator(".popular").count() == 0  # nothing read yet: no block at all
    links = page.locator(".home-latest .card__title a")
    first_url, second_url = links.nth(0).get_attribute("href"), links.nth(1).get_attribute("href")

    page.goto(first_url)
    first_id = int(page.locator("script[data-article]").get_attribute("data-article"))
    assert wait_for_views(database, first_id, 1) == 1
    page.reload()
    page.goto(second_url)
    second_id = int(page.locator("script[data-article]").get_attribute("data-article"))
    assert wait_for_views(database, second_id, 1) == 1
    time.sleep(2.5)  # the reload's beacon has been through a flush by now
    assert views(database, first_id) == 1

    # Another reader (another browser) counts too; the block on the second article's page
    # then lists the first article, and the home page gets its own block.
    other = browser.new_context(base_url=base, user_agent=READER.replace("131", "130"))
    other.new_page().goto(first_url)
    assert wait_for_views(database, first_id, 2) == 2
    page.goto(second_url)
    block = page.locator("aside .popular")
    assert block.get_by_role("heading").inner_text() == "Популярне"
    assert block.locator("a").first.get_attribute("href") == first_url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "popular-article-block.png", full_page=True)
    page.goto("/")
    assert page.locator(".popular--home a").first.get_attribute("href") == first_url
    page.screenshot(path=ARTIFACTS / "popular-home-block.png", full_page=True)
    assert problems == []
