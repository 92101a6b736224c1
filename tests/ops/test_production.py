"""`shpalta serve` as deployed: gunicorn, hashed static files, JSON logs, and a CSP that blocks
inline script while the admin's rich-text editor and the pages' JSON-LD keep working.

One server for the module, on its own database of the suite's engine (SQLite or PostgreSQL,
plus Redis when the suite has it), with the demo content loaded.
"""

import json
import re
import signal
from pathlib import Path

import pytest

from .scratch import (
    env_for,
    fetch,
    free_port,
    scratch_database,
    shpalta,
    start,
    wait_for_http,
    wait_until,
)

EDITOR = ("redaktorka", "correct-horse-battery-staple")
CREATE_EDITOR = (
    "from django.contrib.auth.models import User; "
    f"User.objects.create_superuser({EDITOR[0]!r}, 'r@example.com', {EDITOR[1]!r})"
)


class Site:
    def __init__(self, base: str, log: Path, process):
        self.base = base
        self.log = log
        self.process = process

    def get(self, path: str, **headers):
        return fetch(self.base + path, **headers)

    def log_lines(self) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_blocker):
    tmp = tmp_path_factory.mktemp("serve")
    with django_db_blocker.unblock(), scratch_database(tmp) as url:
        env = env_for(url, tmp)
        shpalta("migrate", "--noinput", "-v0", env=env)
        shpalta("load_demo", env=env)
        shpalta("shell", "-v0", "-c", CREATE_EDITOR, env=env)
        base = f"http://127.0.0.1:{free_port()}"
        bind = base.removeprefix("http://")
        log = tmp / "serve.log"
        process = start(
            "serve", "--bind", bind, "--workers", "1", "--threads", "2", env=env, log=log
        )
        try:
            wait_for_http(base + "/healthz", timeout=60)
            yield Site(base, log, process)
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(30)
            assert code == 0, log.read_text()[-3000:]


def test_serve_answers_health_with_every_configured_service(site, settings):
    status, _, body = site.get("/healthz")
    answer = json.loads(body)
    assert status == 200
    assert answer["status"] == "ok" and answer["database"] == "ok"
    if settings.REDIS_URL:
        assert answer["redis"] == "ok"


def test_static_files_are_hashed_compressed_and_cached_for_ever(site):
    _, _, html = site.get("/")
    css = re.search(rb'href="(/static/shpalta/site\.[0-9a-f]{12}\.css)"', html)
    assert css, "the home page links the hashed stylesheet"
    status, headers, body = site.get(css.group(1).decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1)) >= 31536000


def test_every_log_line_is_a_json_object_and_requests_are_logged(site):
    site.get("/?logged=1")

    def logged():
        records = [json.loads(line) for line in site.log_lines() if line.startswith("{")]
        return [r for r in records if r["logger"] == "gunicorn.access" and r["query"] == "logged=1"]

    # the access line is written once the answer has gone out: give it a moment
    access = wait_until(logged, 10, "the access log line")
    assert access[0]["status"] == 200 and access[0]["path"] == "/"
    other = [line for line in site.log_lines() if not line.startswith("{")]
    # collectstatic's one progress line is the only plain text; everything logged is JSON.
    assert all(line.startswith("збираю статичні файли") for line in other), other
    assert {"time", "level", "message", "duration_ms"} <= set(access[0])


def test_security_headers_are_set_by_the_production_server(site):
    _, headers, _ = site.get("/")
    csp = headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


# --- in a real browser ------------------------------------------------------------------


WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
    e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


def csp_page(browser, site):
    context = browser.new_context(base_url=site.base)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    console = []
    page.on("console", lambda m: m.type == "error" and console.append(m.text))
    page.on("response", lambda r: r.status >= 400 and console.append(f"{r.status} {r.url}"))
    return page, console


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


@pytest.mark.browser
def test_reader_pages_break_no_rule_and_keep_their_json_ld(site, browser):
    page, console = csp_page(browser, site)
    page.goto("/")
    page.locator("main a[href^='/novyny/']").first.click()
    page.wait_for_load_state("networkidle")
    json_ld = page.locator("script[type='application/ld+json']")
    assert json_ld.count() >= 1
    assert any(json.loads(text).get("@type") for text in json_ld.all_text_contents())
    assert violations(page) == []
    assert console == []


@pytest.mark.browser
def test_an_injected_inline_script_is_refused(site, browser):
    page, _ = csp_page(browser, site)
    page.goto("/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__pwned = true"; document.body.append(s); }"""
    )
    assert page.evaluate("window.__pwned === undefined")
    assert any(v.startswith("script-src") for v in violations(page))


@pytest.mark.browser
def test_the_admin_rich_text_editor_works_under_the_policy(site, browser):
    page, console = csp_page(browser, site)
    page.goto("/admin/login/?next=/admin/news/article/add/")
    page.fill("#id_username", EDITOR[0])
    page.fill("#id_password", EDITOR[1])
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/news/article/add/")
    editor = page.locator(".ProseMirror[contenteditable=true]").first
    editor.wait_for(timeout=15000)
    page.fill("#id_title", "Стаття з редактора під CSP")
    editor.click()
    page.keyboard.type("Перший абзац, набраний у редакторі.")
    with page.expect_navigation():
        page.locator("input[name=_save]").first.click()
    assert "/admin/news/article/" in page.url and "/add/" not in page.url
    page.get_by_role("link", name="Стаття з редактора під CSP").first.click()
    saved = page.locator("textarea[name=body]").input_value()
    assert "<p>Перший абзац, набраний у редакторі.</p>" in saved
    assert violations(page) == []
    assert console == []
