"""Telegram's errors: 429 waits retry_after, 5xx and silence retry, 400/403 stop and say why."""

import logging

import pytest
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.telegram import posting
from shpalta.telegram.admin import status_of
from shpalta.telegram.models import TelegramPost

from .botserver import TOKEN

pytestmark = pytest.mark.django_db


def release(captured, **fields):
    with captured(execute=True):
        return factories.article(lead="Лід.", **fields)


def test_a_429_waits_the_retry_after_telegram_gives_and_posts_once(
    telegram, django_capture_on_commit_callbacks
):
    telegram.answer_next("sendMessage", ("error", 429, 1))
    started = timezone.now()
    story = release(django_capture_on_commit_callbacks)
    assert (timezone.now() - started).total_seconds() >= 1
    assert len(telegram.calls("sendMessage")) == 2 and len(telegram.posts()) == 1
    assert TelegramPost.objects.get(article=story).state == "posted"


def test_server_errors_and_a_silent_server_are_retried_to_one_post(
    telegram, django_capture_on_commit_callbacks
):
    telegram.answer_next("sendMessage", ("error", 500), ("hang",))
    story = release(django_capture_on_commit_callbacks)
    assert len(telegram.calls("sendMessage")) == 3 and len(telegram.posts()) == 1
    row = TelegramPost.objects.get(article=story)
    assert row.state == "posted" and row.message_id == telegram.posts()[0]["message_id"]


def test_a_403_stops_at_once_and_the_editor_reads_why_in_ukrainian(
    telegram, django_capture_on_commit_callbacks, caplog
):
    telegram.answer_next("sendMessage", ("error", 403))
    with caplog.at_level(logging.INFO):
        story = release(django_capture_on_commit_callbacks)
    assert len(telegram.calls("sendMessage")) == 1 and telegram.posts() == []
    row = TelegramPost.objects.get(article=story)
    assert row.state == "failed"
    assert row.error.startswith("Telegram не дозволяє боту писати в канал (403): додайте бота")
    assert "адміністратором каналу" in str(status_of(story))
    assert TOKEN not in caplog.text and TOKEN not in row.error


def test_a_lasting_outage_leaves_the_post_waiting_for_the_sweep(
    telegram, settings, django_capture_on_commit_callbacks
):
    settings.SHPALTA_TELEGRAM_ATTEMPTS = 2
    telegram.answer_next("sendMessage", ("error", 500), ("error", 500))
    story = release(django_capture_on_commit_callbacks)
    row = TelegramPost.objects.get(article=story)
    assert row.state == "waiting" and "(500)" in row.error and "пізніше" in row.error
    assert posting.sweep() == {"posted": 1}
    assert len(telegram.posts()) == 1
    assert posting.sweep() == {}


def test_a_bad_token_is_a_refusal_and_never_appears_in_the_error(
    telegram, settings, django_capture_on_commit_callbacks
):
    settings.SHPALTA_TELEGRAM_BOT_TOKEN = "999:wrong-token"
    story = release(django_capture_on_commit_callbacks, status=Article.Status.PUBLISHED)
    row = TelegramPost.objects.get(article=story)
    assert row.state == "failed" and "SHPALTA_TELEGRAM_BOT_TOKEN" in row.error
    assert "wrong-token" not in row.error
