"""One count per reader per article per 30 minutes, across the daily change of secret."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from shpalta.news import factories
from shpalta.popular import readers
from shpalta.popular.models import HourlyViews, ReaderMark

from .conftest import beacon

pytestmark = pytest.mark.django_db


def total() -> int:
    return sum(HourlyViews.objects.values_list("views", flat=True))


def test_the_same_reader_counts_again_after_thirty_minutes(client):
    with freeze_time("2026-03-10 12:00:00") as clock:
        article = factories.article()
        beacon(client, article.pk)
        clock.tick(timedelta(minutes=29, seconds=59))
        beacon(client, article.pk)
        assert total() == 1
        clock.tick(timedelta(seconds=1))
        beacon(client, article.pk)
        assert total() == 2
        # The window restarts at the counted view, not at every reload.
        clock.tick(timedelta(minutes=10))
        beacon(client, article.pk)
        assert total() == 2


def test_the_daily_key_change_does_not_count_a_reader_twice(client):
    with freeze_time("2026-03-10 23:50:00") as clock:
        article = factories.article()
        beacon(client, article.pk)
        clock.tick(timedelta(minutes=20))  # 00:10 the next day: a new secret
        beacon(client, article.pk)
        beacon(client, article.pk, ip="198.51.100.99")  # someone new still counts
        assert total() == 2
        clock.tick(timedelta(minutes=9, seconds=59))  # 00:19:59
        beacon(client, article.pk)
        assert total() == 2
        clock.tick(timedelta(seconds=1))  # 00:20:00, 30 minutes after the counted view
        beacon(client, article.pk)
        assert total() == 3


def test_keys_change_every_day_and_depend_on_every_part():
    day = readers.make_view("198.51.100.7", "UA", 5, at=1_773_100_000)
    next_day = readers.make_view("198.51.100.7", "UA", 5, at=1_773_100_000 + 86_400)
    assert day.key != next_day.key
    assert next_day.previous_key == day.key
    others = {
        readers.make_view("198.51.100.8", "UA", 5, at=1_773_100_000).key,
        readers.make_view("198.51.100.7", "UA2", 5, at=1_773_100_000).key,
        readers.make_view("198.51.100.7", "UA", 6, at=1_773_100_000).key,
    }
    assert day.key not in others and len(others) == 3


def test_old_marks_are_deleted(client):
    """Kept two hours (a journal segment recovered late still meets them), then deleted."""
    with freeze_time("2026-03-10 12:00:00") as clock:
        first, second, third = factories.article(), factories.article(), factories.article()
        beacon(client, first.pk)
        clock.tick(timedelta(minutes=31))
        beacon(client, second.pk)
        assert ReaderMark.objects.count() == 2
        clock.tick(timedelta(minutes=90))  # 2 h 1 min after the first view
        beacon(client, third.pk)
        assert ReaderMark.objects.count() == 2
        assert total() == 3


def test_views_land_in_the_hour_they_happened(client):
    with freeze_time("2026-03-10 12:59:59") as clock:
        article = factories.article()
        beacon(client, article.pk)
        clock.tick(timedelta(seconds=1))
        beacon(client, article.pk, ip="198.51.100.8")
    hours = dict(HourlyViews.objects.values_list("hour", "views"))
    assert hours == {
        datetime(2026, 3, 10, 12, tzinfo=UTC): 1,
        datetime(2026, 3, 10, 13, tzinfo=UTC): 1,
    }
