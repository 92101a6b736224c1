"""The article cover on a phone, in real Chromium: a 4000×3000 photo from the field (GPS and a
camera serial in its EXIF) becomes the cover of the newest demo story; at 375 px the browser
fetches an AVIF or WebP rendition of a width that fits the column, the cover is not lazy
(fetchpriority=high), nothing shifts (CLS 0), and far fewer bytes travel than the original's."""

import io
import json
import urllib.request

import pytest
from PIL import Image as PILImage

from tests.ads.test_browser import CLS_OBSERVER
from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site, shpalta, watch_problems
from tests.ops.scratch import free_port

from .images import jpeg, leaks

pytestmark = pytest.mark.browser

ATTACH = """
from pathlib import Path
from shpalta.news.models import Article
from shpalta.photos import library
data = Path({path!r}).read_bytes()
image, _ = library.add(data, "field.jpg", alt="Понтонний міст через Десну", credit="Ірина Мельник")
story = Article.objects.published().order_by("-published_at").first()
story.cover = image
story.save()
print(story.get_absolute_url())
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    data_dir = tmp_path_factory.mktemp("photos-browser")
    port = free_port()
    env = demo_site(data_dir, port, SHPALTA_PAGE_CACHE="0")
    original = data_dir / "field.jpg"
    original.write_bytes(jpeg(4000, 3000))
    done = shpalta(env, "shell", "-c", ATTACH.format(path=str(original)))
    assert done.returncode == 0, done.stdout + done.stderr
    with running_site(env, port, workers=2) as base:
        yield base, done.stdout.strip().splitlines()[-1], original.stat().st_size


def test_a_phone_gets_a_fitting_avif_or_webp_cover_and_nothing_shifts(site, browser):
    base, path, original_bytes = site
    context = browser.new_context(base_url=base, viewport={"width": 375, "height": 812})
    context.add_init_script(CLS_OBSERVER)
    page = context.new_page()
    problems = watch_problems(page)
    covers = []
    page.on("response", lambda r: "/img/" in r.url and "full-" in r.url and covers.append(r))
    page.goto(path, wait_until="networkidle")
    page.wait_for_timeout(500)

    cover = page.locator(".article__cover img")
    assert cover.get_attribute("fetchpriority") == "high" and cover.get_attribute("loading") is None
    shown = page.evaluate(
        """() => { const img = document.querySelector('.article__cover img');
                   const box = img.getBoundingClientRect();
                   return {src: img.currentSrc, natural: img.naturalWidth, width: box.width,
                           height: box.height}; }"""
    )
    name = shown["src"].rsplit("/", 1)[1]
    width = int(name.rsplit("-", 1)[1].split(".")[0])
    assert name.endswith((".avif", ".webp")), shown
    assert shown["width"] <= width <= 2 * shown["width"], shown  # fits the 343 px column
    assert shown["height"] == pytest.approx(shown["width"] * 3 / 4, abs=1)
    [fetched] = [r for r in covers if r.url == shown["src"]]
    body = fetched.body()
    assert fetched.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert leaks(body) == []
    assert PILImage.open(io.BytesIO(body)).size == (width, width * 3 // 4)
    assert len(body) * 10 <= original_bytes, (len(body), original_bytes)

    shifts = page.evaluate("window.__shifts")
    assert sum(s["value"] for s in shifts) == 0, shifts
    meta = page.locator('meta[property="og:image"]').get_attribute("content")
    assert "/social-50x50-1200.jpg" in meta
    assert page.locator('meta[name="robots"][content="max-image-preview:large"]').count() == 1
    data = json.loads(page.locator('script[type="application/ld+json"]').first.inner_text())
    assert any("/social-" in json.dumps(item) for item in [data])
    with urllib.request.urlopen(meta, timeout=10) as social:
        assert social.headers["Content-Type"] == "image/jpeg"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "photos-cover-375.png"))
    print(f"cover at 375 px: {name}, {len(body)} bytes; original {original_bytes} bytes")
    assert problems == []
    context.close()
