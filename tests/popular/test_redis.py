"""The Redis path against the real server: atomic counts, and a flush that never loses or
doubles a view, even when it fails halfway."""

import threading

import pytest
import redis
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from shpalta.news import factories
from shpalta.popular import counters, tasks
from shpalta.popular.models import AppliedFlush, HourlyViews

from .conftest import BROWSER, beacon

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def totals() -> dict[int, int]:
    result: dict[int, int] = {}
    for article_id, views in HourlyViews.objects.values_list("article_id", "views"):
        result[article_id] = result.get(article_id, 0) + views
    return result


@pytest.fixture
def manual_flush(redis_counter):
    """Hold back the automatic flush so a test decides when counts move."""
    redis_counter.client.set(redis_counter.flush_due, "1", ex=3600)
    return redis_counter


def send_readers(client, articles, readers=10, repeats=3):
    for _ in range(repeats):
        for n in range(readers):
            for article in articles:
                beacon(client, article.pk, ip=f"198.51.100.{n + 1}")


def test_counts_wait_in_redis_until_flushed(client, manual_flush):
    articles = [factories.article() for _ in range(3)]
    send_readers(client, articles)
    assert manual_flush.pending_views() == 30
    assert HourlyViews.objects.count() == 0
    applied_before = AppliedFlush.objects.count()
    summary = counters.flush()
    assert (summary.flushes, summary.articles, summary.views) == (1, 3, 30)
    assert totals() == {a.pk: 10 for a in articles}
    assert manual_flush.pending_views() == 0
    assert AppliedFlush.objects.count() == applied_before + 1
    assert counters.flush().views == 0  # nothing left: nothing added


def test_one_database_write_per_article_per_flush(client, manual_flush):
    articles = [factories.article() for _ in range(3)]
    send_readers(client, articles, readers=40, repeats=1)
    with CaptureQueriesContext(connection) as captured:
        counters.flush()
    upserts = [q["sql"] for q in captured if "popular_hourlyviews" in q["sql"]]
    # One executemany of one row per article (all views fell in this hour).
    assert len(upserts) == 1 and upserts[0].startswith("3 times: INSERT")
    assert totals() == {a.pk: 40 for a in articles}


def test_bots_and_duplicates_never_reach_redis(client, manual_flush):
    article = factories.article()
    beacon(client, article.pk, agent="Mozilla/5.0 (compatible; Googlebot/2.1)")
    beacon(client, article.pk)
    beacon(client, article.pk)
    beacon(client, 10**9)
    assert manual_flush.pending_views() == 1


@pytest.mark.django_db(transaction=True)  # the flush's own thread must see the article
def test_the_first_counted_view_after_an_interval_triggers_the_flush(client, redis_counter):
    article = factories.article()
    beacon(client, article.pk)  # no flush-due flag yet: this beacon starts the flush
    tasks.background_flush.join(timeout=30)
    assert totals() == {article.pk: 1}
    beacon(client, article.pk, ip="198.51.100.50")  # within the interval: stays in Redis
    tasks.background_flush.join(timeout=30)
    assert redis_counter.pending_views() == 1
    assert totals() == {article.pk: 1}


def test_the_beacon_that_finds_a_flush_due_does_not_wait_for_it(client, redis_counter, monkeypatch):
    """With the default (immediate) task backend the flush runs in a thread of its own: the
    reader's request is answered while the flush is still going."""
    started, release = threading.Event(), threading.Event()
    ran_in: list[threading.Thread] = []

    def slow_flush():
        ran_in.append(threading.current_thread())
        started.set()
        assert release.wait(timeout=30)
        return counters.FlushSummary()

    monkeypatch.setattr(counters, "flush", slow_flush)
    article = factories.article()
    try:
        assert beacon(client, article.pk).status_code == 204  # answered, flush still blocked
        assert started.wait(timeout=30)
        assert ran_in[0] is not threading.current_thread()
    finally:
        release.set()
        tasks.background_flush.join(timeout=30)
    assert len(ran_in) == 1
    assert redis_counter.pending_views() == 1  # the stand-in flush moved nothing


def test_a_configured_task_worker_gets_the_flush(client, redis_counter, settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    monkeypatch.setattr(tasks.background_flush, "start", lambda: pytest.fail("no thread wanted"))
    article = factories.article()
    assert beacon(client, article.pk).status_code == 204
    queued = DBTaskResult.objects.filter(task_path="shpalta.popular.tasks.flush_views")
    assert queued.count() == 1
    assert redis_counter.pending_views() == 1  # waiting for the worker


def test_a_flush_that_fails_before_the_database_commit_is_retried(
    client, manual_flush, monkeypatch
):
    article = factories.article()
    send_readers(client, [article], readers=5, repeats=2)

    def broken(cursor, totals):
        raise DatabaseError("database went away")

    with monkeypatch.context() as patch:
        patch.setattr(counters, "add_to_buckets", broken)
        with pytest.raises(DatabaseError):
            counters.flush()
    assert totals() == {}
    assert manual_flush.pending_views() == 5  # parked under the flush id, not lost
    beacon(client, article.pk, ip="198.51.100.200")  # new views meanwhile
    assert counters.flush().views == 6
    assert totals() == {article.pk: 6}


def test_a_flush_that_fails_after_the_commit_is_not_applied_twice(
    client, manual_flush, monkeypatch
):
    article = factories.article()
    send_readers(client, [article], readers=4, repeats=1)

    def lost_connection(*args, **kwargs):
        raise redis.ConnectionError("connection reset")

    with monkeypatch.context() as patch:
        patch.setattr(manual_flush.client, "pipeline", lost_connection)
        with pytest.raises(redis.ConnectionError):
            counters.flush()
    assert totals() == {article.pk: 4}  # applied, but Redis still holds the flush
    assert manual_flush.pending_views() == 4
    summary = counters.flush()
    assert (summary.replayed, summary.views) == (1, 0)
    assert totals() == {article.pk: 4}
    assert manual_flush.pending_views() == 0


def test_rate_limit_is_shared_through_redis(client, manual_flush, settings):
    settings.SHPALTA_VIEWS_PER_MINUTE = 3
    articles = [factories.article() for _ in range(5)]
    codes = [beacon(client, a.pk).status_code for a in articles]
    assert codes == [204, 204, 204, 429, 429]
    other = BROWSER.replace("126", "125")
    assert beacon(client, articles[4].pk, agent=other).status_code == 204


def test_flush_command(client, manual_flush, capsys):
    article = factories.article()
    send_readers(client, [article], readers=2, repeats=1)
    call_command("popular", "flush")
    assert "flushed 2 views of 1 articles in 1 flushes" in capsys.readouterr().out
    assert totals() == {article.pk: 2}


def test_unreachable_redis_answers_503(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    article = factories.article()
    assert beacon(client, article.pk).status_code == 503
