"""End to end in real headless Chromium against a real production server (gunicorn, DEBUG off).

The server runs in a subprocess on its own SQLite database, with the seed scrape imported the
way an editor would (`shpalta import text`), so this checks what a reader really gets: static
files through whitenoise, no console errors, and a copy-link button that copies the canonical URL.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES, SEED, need_shared

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
BIN = Path(sys.executable).parent
SEED_TITLE = "Зеленський прагне вступити до НАТО до завершення президентства Байдена"
DEMO_TITLE = "Міст Патона: у столиці показали план ремонту та обмежень руху"
MONTHS = "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня"
UKRAINIAN_DATE = re.compile(rf"^\d{{1,2}} ({MONTHS}) \d{{4}}, \d{{2}}:\d{{2}}$")

# Used only while `shpalta import text` is missing: title = first line, body = the paragraphs
# up to the first line of page chrome.
FALLBACK_IMPORT = """
from shpalta.news import factories
lines = [line.strip() for line in open({path!r}, encoding="utf-8").read().splitlines()]
body = []
for line in lines[1:]:
    if line.startswith("spot_img") or line == "Популярне":
        break
    if line:
        body.append("<p>" + line + "</p>")
factories.article(lines[0], body="".join(body))
"""


def need_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: apt-get install -y chromium"
    if REQUIRE_SERVICES:
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shpalta(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "shpalta"), *args], env=env, capture_output=True, text=True, timeout=120
    )


def import_seed(env: dict, seed: Path) -> None:
    result = shpalta(env, "import", "text", str(seed))
    if "Unknown command: 'import'" in result.stderr:
        result = shpalta(env, "shell", "-c", FALLBACK_IMPORT.format(path=str(seed)))
    assert result.returncode == 0, result.stdout + result.stderr


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server did not answer {url} within 30 s: {log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A gunicorn server with DEBUG off, the seed article imported; yields its base URL."""
    need_chromium()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # its own SQLite site: in the PostgreSQL run of the suite the inherited database URL would
    # point this server (and the demo content) at the shared, real database
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    env = clean | {
        "DJANGO_SETTINGS_MODULE": "shpalta.settings",
        "SHPALTA_DATA_DIR": str(tmp_path_factory.mktemp("browser-site")),
        "SHPALTA_SECRET_KEY": "browser-test-secret-key-not-for-production",
        "SHPALTA_DEBUG": "0",
        "SHPALTA_SITE_URL": base,
    }
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_demo"]):
        done = shpalta(env, *step)
        assert done.returncode == 0, done.stdout + done.stderr
    import_seed(env, need_shared(SEED))
    log = Path(env["SHPALTA_DATA_DIR"]) / "server.log"
    command = [str(BIN / "gunicorn"), "shpalta.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"]
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"{base}/healthz", server, log)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, base: str, **context_options):
    """A page that records every console error, uncaught exception and failed request."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        base_url=base, permissions=["clipboard-read", "clipboard-write"], **context_options
    )
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"exception: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    return page, problems


def test_the_seed_article_page_works_and_copies_its_canonical_url(site, browser):
    page, problems = open_page(browser, site, viewport={"width": 1280, "height": 900})
    page.goto("/")
    page.screenshot(path=ARTIFACTS / "home-page.png", full_page=True)
    page.get_by_role("link", name=SEED_TITLE).first.click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == SEED_TITLE
    assert "/novyny/zelenskyi-prahne-vstupyty-do-nato" in page.url
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == page.url and canonical.startswith(site + "/novyny/")
    assert page.locator(".article__body p").count() == 5
    assert UKRAINIAN_DATE.match(page.locator(".article__byline time").inner_text())
    assert "spot_img" not in page.content()

    page.get_by_role("button", name="Копіювати посилання").click()
    page.get_by_role("status").get_by_text("Скопійовано").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == canonical

    page.screenshot(path=ARTIFACTS / "article-page.png", full_page=True)
    assert problems == []


def test_the_article_page_fits_a_phone_screen(site, browser):
    page, problems = open_page(
        browser, site, viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    page.goto("/")
    page.get_by_role("link", name=SEED_TITLE).first.click()
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone screen"
    page.screenshot(path=ARTIFACTS / "article-page-phone.png", full_page=True)
    assert problems == []


def test_a_demo_article_shows_its_cover_byline_and_tags(site, browser):
    page, problems = open_page(browser, site, viewport={"width": 1280, "height": 900})
    page.goto("/")
    page.get_by_role("link", name=DEMO_TITLE).first.click()
    page.wait_for_load_state("networkidle")
    cover = page.locator(".article__cover img")
    assert cover.evaluate("img => img.complete && img.naturalWidth") == 1200
    assert "Київ" in cover.get_attribute("alt")
    assert page.locator(".article__byline a[rel=author]").inner_text() == "Марта Кравець"
    assert page.locator(".tags a").count() == 4
    page.screenshot(path=ARTIFACTS / "demo-article-page.png", full_page=True)
    assert problems == []
