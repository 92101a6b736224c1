"""Revisions: every save is one; any two compare side by side (the text word by word, the
rest as readable values) and any one can be restored as a new revision."""

import re

import pytest

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.newsroom import revisions, workflow
from shpalta.newsroom.roles import AUTHOR, EDITOR
from shpalta.photos import library
from tests.conftest import article_form

from .conftest import logged_in

pytestmark = pytest.mark.django_db
ARTICLES = "/admin/news/article/"


@pytest.fixture
def edited(people):
    """A story saved three times in the admin: created, retitled and retagged, body rewritten."""
    editor = logged_in(people[EDITOR])
    politics, sport = factories.category("Політика"), factories.category("Спорт")
    tag = factories.tag("мости")
    data = article_form("Міст відкрили", "<p>Міст Патона відкрили для руху.</p>", status="draft")
    editor.post(f"{ARTICLES}add/", data | {"category": politics.pk})
    article = Article.objects.get()
    data |= {"title": "Міст Патона відкрили", "category": sport.pk, "tags": [tag.pk]}
    editor.post(f"{ARTICLES}{article.pk}/change/", data)
    data["body"] = "<p>Міст Патона частково відкрили для <b>трамваїв</b> & авто.</p>"
    editor.post(f"{ARTICLES}{article.pk}/change/", data)
    return article


def ids(article):
    return list(article.history.order_by("history_id").values_list("history_id", flat=True))


def test_every_save_in_the_admin_is_a_revision(edited):
    assert len(ids(edited)) == 3


def test_the_history_is_in_ukrainian_with_kyiv_times_and_what_changed(people, edited):
    page = logged_in(people[EDITOR]).get(f"{ARTICLES}{edited.pk}/history/").content.decode()
    assert "Історія змін: «Міст Патона відкрили»" in page
    assert re.search(r"<td>\d{1,2} грудня 2026, \d{2}:\d{2}</td>", page) or re.search(
        r"<td>\d{1,2} [а-яі]+ \d{4}, \d{2}:\d{2}</td>", page
    )
    assert "Заголовок, Рубрика, Теги" in page and "створено" in page
    assert "None" not in page and "→" not in page
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", page)  # no seconds, no microseconds


def test_two_revisions_compare_word_by_word_and_by_readable_values(people, edited):
    first, _second, third = ids(edited)
    url = f"{ARTICLES}{edited.pk}/revisions/compare/?old={first}&new={third}"
    page = logged_in(people[EDITOR]).get(url).content.decode()
    assert "<td>Міст Патона <ins>частково</ins> відкрили для" in page
    assert "<td>Міст Патона відкрили для <del>руху.</del></td>" in page
    assert "<ins>трамваїв &amp; авто.</ins>" in page  # escaped text, not markup
    assert "<ins>Патона</ins>" in page  # the title
    assert "<td>Політика</td>" in page and "<td>Спорт</td>" in page
    assert "<td>мости</td>" in page and "<td>чернетка</td>" in page


def test_the_comparison_shows_a_new_cover(people, edited):
    data = article_form("Міст Патона відкрили", "<p>Текст.</p>", status="draft")
    cover, _ = library.add(_png(), "mist.png", alt="Міст Патона з лівого берега")
    logged_in(people[EDITOR]).post(f"{ARTICLES}{edited.pk}/change/", data | {"cover": cover.pk})
    old, new = ids(edited)[-2:]
    url = f"{ARTICLES}{edited.pk}/revisions/compare/?old={old}&new={new}"
    page = logged_in(people[EDITOR]).get(url).content.decode()
    assert f"<td>Міст Патона з лівого берега (№ {cover.pk})</td>" in page


def test_a_restore_brings_the_old_text_back_as_a_new_revision(people, edited):
    first = ids(edited)[0]
    response = logged_in(people[EDITOR]).post(f"{ARTICLES}{edited.pk}/revisions/{first}/restore/")
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.title == "Міст відкрили"
    assert edited.body == "<p>Міст Патона відкрили для руху.</p>"
    assert edited.category.name == "Політика" and list(edited.tags.all()) == []
    assert edited.status == Article.Status.DRAFT
    assert len(ids(edited)) == 4
    newest = edited.history.order_by("-history_id").first()
    assert newest.history_change_reason.startswith("Відновлено версію від ")
    assert edited.transitions.get().action == "restore"


def test_a_restore_keeps_a_live_story_live(people, edited):
    edited.publish()
    first = ids(edited)[0]
    logged_in(people[EDITOR]).post(f"{ARTICLES}{edited.pk}/revisions/{first}/restore/")
    edited.refresh_from_db()
    assert edited.is_live and edited.title == "Міст відкрили"


def test_an_author_neither_compares_nor_restores_another_authors_story(people, edited):
    first, second, _third = ids(edited)
    author = logged_in(people[AUTHOR])
    url = f"{ARTICLES}{edited.pk}/revisions/compare/?old={first}&new={second}"
    assert author.get(url).status_code in {302, 403, 404}
    author.post(f"{ARTICLES}{edited.pk}/revisions/{first}/restore/")
    edited.refresh_from_db()
    assert edited.title == "Міст Патона відкрили"


def test_an_author_restores_their_own_draft(people):
    story = factories.article("Перша назва", status=Article.Status.DRAFT)
    workflow.started(story, people[AUTHOR])
    story.title = "Друга назва"
    story.save()
    first = ids(story)[0]
    logged_in(people[AUTHOR]).post(f"{ARTICLES}{story.pk}/revisions/{first}/restore/")
    story.refresh_from_db()
    assert story.title == "Перша назва"


def test_the_word_diff_escapes_both_sides():
    old, new = revisions.word_diff("a <b> c", "a <i> c")
    assert old == "a <del>&lt;b&gt;</del> c" and new == "a <ins>&lt;i&gt;</ins> c"


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "PNG")
    return buffer.getvalue()
