"""The newsroom in real headless Chromium on a production server (gunicorn, DEBUG off, the demo
loaded with one account per role): review from draft to publication, the edit lock, a refused
stale save, and a revision compared and restored."""

import re

import pytest

from shpalta.newsroom.management.commands.demo_people import PASSWORD
from tests.conftest import need_chromium
from tests.live_site import ARTIFACTS, demo_site, running_site, shpalta, watch_problems
from tests.ops.scratch import free_port

pytestmark = pytest.mark.browser
DEMO_TITLE = "Міст Патона: у столиці показали план ремонту та обмежень руху"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    port = free_port()
    env = demo_site(tmp_path_factory.mktemp("newsroom-site"), port)
    people = shpalta(env, "demo_people")
    assert people.returncode == 0, people.stdout + people.stderr
    with running_site(env, port, workers=2) as base:
        yield base


def log_in(browser, site, username):
    """A page of its own browser context, logged in to the admin as `username`."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = watch_problems(page)
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    return page, problems


def open_story(page, title):
    page.goto("/admin/news/article/")
    with page.expect_navigation():
        page.get_by_role("link", name=title, exact=True).first.click()
    page.locator(".ProseMirror[contenteditable=true]").first.wait_for()


def press(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).first.click()


def test_a_story_goes_from_author_to_review_back_and_to_publication(site, browser):
    author, author_problems = log_in(browser, site, "avtor")
    author.goto("/admin/news/article/add/")
    author.fill("#id_title", "Черга на перевірку")
    author.locator(".ProseMirror[contenteditable=true]").first.click()
    author.keyboard.type("Перший варіант тексту.")
    assert author.locator("#id_status").count() == 0  # an author cannot publish
    press(author, "Зберегти й надіслати на перевірку")
    assert "надіслано на перевірку" in author.locator(".messagelist").inner_text()

    editor, editor_problems = log_in(browser, site, "redaktor")
    editor.goto("/admin/news/article/?review=review")
    assert "На перевірці 1 стаття" in editor.content()
    editor.screenshot(path=ARTIFACTS / "newsroom-review-queue.png", full_page=True)
    open_story(editor, "Черга на перевірку")
    editor.fill("#id_return_comment", "Додайте коментар мерії.")
    press(editor, "Повернути на доопрацювання")

    open_story(author, "Черга на перевірку")
    note = author.locator(".newsroom-note").inner_text()
    assert "Чому повернуто" in note and "Додайте коментар мерії." in note
    author.locator(".ProseMirror[contenteditable=true]").first.click()
    author.keyboard.press("End")
    author.keyboard.type(" У мерії відповіли.")
    press(author, "Зберегти й надіслати на перевірку")

    open_story(editor, "Черга на перевірку")
    editor.select_option("#id_status", "published")
    with editor.expect_navigation():
        editor.locator("input[name=_save]").first.click()
    editor.goto("/")
    assert editor.get_by_role("link", name="Черга на перевірку").count() >= 1
    assert author_problems == [] and editor_problems == []


def test_the_second_editor_sees_the_lock_and_a_stale_save_is_refused(site, browser):
    first, first_problems = log_in(browser, site, "redaktor")
    second, _ = log_in(browser, site, "vypuskovyi")
    open_story(first, DEMO_TITLE)
    second.goto("/admin/news/article/")
    with second.expect_navigation():
        second.get_by_role("link", name=DEMO_TITLE, exact=True).first.click()
    notice = second.locator(".newsroom-lock").first.inner_text()
    assert re.search(r"Зараз редагує Тарас Редактор \(з \d{2}:\d{2}\)", notice)
    assert second.locator("input[name=_save]").count() == 0
    second.screenshot(path=ARTIFACTS / "newsroom-lock-notice.png", full_page=True)

    press(second, "Перехопити редагування")
    second.fill("#id_title", DEMO_TITLE + " (оновлено)")
    with second.expect_navigation():
        second.locator("input[name=_continue]").first.click()

    first.fill("#id_lead", "Лід, написаний у застарілій формі.")
    with first.expect_navigation():
        first.locator("input[name=_save]").first.click()
    error = first.locator(".errornote, .errorlist.nonfield").first.inner_text()
    assert "Поки ви редагували, статтю вже змінено (Ірина Випускова" in first.content()
    assert error
    stale = first.locator(".newsroom-stale")
    assert "(оновлено)" in stale.inner_text()
    first.screenshot(path=ARTIFACTS / "newsroom-stale-save.png", full_page=True)
    assert first_problems == []


def test_a_revision_is_compared_and_restored(site, browser):
    editor, problems = log_in(browser, site, "redaktor")
    editor.goto("/admin/news/article/add/")
    editor.fill("#id_title", "Версії мосту")
    editor.locator(".ProseMirror[contenteditable=true]").first.click()
    editor.keyboard.type("Міст відкрили для руху.")
    with editor.expect_navigation():
        editor.locator("input[name=_continue]").first.click()
    editor.fill("#id_title", "Версії мосту Патона")
    editor.locator(".ProseMirror[contenteditable=true]").first.click()
    editor.keyboard.press("Control+A")
    editor.keyboard.type("Міст закрили на ремонт.")
    with editor.expect_navigation():
        editor.locator("input[name=_continue]").first.click()

    with editor.expect_navigation():
        editor.get_by_role("link", name="Історія").first.click()
    assert re.search(r"\d{1,2} [а-яі]+ \d{4}, \d{2}:\d{2}", editor.locator("#content").inner_text())
    press(editor, "Порівняти вибрані версії")
    assert editor.locator(".newsroom-compare del").first.inner_text() in {
        "відкрили для руху.",
        "відкрили",
    }
    assert "закрили" in editor.locator(".newsroom-compare ins").all_inner_texts()[-1]
    editor.screenshot(path=ARTIFACTS / "newsroom-compare.png", full_page=True)

    press(editor, "Відновити цю версію")
    assert editor.locator("#id_title").input_value() == "Версії мосту"
    assert "Відновлено версію від" in editor.locator(".messagelist").inner_text()
    assert problems == []


def test_the_rich_text_editor_speaks_ukrainian(site, browser):
    editor, problems = log_in(browser, site, "redaktor")
    editor.goto("/admin/news/article/add/")
    body = editor.locator(".ProseMirror[contenteditable=true]").first
    body.wait_for()
    labels = editor.eval_on_selector_all(
        ".prose-menubar [title], .prose-menubar [aria-label]",
        "nodes => nodes.flatMap(n => [n.title, n.getAttribute('aria-label')]).filter(Boolean)",
    )
    assert "Жирний" in labels and "Маркований список" in labels and "Скасувати" in labels
    english = {w for label in labels for w in re.findall(r"[A-Za-z]{2,}", label)} - {"HTML"}
    assert english == set(), labels

    body.click()
    editor.keyboard.type("Посилання на джерело")
    editor.keyboard.press("Control+A")
    editor.locator(".prose-menubar [title='Посилання']").first.click()
    dialog = editor.locator("dialog[open]").first
    dialog.wait_for()
    text = dialog.inner_text()
    assert "Адреса (URL)" in text and "Скасувати" in text
    assert not re.search(r"\b(URL|Title|Cancel|Update|Insert)\b(?!\))", text), text
    editor.screenshot(path=ARTIFACTS / "newsroom-link-dialog.png")
    assert problems == []


def test_autosave_survives_a_closed_tab(site, browser):
    editor, problems = log_in(browser, site, "redaktor")
    editor.goto("/admin/news/article/add/")
    editor.fill("#id_title", "Автозбереження на живій статті")
    editor.locator(".ProseMirror[contenteditable=true]").first.click()
    editor.keyboard.type("Опублікований абзац.")
    editor.select_option("#id_status", "published")
    with editor.expect_navigation():
        editor.locator("input[name=_continue]").first.click()
    editor.fill("#id_lead", "Лід, який ніхто не зберіг.")
    editor.locator(".ProseMirror[contenteditable=true]").first.click()
    editor.keyboard.press("Control+End")
    editor.keyboard.type(" Абзац із вкладки, що закрилася.")
    url = editor.url
    context = editor.context
    editor.close(run_before_unload=True)  # the tab goes: its last text leaves as a beacon

    again = context.new_page()
    for _attempt in range(20):  # the beacon is delivered in the background
        again.goto(url)
        if again.locator(".newsroom-autosave").count():
            break
        again.wait_for_timeout(250)
    assert "Є автозбережений текст від" in again.locator(".newsroom-autosave").inner_text()
    again.screenshot(path=ARTIFACTS / "newsroom-autosave-offer.png")
    with again.expect_navigation():
        again.get_by_role("link", name="Відновити автозбережений текст").click()
    assert again.locator("#id_lead").input_value() == "Лід, який ніхто не зберіг."
    body = again.locator(".ProseMirror[contenteditable=true]").first.inner_text()
    assert "Абзац із вкладки, що закрилася." in body
    public = context.new_page()
    public.goto("/")
    with public.expect_navigation():
        public.get_by_role("link", name="Автозбереження на живій статті").first.click()
    assert "Опублікований абзац." in public.content()
    assert "Лід, який ніхто не зберіг." not in public.content()
    assert problems == []


def test_the_form_and_the_list_fit_a_1280_screen(site, browser):
    editor, problems = log_in(browser, site, "vypuskovyi")
    editor.goto("/admin/news/article/")
    fits = editor.evaluate(
        """() => { const table = document.querySelector('#result_list');
                   return table.scrollWidth <= table.parentElement.clientWidth + 1; }"""
    )
    assert fits
    assert editor.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    editor.screenshot(path=ARTIFACTS / "newsroom-article-list-1280.png")
    open_story(editor, editor.locator("#result_list tbody th a").first.inner_text())
    title = editor.locator("#id_title").bounding_box()
    row = editor.locator(".field-title").first.bounding_box()
    assert title["width"] > row["width"] * 0.6
    body = editor.locator(".ProseMirror[contenteditable=true]").first.bounding_box()
    assert body["height"] >= 400
    # the cover as readers see it: a library photo's <picture>, or an imported cover's <img>
    assert editor.locator(".cover-preview img, img.cover-preview").count() == 1
    editor.screenshot(path=ARTIFACTS / "newsroom-article-form.png", full_page=True)
    assert problems == []
