"""The article form fits the work: the cover's thumbnail is on the form, and a publication
time the admin moves is said out loud, not moved silently."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from shpalta.news import factories
from shpalta.newsroom.roles import EDITOR
from tests.conftest import article_form

from .conftest import logged_in

pytestmark = pytest.mark.django_db


def test_publishing_an_old_draft_says_its_time_moved_to_now(people):
    draft = factories.article("Стара чернетка", status="draft", age=timedelta(days=2))
    old = timezone.localtime(draft.published_at)
    data = article_form(
        "Стара чернетка",
        "<p>Т.</p>",
        published_at_0=old.strftime("%Y-%m-%d"),
        published_at_1=old.strftime("%H:%M:%S"),
    )
    response = logged_in(people[EDITOR]).post(
        f"/admin/news/article/{draft.pk}/change/", data, follow=True
    )
    page = response.content.decode()
    assert re.search(r"Час публікації змінено на \d{1,2} [а-яі]+ \d{4}, \d{2}:\d{2}", page)
    draft.refresh_from_db()
    assert draft.published_at > timezone.now() - timedelta(minutes=1)


def test_a_scheduled_time_is_kept_and_nothing_is_said(people):
    draft = factories.article("Завтрашня", status="draft")
    later = timezone.localtime() + timedelta(days=1)
    data = article_form(
        "Завтрашня",
        "<p>Т.</p>",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )
    response = logged_in(people[EDITOR]).post(
        f"/admin/news/article/{draft.pk}/change/", data, follow=True
    )
    assert "Час публікації змінено" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_scheduled


def test_the_form_shows_the_cover_thumbnail(people):
    story = factories.article("З фото", cover_image_url="https://img.example.ua/mist.jpg")
    page = logged_in(people[EDITOR]).get(f"/admin/news/article/{story.pk}/change/")
    html = page.content.decode()
    assert 'src="https://img.example.ua/mist.jpg"' in html and 'class="cover-preview"' in html
    bare = factories.article("Без фото")
    html = logged_in(people[EDITOR]).get(f"/admin/news/article/{bare.pk}/change/").content
    assert "немає фото" in html.decode()
