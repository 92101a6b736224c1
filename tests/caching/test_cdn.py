"""Publishing, correcting or withdrawing an article purges its pages at the CDN."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shpalta.news import factories
from shpalta.news.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


class FakeEdge(BaseHTTPRequestHandler):
    """A caching proxy on loopback that records the PURGE requests it gets."""

    seen: list

    def do_PURGE(self):
        self.seen.append((self.path, self.headers["Host"]))
        self.send_response(200 if self.path != "/feed/atom/" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def edge(settings):
    FakeEdge.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeEdge)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SHPALTA_CDN_PURGE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SITE_URL = "https://news.example.ua"
    yield FakeEdge.seen
    server.shutdown()


def test_publishing_purges_the_article_and_the_lists_that_show_it(edge):
    politics = factories.category("Політика")
    article = factories.article("Парламент ухвалив бюджет", category=politics, tags=["Бюджет"])
    paths = {path for path, _ in edge}
    assert {article.get_absolute_url(), "/", "/feed/", politics.get_absolute_url()} <= paths
    assert {host for _, host in edge} == {"news.example.ua"}


def test_withdrawing_a_story_purges_it_but_saving_a_draft_does_not(edge):
    draft = factories.article("Чернетка", status=Article.Status.DRAFT)
    assert edge == []
    draft.status = Article.Status.PUBLISHED
    draft.save()
    edge.clear()
    draft.status = Article.Status.DRAFT
    draft.save()
    assert draft.get_absolute_url() in {path for path, _ in edge}


def test_a_changed_slug_purges_the_old_address_too(edge):
    article = factories.article("Стара назва")
    old = article.get_absolute_url()
    article.slug = "nova-nazva"
    article.save()
    assert old in {path for path, _ in edge}


@pytest.mark.urls("tests.prefixed_urls")
def test_purged_paths_come_from_the_url_names(edge):
    article = factories.article("Стара назва")
    edge.clear()
    article.slug = "nova-nazva"
    article.save()
    paths = {path for path, _ in edge}
    assert {"/uk/novyny/stara-nazva/", "/uk/novyny/nova-nazva/", "/uk/", "/uk/feed/"} <= paths
    assert not any(path.startswith(("/novyny/", "/feed/")) for path in paths)


def test_an_unreachable_cdn_is_counted_not_raised(settings):
    from shpalta.caching.cdn import purge

    settings.SHPALTA_CDN_PURGE_URL = "http://127.0.0.1:9"
    result = purge.enqueue(["/"])
    assert result.return_value == {"purged": 0, "failed": 1}


def test_without_a_purge_url_nothing_is_sent(edge, settings):
    settings.SHPALTA_CDN_PURGE_URL = ""
    factories.article("Без CDN")
    assert edge == []
