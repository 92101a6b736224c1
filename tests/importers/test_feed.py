"""The feed importer on feedparser's own test feeds, near-duplicates and polling."""

import codecs
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from shpalta.importers.feed import import_feeds, import_once, parse_bytes, parse_only
from shpalta.importers.items import Item, tidy_item
from shpalta.importers.models import FeedSource, ImportRecord
from shpalta.importers.pipeline import Failure, Skip
from shpalta.news.models import Article
from shpalta.text.sanitise import sanitise_html


@pytest.fixture
def feeds_dir(data_dir) -> Path:
    return data_dir / "feeds" / "feedparser" / "tests"


def feed_files(root: Path, *parts) -> list[Path]:
    return sorted(p for p in root.joinpath(*parts).rglob("*") if p.is_file())


def test_every_feedparser_test_feed_goes_through_the_parser_layer(feeds_dir):
    """~2,100 feeds: no crash; every entry is an item that tidies or a clear failure."""
    files = feed_files(feeds_dir)
    assert len(files) > 1800
    items = failures = 0
    for path in files:
        for entry in parse_only(path):
            if isinstance(entry, Failure):
                assert entry.reason, path
                failures += 1
            elif isinstance(entry, Item):
                try:
                    tidy_item(entry)
                except Exception as error:  # noqa: BLE001 - a clear reason is what is tested
                    assert str(error), path
                    continue
                # the body stays as the feed wrote it; Article.save stores it sanitised
                assert "<script" not in sanitise_html(entry.body).lower(), path
                assert entry.title and "\n" not in entry.title, path
                items += 1
    # most of these feeds test one element each, so many entries have no title and no text
    assert items > 400 and failures > 0


def test_illformed_feeds_give_a_clear_error_or_a_partial_import(feeds_dir):
    files = feed_files(feeds_dir, "illformed")
    assert len(files) >= 19
    errors = partial = 0
    for path in files:
        entries = parse_only(path)
        if entries and isinstance(entries[0], Failure) and entries[0].label == str(path):
            assert entries[0].reason.startswith(("not a readable feed", "empty file")), path
            errors += 1
        else:
            partial += 1
    assert errors >= 3 and partial >= 3


def test_koi8r_declared_as_nothing_is_read_as_koi8r(feeds_dir):
    entries = parse_only(feeds_dir / "illformed" / "chardet" / "koi8r.xml")
    item = next(e for e in entries if isinstance(e, Item))
    assert item.title == "Как пережить новогоднюю ночь"
    assert "koi8" in item.note.lower()


def test_encoding_feeds_are_read_in_the_encoding_feedparser_expects(feeds_dir):
    """Each file's header states the encoding a parser must find (`encoding == '...'`) and the
    HTTP headers it is served with (`Header:`); the importer's parse must agree."""
    checked = 0
    for path in feed_files(feeds_dir, "encoding"):
        data = path.read_bytes()
        head = data[:3000].decode("latin-1")
        expected = re.search(r"encoding == '([^']+)'", head)
        headers = {k.lower(): v.strip() for k, v in re.findall(r"Header:\s*([\w-]+):\s*(.*)", head)}
        parsed = parse_bytes(data, headers, str(path), [])
        if expected:
            assert codecs.lookup(parsed.encoding).name == codecs.lookup(expected[1]).name, path
            checked += 1
    assert checked >= 40


@pytest.mark.django_db
def test_a_sample_imports_and_reimports_without_duplicates(feeds_dir):
    sample = [p for p in feed_files(feeds_dir, "wellformed", "rss") if "item_" in p.name][:40]
    sample += feed_files(feeds_dir, "wellformed", "atom10")[:40]
    first = import_once(sample)
    assert first.imported > 5
    count = Article.objects.count()
    again = import_once(sample)
    assert (again.imported, again.updated) == (0, 0)
    assert Article.objects.count() == count
    assert again.failed == first.failed  # the same entries are reported the same way


@pytest.mark.django_db
def test_broken_feed_is_reported_and_the_others_import(feeds_dir, tmp_path):
    good = tmp_path / "good.xml"
    good.write_text(rss([("g1", "https://example.org/a", "Заголовок", "Текст новини.")]))
    report = import_once([feeds_dir / "illformed" / "aaa_illformed.xml", good, tmp_path / "nope"])
    assert report.imported == 1
    assert report.failed == 2
    reasons = dict(report.errors)
    assert reasons[str(tmp_path / "nope")] == "no such file, and not an http(s) URL"
    assert reasons[str(feeds_dir / "illformed" / "aaa_illformed.xml")].startswith("not a readable")


def uk_texts(data_dir, n: int) -> list[dict]:
    with (data_dir / "uk-news" / "articles.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(200), handle, strict=False)]
    return [r for r in rows if len(r["text"].split()) > 120][:n]


def rss(entries, title="Стрічка") -> str:
    items = "".join(
        f"<item><guid>{guid}</guid><link>{link}</link><title>{head}</title>"
        f"<description><![CDATA[{body}]]></description>"
        "<pubDate>Tue, 10 Jun 2025 09:00:00 +0300</pubDate></item>"
        for guid, link, head, body in entries
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
    return f"{head}<channel><title>{title}</title>{items}</channel></rss>"


@pytest.mark.django_db
def test_the_same_story_from_two_feeds_appears_once(data_dir, tmp_path):
    story, other = uk_texts(data_dir, 2)
    words = story["text"].split()
    edited = " ".join(words[:-12]) + " Про це повідомляє агенція."  # trimmed and re-signed
    one = tmp_path / "one.xml"
    one.write_text(
        rss([("urn:one:1", "https://one.example/1", story["title"], story["text"])], "Перша")
    )
    two = tmp_path / "two.xml"
    two.write_text(
        rss(
            [
                ("urn:two:9", "https://two.example/9", story["title"] + " — деталі", edited),
                ("urn:two:10", "https://two.example/10", other["title"], other["text"]),
            ],
            "Друга",
        )
    )
    assert import_once([one]).imported == 1
    report = import_once([two])
    assert (report.imported, report.skipped) == (1, 1)
    assert "near-duplicate" in report.notes[0][1]
    assert Article.objects.count() == 2
    first = Article.objects.get(source_url="https://one.example/1")
    assert first.source_name == "Перша"
    assert ImportRecord.objects.get(article=first).fingerprint


@pytest.mark.django_db
def test_same_link_under_another_guid_updates_the_same_article(tmp_path):
    one = tmp_path / "one.xml"
    one.write_text(rss([("1", "https://example.org/story", "Стара назва", "Текст.")]))
    two = tmp_path / "two.xml"
    two.write_text(rss([("urn:x", "https://example.org/story", "Нова назва", "Текст.")]))
    import_once([one])
    assert import_once([two]).updated == 1
    assert Article.objects.get().title == "Нова назва"


class FeedServer(BaseHTTPRequestHandler):
    body = b""
    etag = '"v1"'
    hits: list = []

    def do_GET(self):  # noqa: N802 - the http.server API
        if self.path == "/missing":
            self.send_error(404, "Not Found")
            return
        FeedServer.hits.append((self.headers.get("If-None-Match"), self.headers.get("User-Agent")))
        if self.headers.get("If-None-Match") == self.etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", self.etag)
        self.send_header("Last-Modified", "Tue, 10 Jun 2025 09:00:00 GMT")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server(settings):
    settings.SHPALTA_FETCH_ALLOW_PRIVATE = True  # the server is on loopback
    FeedServer.body = rss([("urn:s:1", "https://s.example/1", "Новина", "Текст новини.")]).encode()
    FeedServer.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/feed.xml"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_polling_through_the_task_framework_uses_etag(feed_server):
    rounds = []
    total = import_feeds([feed_server], every=0.0001, rounds=3, on_report=rounds.append)
    assert [r.imported for r in rounds] == [1, 0, 0]
    assert total.imported == 1 and total.failed == 0
    assert [etag for etag, _ in FeedServer.hits] == [None, '"v1"', '"v1"']
    assert all(agent.startswith("Shpalta/") for _, agent in FeedServer.hits)
    source = FeedSource.objects.get(url=feed_server)
    assert source.etag == '"v1"' and source.title == "Стрічка"
    assert Article.objects.get().source_name == "Стрічка"


@pytest.mark.django_db
def test_dry_run_json_for_a_feed(tmp_path):
    path = tmp_path / "f.xml"
    path.write_text(rss([("urn:a", "https://example.org/a", "Назва", "<p>Перший абзац.</p>")]))
    seen = []
    report = import_feeds([path], dry_run=True, emit=seen.append)
    assert report.imported == 1 and Article.objects.count() == 0
    assert seen == [
        {
            "source": str(path),
            "title": "Назва",
            "author": None,
            "published_at": "2025-06-10T06:00:00+00:00",
            "text": "Перший абзац.",
            "url": "https://example.org/a",
        }
    ]


def test_skip_is_what_a_304_gives():
    assert Skip("x", "not modified").reason == "not modified"


@pytest.mark.django_db
def test_an_http_error_is_reported_and_remembered(feed_server):
    missing = feed_server.replace("/feed.xml", "/missing")
    report = import_once([missing, feed_server])
    assert report.imported == 1
    assert report.errors == [(missing, "HTTP 404 Not Found")]
    assert FeedSource.objects.get(url=missing).last_status == "failed: HTTP 404 Not Found"


@pytest.mark.django_db
def test_a_cover_enclosure_that_is_not_a_web_address_is_dropped(tmp_path):
    path = tmp_path / "f.xml"
    path.write_text(
        rss([("urn:a", "https://example.org/a", "Назва", "Текст.")]).replace(
            "</item>",
            '<enclosure url="javascript:alert(1)" type="image/png" length="1"/></item>',
        )
    )
    assert import_once([path]).imported == 1
    assert Article.objects.get().cover_image_url == ""


@pytest.mark.django_db
def test_an_unreadable_file_is_a_reported_failure(tmp_path, monkeypatch):
    """Tests may run as root, where chmod 000 does not stop reading: the error is simulated."""
    locked = tmp_path / "locked.xml"
    locked.write_text(rss([("urn:l", "https://example.org/l", "Замкнена", "Текст.")]))
    good = tmp_path / "good.xml"
    good.write_text(rss([("urn:g", "https://example.org/g", "Відкрита", "Текст.")]))
    real_open = Path.open

    def open_(path, *args, **kwargs):
        if path == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    report = import_once([locked, good, tmp_path])
    assert report.imported == 1
    assert report.errors == [
        (str(locked), "cannot read: Permission denied"),
        (str(tmp_path), "is a directory, not a file"),
    ]
