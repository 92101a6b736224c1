"""Every feed fetch ends within its total deadline and reads at most its size cap."""

import time

import pytest

from shpalta.importers.errors import ItemError
from shpalta.importers.feed import import_once
from shpalta.importers.fetch import get, gunzip
from shpalta.news.models import Article

from .evil_server import gzip_bomb


@pytest.fixture
def allowed(evil, settings):
    settings.SHPALTA_FETCH_ALLOW_PRIVATE = True
    return evil


def timed(url: str) -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(ItemError) as error:
        get(url)
    return str(error.value), time.monotonic() - started


def test_a_body_dripped_a_byte_at_a_time_stops_at_the_deadline(allowed):
    message, seconds = timed(allowed.url("drip"))
    assert message == f"{allowed.url('drip')}: not fetched within 2 s"
    assert 1.9 < seconds < 3


def test_headers_dripped_a_line_at_a_time_stop_at_the_deadline(allowed):
    message, seconds = timed(allowed.url("drip-headers"))
    assert message == f"{allowed.url('drip-headers')}: not fetched within 2 s"
    assert seconds < 3


def test_an_endless_body_stops_at_the_size_cap(allowed):
    message, _ = timed(allowed.url("endless"))
    assert message == f"{allowed.url('endless')}: larger than 1 MB"


def test_a_declared_length_past_the_cap_is_refused_before_reading(allowed):
    message, seconds = timed(allowed.url("big-declared"))
    assert message == f"{allowed.url('big-declared')}: larger than 1 MB"
    assert seconds < 1


def test_a_gzip_bomb_stops_at_the_cap_once_decompressed(allowed):
    message, _ = timed(allowed.url("gzip-bomb"))
    assert message == f"{allowed.url('gzip-bomb')}: larger than 1 MB once decompressed"


def test_a_gzipped_feed_within_the_cap_is_read(allowed):
    assert b"<rss" in get(allowed.url("gzip-feed")).body


def test_gunzip_never_holds_more_than_the_cap():
    with pytest.raises(ItemError, match="larger than 2 MB once decompressed"):
        gunzip(gzip_bomb(16 << 20), 2 << 20, "bomb")


@pytest.mark.django_db
def test_a_slow_feed_fails_in_time_and_the_other_feeds_import(allowed):
    started = time.monotonic()
    report = import_once([allowed.url("drip"), allowed.url("endless"), allowed.url("feed")])
    assert time.monotonic() - started < 4
    assert report.imported == 1 and report.failed == 2
    assert Article.objects.get().title == "Чесна новина"
