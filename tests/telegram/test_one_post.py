"""Exactly one post per story: a claimed post is not sent again by a second sender."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from shpalta.news import factories
from shpalta.telegram import posting
from shpalta.telegram.models import TelegramPost

from .botserver import TOKEN


def waiting_story():
    story = factories.article()  # the test's transaction never commits: the post waits
    return story, TelegramPost.objects.get(article=story)


@pytest.mark.django_db
def test_a_second_sender_cannot_claim_a_post_being_sent(telegram):
    story, row = waiting_story()
    first = posting.claim(row.pk)
    assert first is not None
    assert posting.claim(row.pk) is None
    assert posting.post(story.pk) == "taken"


@pytest.mark.django_db
def test_a_claim_whose_sender_died_is_taken_over_once_it_runs_out(telegram):
    story, row = waiting_story()
    expired = timezone.now() - timedelta(seconds=1)
    TelegramPost.objects.filter(pk=row.pk).update(
        state="sending", claim="dead", claimed_until=expired, message_id=None
    )
    assert posting.post(story.pk) == "posted"
    assert len(telegram.posts()) == 1
    assert posting.post(story.pk) == "nothing"


@pytest.mark.django_db
def test_a_posted_story_is_never_sent_again_by_the_sweep_or_a_retry(telegram):
    story, row = waiting_story()
    assert posting.post(story.pk) == "posted"
    assert posting.sweep() == {}
    assert posting.post(story.pk) == "nothing"
    assert posting.retry([story.pk]) == 0
    assert len(telegram.calls("sendMessage")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_story_send_it_once(bot, settings):
    story = factories.article(title="Гонка")  # Telegram off: nothing is queued yet
    settings.SHPALTA_TELEGRAM_BOT_TOKEN, settings.SHPALTA_TELEGRAM_CHAT_ID = TOKEN, "@kanal"
    settings.SHPALTA_TELEGRAM_API_URL, settings.SHPALTA_TELEGRAM_TIMEOUT = bot.url, 5.0
    TelegramPost.objects.create(article=story)
    bot.answer_next("sendMessage", ("delay", 1))
    start, outcomes = threading.Barrier(2), []

    def worker():
        start.wait()
        try:
            for _ in range(100):
                try:
                    outcomes.append(posting.post(story.pk))
                    break
                except OperationalError as error:
                    # The SQLite test database is shared memory: a write meeting the other's
                    # answers "table is locked" at once, where a file database (the site's)
                    # waits its busy timeout. Waiting here is what the site's would do.
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.02)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["posted", "taken"]
    assert len(bot.calls("sendMessage")) == 1 and len(bot.posts()) == 1
