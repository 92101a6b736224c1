"""The article form shows the story's Telegram post and its opt-out box; popular's columns stay."""

import pytest
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.telegram.models import TelegramOptOut, TelegramPost
from tests.conftest import article_form

pytestmark = pytest.mark.django_db


def test_a_posted_story_shows_when_and_a_link_to_its_post(telegram, staff_client, settings):
    settings.SHPALTA_TELEGRAM_CHAT_ID = "-1001234567890"
    story = factories.article(title="Показана")
    TelegramPost.objects.filter(article=story).update(
        state="posted", chat_id="-1001234567890", message_id=42, posted_at=timezone.now()
    )
    html = staff_client.get(f"/admin/news/article/{story.pk}/change/").content.decode()
    assert "Допис у Telegram" in html and "Не публікувати в Telegram" in html
    assert 'href="https://t.me/c/1234567890/42"' in html and "Опубліковано" in html


def test_the_opt_out_box_is_saved_and_keeps_the_story_off_the_channel(
    telegram, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(
            "/admin/news/article/add/",
            article_form("Не для каналу", "<p>Текст.</p>", telegram_skip="on"),
        )
    assert answer.status_code == 302
    story = Article.objects.get(title="Не для каналу")
    assert TelegramOptOut.objects.get(article=story).skip
    assert telegram.requests == []


def test_a_story_saved_in_the_admin_is_posted_once(
    telegram, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/admin/news/article/add/", article_form("З адмінки", "<p>Текст.</p>"))
    story = Article.objects.get(title="З адмінки")
    assert len(telegram.posts()) == 1
    assert TelegramPost.objects.get(article=story).state == "posted"


def test_the_view_columns_of_popular_are_still_in_the_article_list(staff_client):
    factories.article()
    columns = staff_client.get("/admin/news/article/").context["cl"].list_display
    assert "views_24h" in columns and "views_total" in columns
