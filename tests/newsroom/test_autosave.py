"""Autosave keeps an open form's text apart from the story, never changes what readers see,
and offers the text back when the editor opens the form again."""

import pytest

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.newsroom import autosave
from shpalta.newsroom.models import Autosave
from shpalta.newsroom.roles import AUTHOR, CHIEF, EDITOR
from tests.conftest import article_form

from .conftest import logged_in

pytestmark = pytest.mark.django_db
ARTICLES = "/admin/news/article"


@pytest.fixture
def story():
    return factories.article("Про мости", body="<p>Міст відкрили.</p>")


def autosave_form(client, target, **fields):
    data = {"title": "", "lead": "", "body": "", "excerpt": ""} | fields
    return client.post(f"{ARTICLES}/autosave/{target}/", data)


def test_an_autosave_never_changes_the_live_story(people, story):
    editor = logged_in(people[EDITOR])
    before = (story.updated_at, story.history.count())
    response = autosave_form(editor, story.pk, title="Чорновий заголовок", body="<p>Нове.</p>")
    assert response.json() == {"saved": True}
    story.refresh_from_db()
    assert story.title == "Про мости" and story.body == "<p>Міст відкрили.</p>"
    assert (story.updated_at, story.history.count()) == before
    assert story.is_live
    assert Autosave.objects.get().data["title"] == "Чорновий заголовок"


def test_the_form_offers_the_autosaved_text_and_restores_it_on_request(people, story):
    editor = logged_in(people[EDITOR])
    autosave_form(editor, story.pk, title="Чорновий заголовок", body="<p>Нове.</p>")
    page = editor.get(f"{ARTICLES}/{story.pk}/change/").content.decode()
    assert "Є автозбережений текст від" in page and "Відновити автозбережений текст" in page
    restored = editor.get(f"{ARTICLES}/{story.pk}/change/?autosave=1").content.decode()
    assert 'value="Чорновий заголовок"' in restored
    story.refresh_from_db()
    assert story.title == "Про мости"


def test_another_editor_is_not_offered_someone_elses_autosave(people, story):
    autosave_form(logged_in(people[EDITOR]), story.pk, title="Чорновий заголовок")
    page = logged_in(people[CHIEF]).get(f"{ARTICLES}/{story.pk}/change/")
    assert page.status_code == 200
    assert "Є автозбережений текст" not in page.content.decode()


def test_saving_the_form_or_discarding_clears_the_autosave(people, story):
    editor = logged_in(people[EDITOR])
    autosave_form(editor, story.pk, title="Чорновий заголовок")
    editor.post(f"{ARTICLES}/{story.pk}/change/", article_form("Чорновий заголовок", "<p>Т.</p>"))
    assert not Autosave.objects.exists()
    autosave_form(editor, story.pk, title="Ще один")
    editor.post(f"{ARTICLES}/autosave/{story.pk}/discard/")
    assert not Autosave.objects.exists()


def test_a_new_story_is_autosaved_and_offered_on_the_add_form(people):
    author = logged_in(people[AUTHOR])
    autosave_form(author, "new", title="Ненаписана стаття", body="<p>Початок.</p>")
    page = author.get(f"{ARTICLES}/add/").content.decode()
    assert "Є автозбережений текст від" in page
    restored = author.get(f"{ARTICLES}/add/?autosave=1").content.decode()
    assert 'value="Ненаписана стаття"' in restored
    assert not Article.objects.exists()
    author.post(f"{ARTICLES}/add/", article_form("Ненаписана стаття", "<p>Початок.</p>"))
    assert not Autosave.objects.exists()


def test_autosave_answers_only_posts_from_who_may_edit_the_story(people, story):
    editor = logged_in(people[EDITOR])
    assert editor.get(f"{ARTICLES}/autosave/{story.pk}/").status_code == 404
    outsider = logged_in(people["other author"])
    assert autosave_form(outsider, story.pk, title="Чуже").status_code in {403, 404}
    assert not Autosave.objects.exists()


def test_a_form_too_long_to_be_an_article_is_refused(people, story):
    editor = logged_in(people[EDITOR])
    response = autosave_form(editor, story.pk, body="я" * (autosave.MAX_CHARS + 1))
    assert response.status_code == 413
    assert not Autosave.objects.exists()
