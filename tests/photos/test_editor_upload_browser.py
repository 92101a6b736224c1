"""An editor uploads a photo through the text editor's «Завантажити фото» button in real
headless Chromium (production server, demo loaded): the figure lands in the text as a library
reference and the published story shows it through renditions, with no camera metadata."""

import pytest

from shpalta.newsroom.management.commands.demo_people import PASSWORD
from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site, shpalta, watch_problems
from tests.ops.scratch import free_port

from .images import jpeg, leaks

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    port = free_port()
    env = demo_site(tmp_path_factory.mktemp("photos-editor"), port, SHPALTA_PAGE_CACHE="0")
    people = shpalta(env, "demo_people")
    assert people.returncode == 0, people.stdout + people.stderr
    with running_site(env, port, workers=2) as base:
        yield base


def test_an_editor_uploads_a_photo_from_the_text_editor_and_the_story_shows_it(site, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = watch_problems(page)
    page.goto("/admin/login/")
    page.fill("#id_username", "redaktor")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")

    page.goto("/admin/news/article/add/")
    page.fill("#id_title", "Паводок на Десні")
    text = page.locator(".ProseMirror[contenteditable=true]").first
    text.click()
    page.keyboard.type("Вода піднялася за ніч.")
    page.get_by_role("button", name="Завантажити фото").click()
    dialog = page.locator("dialog.photos-upload[open]")
    dialog.get_by_label("Файл фото").set_input_files(
        {"name": "field.jpg", "mimeType": "image/jpeg", "buffer": jpeg(2400, 1600)}
    )
    dialog.get_by_role("button", name="Завантажити й вставити").click()
    assert "Додайте опис для незрячих" in dialog.get_by_role("alert").inner_text()
    dialog.get_by_label("Опис для незрячих").fill("Затоплена вулиця в Чернігові")
    dialog.get_by_label("Підпис").fill("Вулиця Шевченка зранку")
    dialog.get_by_label("Автор фото").fill("Ірина Мельник")
    dialog.get_by_role("button", name="Завантажити й вставити").click()
    text.locator("figure img").wait_for()
    assert page.locator("dialog.photos-upload[open]").count() == 0
    assert "Вулиця Шевченка зранку" in text.locator("figure").inner_text()
    page.screenshot(path=ARTIFACTS / "photos-editor-upload.png", full_page=True)

    page.select_option("#id_status", "published")
    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()
    assert page.locator(".errornote").count() == 0
    with page.expect_navigation():
        page.locator("a.viewsitelink").click()
    figure = page.locator(".article__body figure.article__figure")
    assert figure.count() == 1
    assert figure.locator('source[type="image/avif"]').count() == 1
    image = figure.locator("img")
    assert image.get_attribute("alt") == "Затоплена вулиця в Чернігові"
    caption = figure.locator("figcaption").inner_text()
    assert "Вулиця Шевченка зранку" in caption and "Фото: Ірина Мельник" in caption
    image.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.article__figure img').naturalWidth > 0")
    served = page.request.get(
        page.evaluate("document.querySelector('.article__figure img').currentSrc")
    )
    assert served.ok and leaks(served.body()) == []
    assert problems == []
