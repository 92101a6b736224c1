"""A story released in the newsroom goes to the channel once; edits and unpublishing follow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.telegram.models import TelegramOptOut, TelegramPost
from tests.news.test_metadata import png

pytestmark = pytest.mark.django_db


def publish(captured, **fields):
    with captured(execute=True):
        return factories.article(lead="Короткий лід.", **fields)


def test_a_published_story_with_a_cover_is_sent_once_as_a_photo(
    telegram, django_capture_on_commit_callbacks
):
    story = publish(django_capture_on_commit_callbacks, title="Новина дня", cover_image=png(40, 30))
    [post] = telegram.posts()
    assert post["kind"] == "photo" and post["photo"]["size"] > 0
    assert post["chat_id"] == "@shpalta_test" and post["parse_mode"] == "HTML"
    assert post["caption"].startswith("<b>Новина дня</b>\n\nКороткий лід.")
    assert f'{story.get_absolute_url()}">Читати на сайті</a>' in post["caption"]
    row = TelegramPost.objects.get(article=story)
    assert row.state == "posted" and row.message_id == post["message_id"] and row.posted_at
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    assert len(telegram.calls("sendPhoto")) == 1


def test_a_story_without_a_cover_is_sent_as_a_text_message(
    telegram, django_capture_on_commit_callbacks
):
    publish(django_capture_on_commit_callbacks, title="Без фото")
    [post] = telegram.posts()
    assert post["kind"] == "text" and post["text"].startswith("<b>Без фото</b>")


def test_a_new_headline_edits_the_message_and_unpublishing_can_delete_it(
    telegram, settings, django_capture_on_commit_callbacks
):
    story = publish(django_capture_on_commit_callbacks, title="Перша версія")
    story.title = "Друга версія"
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    [post] = telegram.posts()
    assert post["text"].startswith("<b>Друга версія</b>")
    assert len(telegram.calls("editMessageText")) == 1
    settings.SHPALTA_TELEGRAM_DELETE_ON_UNPUBLISH = True
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert telegram.posts() == []
    assert TelegramPost.objects.get(article=story).state == "deleted"


def test_unpublishing_leaves_the_post_when_deleting_is_off(
    telegram, django_capture_on_commit_callbacks
):
    story = publish(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert len(telegram.posts()) == 1 and telegram.calls("deleteMessage") == []


def test_an_edit_of_a_photo_post_edits_its_caption(telegram, django_capture_on_commit_callbacks):
    story = publish(django_capture_on_commit_callbacks, cover_image=png(40, 30))
    story.lead = "Новий лід."
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    [post] = telegram.posts()
    assert "Новий лід." in post["caption"]
    assert len(telegram.calls("editMessageCaption")) == 1


def test_imported_stories_and_drafts_are_never_posted(telegram, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks, import_source="wxr:archive.xml", import_id="7")
    publish(django_capture_on_commit_callbacks, status=Article.Status.DRAFT)
    assert telegram.requests == []
    assert not TelegramPost.objects.exists()


def test_a_story_marked_not_for_telegram_is_not_posted(
    telegram, django_capture_on_commit_callbacks
):
    story = publish(django_capture_on_commit_callbacks, status=Article.Status.DRAFT)
    TelegramOptOut.objects.create(article=story, skip=True)
    with django_capture_on_commit_callbacks(execute=True):
        story.publish()
    assert telegram.requests == []


def test_nothing_is_sent_without_a_token(bot, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks)
    assert bot.requests == [] and not TelegramPost.objects.exists()


def test_a_story_published_again_after_its_post_was_deleted_is_posted_anew(
    telegram, settings, django_capture_on_commit_callbacks
):
    settings.SHPALTA_TELEGRAM_DELETE_ON_UNPUBLISH = True
    story = publish(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    story.published_at = timezone.now() - timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        story.publish()
    assert len(telegram.posts()) == 1 and len(telegram.calls("sendMessage")) == 2


def test_deleting_a_posted_story_deletes_its_post_when_deleting_is_on(
    telegram, settings, django_capture_on_commit_callbacks
):
    settings.SHPALTA_TELEGRAM_DELETE_ON_UNPUBLISH = True
    story = publish(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        story.delete()
    assert telegram.posts() == [] and len(telegram.calls("deleteMessage")) == 1
