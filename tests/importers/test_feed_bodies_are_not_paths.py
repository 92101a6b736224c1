"""A fetched feed body is parsed as bytes: a body that names a local file is never opened."""

import time

import pytest

from shpalta.importers.feed import import_once, parse_bytes
from shpalta.news.models import Article

from .evil_server import rss

pytestmark = pytest.mark.django_db


@pytest.fixture
def allowed(evil, settings):
    settings.SHPALTA_FETCH_ALLOW_PRIVATE = True
    return evil


def test_a_body_naming_a_local_rss_file_imports_nothing_from_it(allowed, tmp_path):
    local = tmp_path / "local.xml"
    local.write_bytes(rss("Новина з чужого диска", guid="local"))
    allowed.httpd.RequestHandlerClass.local_feed = str(local)
    report = import_once([allowed.url("local-feed")])
    assert report.imported == 0 and report.failed == 1
    assert not Article.objects.filter(title__contains="чужого диска").exists()


def test_a_body_saying_etc_passwd_is_not_a_feed(allowed):
    report = import_once([allowed.url("passwd")])
    [(label, reason)] = report.errors
    assert label == allowed.url("passwd") and reason.startswith("not a readable feed:")
    assert "root:" not in reason


def test_a_body_saying_dev_zero_fails_at_once_and_the_next_feed_imports(allowed):
    started = time.monotonic()
    report = import_once([allowed.url("dev-zero"), allowed.url("feed")])
    assert time.monotonic() - started < 2
    assert report.imported == 1 and report.failed == 1
    assert Article.objects.get().title == "Чесна новина"


def test_bytes_that_are_a_path_are_parsed_as_text_not_opened(tmp_path):
    local = tmp_path / "local.xml"
    local.write_bytes(rss("Не звідси"))
    parsed = parse_bytes(str(local).encode(), {}, "test", [])
    assert parsed.entries == []


def test_dev_zero_on_the_command_line_is_refused_at_the_size_cap(settings):
    settings.SHPALTA_FETCH_MAX_BYTES = 1 << 20
    report = import_once(["/dev/zero"])
    assert report.errors == [("/dev/zero", "/dev/zero: larger than 1 MB")]
