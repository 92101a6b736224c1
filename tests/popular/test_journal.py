"""The embedded path's journal: views reach the database in batches, none lost, none doubled."""

import fcntl
import os
import shutil

import pytest
from django.db import OperationalError

from shpalta.news import factories
from shpalta.popular import counters, journal
from shpalta.popular.models import AppliedFlush, HourlyViews

from .conftest import beacon

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal_dir(settings, tmp_path, monkeypatch):
    """Journal mode with the flusher thread off: each test flushes when it means to."""
    settings.SHPALTA_VIEWS_FLUSH_SECONDS = 10
    settings.SHPALTA_VIEWS_JOURNAL_DIR = str(tmp_path)
    monkeypatch.setattr(counters._database_counter, "background", False)
    return tmp_path


def total() -> int:
    return sum(HourlyViews.objects.values_list("views", flat=True))


def segments(directory) -> list:
    return sorted(directory.glob("*" + journal.SUFFIX))


def test_views_wait_in_the_journal_and_are_deduplicated_when_applied(client, journal_dir):
    first, second = factories.article(), factories.article()
    for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.1"):
        assert beacon(client, first.pk, ip=ip).status_code == 204
    beacon(client, second.pk, ip="198.51.100.1")
    assert total() == 0
    [segment] = segments(journal_dir)
    text = segment.read_text()
    assert len(text.splitlines()) == 4 and "198.51.100" not in text
    summary = counters.flush()
    assert (summary.flushes, summary.received, summary.views) == (1, 4, 3)
    assert dict(HourlyViews.objects.values_list("article_id", "views")) == {
        first.pk: 2,
        second.pk: 1,
    }
    assert segments(journal_dir) == []
    assert AppliedFlush.objects.filter(flush_id="j" + segment.stem).exists()


def test_a_reader_is_counted_once_across_segments(client, journal_dir):
    article = factories.article()
    beacon(client, article.pk)
    counters.flush()
    beacon(client, article.pk)  # a reload in the next batch
    counters.flush()
    assert total() == 1


def test_a_segment_applied_but_not_deleted_is_not_applied_again(client, journal_dir, tmp_path):
    article = factories.article()
    beacon(client, article.pk)
    beacon(client, article.pk, ip="198.51.100.9")
    [segment] = segments(journal_dir)
    kept = tmp_path / "copy"
    counters._database_counter.journal()._close_segment()
    shutil.copy(segment, kept)
    counters.flush()
    assert total() == 2
    shutil.copy(kept, segment)  # as if the process died between commit and unlink
    summary = counters.flush()
    assert (summary.flushes, summary.views) == (1, 0)
    assert total() == 2
    assert segments(journal_dir) == []


def test_a_failed_apply_keeps_the_segment_for_the_next_flush(client, journal_dir, monkeypatch):
    article = factories.article()
    beacon(client, article.pk)
    own = counters._database_counter.journal()

    def locked(views):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patch:
        patch.setattr(own, "apply", locked)
        with pytest.raises(OperationalError):
            counters.flush()
    assert total() == 0 and len(segments(journal_dir)) == 1
    counters.flush()
    assert total() == 1


def test_a_segment_another_process_still_writes_is_left_alone(client, journal_dir):
    article = factories.article()
    beacon(client, article.pk)
    counters._database_counter.journal()._close_segment()
    [segment] = segments(journal_dir)
    holder = os.open(segment, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a live writer holds its segment like this
    try:
        assert counters.flush().flushes == 0
        assert total() == 0
    finally:
        os.close(holder)
    assert counters.flush().flushes == 1
    assert total() == 1


def test_a_line_cut_short_by_a_crash_is_skipped(journal_dir):
    article = factories.article()
    good = journal.encode(counters.View(article.pk, 1_773_100_000, "a" * 32, "b" * 32))
    (journal_dir / ("0" * 32 + journal.SUFFIX)).write_bytes(good + good[:20])
    summary = counters.flush()
    assert (summary.received, summary.views) == (1, 1)
    assert total() == 1


def test_the_flush_command_applies_the_journal(client, journal_dir, capsys):
    from django.core.management import call_command

    article = factories.article()
    beacon(client, article.pk)
    beacon(client, article.pk)
    call_command("popular", "flush")
    assert "1 journal segments: 1 views counted of 2 received" in capsys.readouterr().out
    assert total() == 1


def test_a_new_segment_is_locked_before_any_flusher_can_see_it(journal_dir, monkeypatch):
    """Otherwise another process's flusher could take the still-empty file, apply nothing,
    delete it — and every view written to it afterwards would be lost."""
    own = counters._database_counter.journal()
    real_flock = fcntl.flock
    visible_while_unlocked = []

    def watching_flock(fd, operation):
        if operation == fcntl.LOCK_EX:  # the writer locking a segment it has just created
            visible_while_unlocked.extend(segments(journal_dir))
        return real_flock(fd, operation)

    monkeypatch.setattr(journal.fcntl, "flock", watching_flock)
    own._close_segment()
    own.append(counters.View(1, 1_773_100_000, "a" * 32, "b" * 32))
    assert len(segments(journal_dir)) == 1
    assert visible_while_unlocked == []


def test_applying_a_segment_prunes_week_old_applied_records(client, journal_dir):
    """The journal records one AppliedFlush per segment (every few seconds per process): the
    records a replay could still need are kept, older ones go, as on the Redis path."""
    from datetime import timedelta

    from django.utils import timezone

    AppliedFlush.objects.create(flush_id="j-old")
    AppliedFlush.objects.create(flush_id="j-recent")
    AppliedFlush.objects.filter(pk="j-old").update(applied_at=timezone.now() - timedelta(days=8))
    AppliedFlush.objects.filter(pk="j-recent").update(applied_at=timezone.now() - timedelta(days=6))
    article = factories.article()
    beacon(client, article.pk)
    [segment] = segments(journal_dir)
    counters.flush()
    kept = set(AppliedFlush.objects.values_list("flush_id", flat=True))
    assert kept == {"j-recent", "j" + segment.stem}
    assert AppliedFlush.objects.get(pk="j" + segment.stem).articles == 1
