"""A scheduled story goes to the channel when its time comes, not when it is saved."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from shpalta.news import factories
from shpalta.telegram import posting
from shpalta.telegram.models import TelegramPost

pytestmark = pytest.mark.django_db


def test_a_scheduled_story_waits_and_the_sweep_posts_it_once_at_its_time(
    telegram, django_capture_on_commit_callbacks
):
    due = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        story = factories.article(title="Заплановане", published_at=due)
    assert telegram.requests == []
    assert TelegramPost.objects.get(article=story).state == "waiting"
    assert posting.sweep() == {}
    with freeze_time(due + timedelta(minutes=1), tick=True):
        assert posting.sweep() == {"posted": 1}
        assert posting.sweep() == {}
    [post] = telegram.posts()
    assert post["text"].startswith("<b>Заплановане</b>")
