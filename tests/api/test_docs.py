"""The API's docs page (Swagger UI) under the site's Content-Security-Policy.

The policy allows scripts from our own origin only, so the page must load Swagger UI from our
static files (django-ninja ships them) with no inline script, and must work offline.
"""

import re

import pytest
from django.conf import settings

from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site, watch_problems
from tests.ops.scratch import free_port

ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.S)


def test_the_docs_page_loads_only_local_static_files(client):
    response = client.get("/api/docs")
    html = response.content.decode()
    assets = ASSET.findall(html)
    assert response.status_code == 200
    assert {"ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"} <= {
        url.removeprefix(settings.STATIC_URL) for url in assets
    }
    assert all(url.startswith(settings.STATIC_URL) for url in assets), assets
    assert "cdn" not in html.lower()


def test_the_docs_page_has_no_inline_script_only_its_json_settings(client):
    """A `type="application/json"` block is data: CSP does not apply to it, nothing runs it."""
    html = client.get("/api/docs").content.decode()
    assert INLINE_SCRIPT.findall(html) == [' type="application/json" id="swagger-settings"']


def test_the_docs_page_asks_no_third_party_validator(client):
    html = client.get("/api/docs").content.decode()
    assert '"validatorUrl": null' in html


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Gunicorn with DEBUG off and collected (hashed, compressed) static files."""
    need_chromium()
    port = free_port()
    env = demo_site(tmp_path_factory.mktemp("docs-site"), port)
    with running_site(env, port, workers=1) as base:
        yield base


@pytest.mark.browser
def test_swagger_ui_renders_every_operation_with_no_csp_violation(site, browser):
    context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = watch_problems(page)
    external = []
    page.on("request", lambda r: r.url.startswith(site) or external.append(r.url))
    # Violations are reported to the page as events; console errors cover them too, but the
    # event names the directive.
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )

    page.goto("/api/docs", wait_until="networkidle")
    page.locator(".opblock").first.wait_for()
    paths = page.evaluate("fetch('/api/openapi.json').then(r => r.json())")["paths"]
    operations = sum(len(methods) for methods in paths.values())

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "api-docs.png", full_page=True)
    assert page.locator(".opblock").count() == operations > 0
    assert page.locator(".opblock-summary-path", has_text="/api/articles").count() >= 1
    assert page.evaluate("window.__csp") == []
    assert problems == [] and external == []
    context.close()
