"""Exactly one post per story: a claimed post is not sent again by a second sender."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shpalta.news import factories
from shpalta.telegram import posting
from shpalta.telegram.models import TelegramPost

pytestmark = pytest.mark.django_db


def waiting_story():
    story = factories.article()  # the test's transaction never commits: the post waits
    return story, TelegramPost.objects.get(article=story)


def test_a_second_sender_cannot_claim_a_post_being_sent(telegram):
    story, row = waiting_story()
    first = posting.claim(row.pk)
    assert first is not None
    assert posting.claim(row.pk) is None
    assert posting.post(story.pk) == "taken"


def test_a_claim_whose_sender_died_is_taken_over_once_it_runs_out(telegram):
    story, row = waiting_story()
    expired = timezone.now() - timedelta(seconds=1)
    TelegramPost.objects.filter(pk=row.pk).update(
        state="sending", claim="dead", claimed_until=expired, message_id=None
    )
    assert posting.post(story.pk) == "posted"
    assert len(telegram.posts()) == 1
    assert posting.post(story.pk) == "nothing"


def test_a_posted_story_is_never_sent_again_by_the_sweep_or_a_retry(telegram):
    story, row = waiting_story()
    assert posting.post(story.pk) == "posted"
    assert posting.sweep() == {}
    assert posting.post(story.pk) == "nothing"
    assert posting.retry([story.pk]) == 0
    assert len(telegram.calls("sendMessage")) == 1
