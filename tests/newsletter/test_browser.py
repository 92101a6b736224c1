"""Subscribing in real headless Chromium on a production server (gunicorn, DEBUG off): the
form on the home page, the letter on a real SMTP server, the confirmation page's button."""

import re

import pytest

from tests.conftest import need_chromium
from tests.live_site import demo_site, running_site, watch_problems
from tests.ops.scratch import free_port

from .smtpserver import SMTPServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    smtp = SMTPServer().start()
    port = free_port()
    env = demo_site(
        tmp_path_factory.mktemp("newsletter-browser"),
        port,
        SHPALTA_EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        SHPALTA_EMAIL_FROM="Шпальта <news@example.com>",
    )
    try:
        with running_site(env, port, workers=2) as base:
            yield base, smtp.mailbox
    finally:
        smtp.stop()


def test_a_reader_subscribes_from_the_home_page_and_confirms(site, browser):
    base, mailbox = site
    page = browser.new_context(base_url=base).new_page()
    problems = watch_problems(page)
    page.goto("/")
    form = page.locator(".newsletter-form")
    form.get_by_label("Ваша електронна адреса").fill("chytach.novyi@example.com")
    form.get_by_role("button", name="Підписатися").click()
    page.wait_for_url("**/newsletter/subscribe/")
    assert page.locator("h1").inner_text() == "Перевірте пошту"
    [letter] = mailbox.to("chytach.novyi@example.com")
    link = re.search(r"http://127\.0\.0\.1:\d+/newsletter/confirm/\S+/", letter.get_content())
    page.goto(link.group(0))
    page.get_by_role("button", name="Підтвердити підписку").click()
    assert page.locator("h1").inner_text() == "Підписку підтверджено"
    assert problems == []


def test_the_article_page_carries_the_form_beside_the_story(site, browser):
    base, _ = site
    page = browser.new_context(base_url=base).new_page()
    problems = watch_problems(page)
    page.goto("/")
    page.locator(".home-latest .card__title a").first.click()
    assert page.locator("aside .newsletter-form button").is_visible()
    assert problems == []
