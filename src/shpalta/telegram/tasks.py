"""Telegram work for the task worker (`shpalta worker`), or at once after commit by default.

Arguments are plain ids. A story scheduled for later is sent by a task deferred to its time when
the queue can defer (the database queue), and by the sweep in any case: `shpalta telegram sweep`,
which every worker also runs on its beat.
"""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django_tasks import task

from shpalta.news.models import Article

from . import posting
from .models import TelegramPost


@task()
def post_story(article_id: int) -> str:
    """A story was released: send it now, or when its time comes, or when its claim runs out."""
    outcome = posting.post(article_id)
    if outcome == "scheduled":
        _later(article_id, _publication_time(article_id))
    elif outcome == "taken":
        _later(article_id, _claim_end(article_id))
    return outcome


@task()
def sync_post(article_id: int) -> str:
    """A posted story was edited or unpublished: its message follows."""
    return posting.sync(article_id)


@task()
def delete_message(chat_id: str, message_id: int) -> None:
    posting.delete_message(chat_id, message_id)


@task()
def sweep_posts() -> dict:
    """Posts whose task was lost, deferred out of reach, or refused by a busy Telegram."""
    return posting.sweep()


def _later(article_id: int, moment: datetime | None) -> None:
    if moment is None or not post_story.get_backend().supports_defer:
        return  # the sweep sends it
    run_after = max(moment, timezone.now()) + timedelta(seconds=1)
    post_story.using(run_after=run_after.astimezone(UTC)).enqueue(article_id)


def _publication_time(article_id: int) -> datetime | None:
    return Article.objects.filter(pk=article_id).values_list("published_at", flat=True).first()


def _claim_end(article_id: int) -> datetime | None:
    return (
        TelegramPost.objects.filter(article_id=article_id)
        .values_list("claimed_until", flat=True)
        .first()
    )
