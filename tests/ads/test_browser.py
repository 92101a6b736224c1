"""Ad slots in real headless Chromium on a production server (gunicorn, DEBUG off, the demo's
house promos): an article with an inline and a sidebar slot shifts nothing (CLS 0) at 1280 and
375 px, every slot is labelled, and an impression counts once half the slot has been seen for
a second — not for a slot the reader never scrolled to."""

import json
import sqlite3
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site, shpalta, watch_problems
from tests.ops.scratch import free_port

pytestmark = pytest.mark.browser

READER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# Every layout shift the page makes, the ones right after input excluded (as CLS counts them).
CLS_OBSERVER = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push({
      value: entry.value,
      sources: (entry.sources || []).map(s => s.node ? (s.node.className || s.node.nodeName) : "")
    });
  }
}).observe({type: "layout-shift", buffered: true});
"""
SIZES = {"desktop": (1280, 900), "phone": (375, 812)}
# A story two days old in a rubric of its own, whose only "above the text" creative starts
# tomorrow: the page carries it, the script must not show it.
SCHEDULED_ONLY = """
from datetime import timedelta
from django.utils import timezone
from shpalta.ads.models import Creative, Placement
from shpalta.news import factories
rubric = factories.category("Рубрика з розкладом")
LEAD = " ".join(["Довгий виклад історії, щоб на телефоні її шапка зайняла весь екран."] * 8)
body = "".join(f"<p>Абзац {n} історії з рекламою, що почнеться завтра.</p>" for n in range(8))
factories.article("Історія з завтрашньою рекламою", body=body, category=rubric,
                  age=timedelta(days=2), lead=LEAD)
demo = Creative.objects.filter(name__endswith="(банер)").first()
later = Creative.objects.create(name="Завтрашній банер", image=demo.image, alt="Завтра",
                                url="https://advertiser.example/",
                                starts_at=timezone.now() + timedelta(days=1))
later.placements.set([Placement.objects.get(key="article_top")])
later.rubrics.set([rubric])
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    data_dir = tmp_path_factory.mktemp("ads-browser")
    port = free_port()
    env = demo_site(data_dir, port)
    done = shpalta(env, "shell", "-c", SCHEDULED_ONLY)
    assert done.returncode == 0, done.stdout + done.stderr
    with running_site(env, port, workers=2) as base:
        yield base, data_dir / "shpalta.sqlite3"


def newest_article(base: str) -> str:
    with urllib.request.urlopen(f"{base}/api/articles?page_size=1", timeout=5) as response:
        return json.load(response)["items"][0]["url"]


def impressions(database: Path) -> dict[int, int]:
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT creative_id, SUM(impressions) FROM ads_dailystats GROUP BY creative_id"
        ).fetchall()
    return {creative: count for creative, count in rows if count}


def wait_for(database: Path, wanted: int) -> dict[int, int]:
    deadline = time.monotonic() + 10
    while sum((seen := impressions(database)).values()) < wanted and time.monotonic() < deadline:
        time.sleep(0.1)
    return seen


@pytest.mark.parametrize("device", SIZES)
def test_an_article_with_inline_and_sidebar_slots_shifts_nothing(site, browser, device):
    base, _ = site
    width, height = SIZES[device]
    context = browser.new_context(
        base_url=base, viewport={"width": width, "height": height}, user_agent=READER
    )
    context.add_init_script(CLS_OBSERVER)
    page = context.new_page()
    problems = watch_problems(page)
    page.goto(newest_article(base), wait_until="load")
    for key in ("inline", "sidebar"):
        slot = page.locator(f'[data-ad-slot="{key}"]')
        assert slot.count() == 1, key
        assert slot.get_attribute("data-shown"), f"{key}: no creative chosen"
        assert slot.locator(".ad-slot__label").inner_text().strip().lower() == "реклама"
    # Down the whole page in steps, so every lazy banner loads, then back up.
    total = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, total + height, height // 2):
        page.mouse.wheel(0, height // 2)
        page.wait_for_timeout(120)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ads-article-{device}.png"), full_page=True)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('[data-ad-slot]')].map(slot => {
             const box = slot.querySelector('.ad-slot__box').getBoundingClientRect();
             const img = slot.querySelector('img');
             return {key: slot.dataset.adSlot, w: box.width, h: box.height,
                     loaded: !!img && img.complete && img.naturalWidth > 0,
                     style: slot.getAttribute('style')};
           })"""
    )
    for box in boxes:
        values = dict(part.split(":") for part in box["style"].rstrip(";").split(";"))
        ratio = int(values["--ad-w"]) / int(values["--ad-h"])
        if width <= 560:
            ratio = int(values["--ad-mw"]) / int(values["--ad-mh"])
        assert box["h"] == pytest.approx(box["w"] / ratio, abs=1), box
        assert box["loaded"], box
    shifts = page.evaluate("window.__shifts")
    assert sum(s["value"] for s in shifts) == 0, shifts
    assert problems == []
    context.close()


def visible_half(page, key: str) -> bool:
    return page.evaluate(
        """key => { const r = document.querySelector(`[data-ad-slot="${key}"] .ad-slot__box`)
                     .getBoundingClientRect();
                   const seen = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
                   return seen >= r.height / 2; }""",
        key,
    )


def test_an_impression_counts_once_seen_for_a_second(site, browser):
    base, database = site
    before = impressions(database)
    context = browser.new_context(
        base_url=base, viewport={"width": 1280, "height": 700}, user_agent=READER
    )
    page = context.new_page()
    page.goto(newest_article(base), wait_until="load")
    inline = page.locator('[data-ad-slot="inline"]')
    page.wait_for_timeout(1500)
    assert not visible_half(page, "inline")
    at_top = {k for k in ("sidebar", "inline", "article_bottom") if visible_half(page, k)}
    shown = {
        key: int(page.locator(f'[data-ad-slot="{key}"]').get_attribute("data-shown"))
        for key in ("sidebar", "inline", "article_bottom")
    }
    expected = {shown[key] for key in at_top}
    seen = wait_for(database, sum(before.values()) + len(expected))
    assert {c for c in seen if seen[c] > before.get(c, 0)} == expected

    # A glimpse shorter than a second is not an impression.
    inline.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(1500)
    assert impressions(database) == seen

    # Half the slot for a second is one.
    inline.scroll_into_view_if_needed()
    expected.add(shown["inline"])
    seen = wait_for(database, sum(before.values()) + len(expected))
    assert {c for c in seen if seen[c] > before.get(c, 0)} == expected

    # The same reader again (reloads rotate the creatives): never a creative counted twice.
    for _ in range(3):
        page.reload(wait_until="load")
        inline.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)
    time.sleep(0.5)
    after = impressions(database)
    assert all(after[c] - before.get(c, 0) == 1 for c in after if after[c] > before.get(c, 0))
    context.close()


@pytest.mark.parametrize("device", SIZES)
def test_a_slot_whose_creatives_have_not_started_stays_empty_and_shifts_nothing(
    site, browser, device
):
    """In view it keeps its reserved box (collapsing it would move what the reader sees);
    wholly below the screen it collapses, which moves nothing seen."""
    base, _ = site
    width, height = SIZES[device]
    context = browser.new_context(
        base_url=base, viewport={"width": width, "height": height}, user_agent=READER
    )
    context.add_init_script(CLS_OBSERVER)
    page = context.new_page()
    problems = watch_problems(page)
    page.goto(base + "/rubryka/rubryka-z-rozkladom/", wait_until="load")
    page.locator(".card a").first.click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    slot = page.locator('[data-ad-slot="article_top"]')
    assert slot.count() == 1
    assert slot.get_attribute("data-shown") is None
    assert slot.locator("img").count() == 0
    top = page.evaluate(
        """() => { const s = document.querySelector('[data-ad-slot="article_top"]');
                   return s.hidden ? null : s.getBoundingClientRect().top; }"""
    )
    header_bottom = page.evaluate(
        "document.querySelector('.article__header').getBoundingClientRect().bottom"
    )
    if device == "desktop":  # the slot starts within the first screen: kept, empty
        assert header_bottom < height
        assert top is not None and top < height
        box = slot.locator(".ad-slot__box").bounding_box()
        assert box["height"] == pytest.approx(box["width"] * 90 / 728, abs=1)
    else:  # the long lead fills the phone's screen: the slot is below it, collapsed
        assert header_bottom > height
        assert top is None
    page.mouse.wheel(0, height)
    page.wait_for_timeout(500)
    assert sum(s["value"] for s in page.evaluate("window.__shifts")) == 0
    assert problems == []
    context.close()
