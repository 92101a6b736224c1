"""A save over a newer version is refused with a clear message and the difference, never
silently written over; a second save, made knowing it, goes through."""

import re

import pytest

from shpalta.news import factories
from shpalta.newsroom.roles import CHIEF, EDITOR
from tests.conftest import article_form

from .conftest import logged_in

pytestmark = pytest.mark.django_db


def opened_version(client, story) -> str:
    page = client.get(f"/admin/news/article/{story.pk}/change/").content.decode()
    return re.search(r'name="version" value="([^"]+)"', page).group(1)


def test_a_save_over_a_newer_version_is_refused_with_the_difference(people):
    story = factories.article("Про мости", body="<p>Міст відкрили.</p>")
    first, second = logged_in(people[EDITOR]), logged_in(people[CHIEF])
    version_first, version_second = opened_version(first, story), opened_version(second, story)
    first.post(
        f"/admin/news/article/{story.pk}/change/",
        article_form("Про мости Києва", "<p>Міст відкрили вчора.</p>", version=version_first),
    )
    late = second.post(
        f"/admin/news/article/{story.pk}/change/",
        article_form("Про мости", "<p>Міст закрили.</p>", version=version_second),
    )
    assert late.status_code == 200
    page = late.content.decode()
    assert "Поки ви редагували, статтю вже змінено (Редактор, о " in page
    assert "Різниця між збереженою версією і вашою" in page
    assert "<del>відкрили вчора.</del>" in page and "<ins>закрили.</ins>" in page
    story.refresh_from_db()
    assert story.title == "Про мости Києва"

    fresh = re.search(r'name="version" value="([^"]+)"', page).group(1)
    again = second.post(
        f"/admin/news/article/{story.pk}/change/",
        article_form("Про мости", "<p>Міст закрили.</p>", version=fresh),
    )
    assert again.status_code == 302
    story.refresh_from_db()
    assert story.body == "<p>Міст закрили.</p>"


def test_a_save_at_the_opened_version_goes_through(people):
    story = factories.article("Про мости")
    editor = logged_in(people[EDITOR])
    version = opened_version(editor, story)
    response = editor.post(
        f"/admin/news/article/{story.pk}/change/",
        article_form("Нова назва", "<p>Т.</p>", version=version),
    )
    assert response.status_code == 302
