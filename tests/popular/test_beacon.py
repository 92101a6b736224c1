"""POST /api/views: what counts, what is ignored, and that nothing about the reader is kept."""

import pytest
from django.db import connection
from django.test import Client

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.popular.models import HourlyViews, ReaderMark

from .conftest import BROWSER, beacon

pytestmark = pytest.mark.django_db


def views_of(article) -> int:
    return sum(HourlyViews.objects.filter(article=article).values_list("views", flat=True))


def test_a_view_counts_once_per_reader(client):
    article = factories.article()
    assert beacon(client, article.pk).status_code == 204
    assert beacon(client, article.pk).status_code == 204
    assert views_of(article) == 1


def test_other_readers_and_other_articles_count_separately(client):
    first, second = factories.article(), factories.article()
    beacon(client, first.pk)
    beacon(client, first.pk, ip="198.51.100.8")
    beacon(client, first.pk, agent=BROWSER.replace("126", "127"))
    beacon(client, second.pk)
    assert (views_of(first), views_of(second)) == (3, 1)


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "",
    ],
)
def test_crawlers_and_scripts_are_not_readers(client, agent):
    article = factories.article()
    assert beacon(client, article.pk, agent=agent).status_code == 204
    assert views_of(article) == 0


def test_cross_site_beacons_are_ignored(client):
    article = factories.article()
    beacon(client, article.pk, HTTP_SEC_FETCH_SITE="cross-site")
    assert views_of(article) == 0
    beacon(client, article.pk, HTTP_SEC_FETCH_SITE="same-origin")
    assert views_of(article) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'{"article": "7"}',
        b'{"article": true}',
        b'{"article": 0}',
        b'{"article": -3}',
        b'{"article": 1.5}',
        b'{"article": 1, "extra": 2}',
        b'{"article": 99999999999999999999999}',
        b'{"id": 1}',
        b"\xff\xfe",
        b'{"article": 1, "pad": "' + b"x" * 2000 + b'"}',
    ],
)
def test_malformed_beacons_are_refused_without_a_server_error(client, body):
    factories.article()
    response = client.post(
        "/api/views", data=body, content_type="application/json", HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 400
    assert "detail" in response.json()
    assert HourlyViews.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_other_methods_are_not_beacons(client, method):
    article = factories.article()
    response = getattr(client, method)("/api/views", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 405
    assert views_of(article) == 0


def test_unknown_draft_and_scheduled_articles_are_ignored(client):
    from datetime import timedelta

    from django.utils import timezone

    draft = factories.article(status=Article.Status.DRAFT)
    scheduled = factories.article(published_at=timezone.now() + timedelta(hours=1))
    for article_id in (draft.pk, scheduled.pk, 10**9):
        assert beacon(client, article_id).status_code == 204
    assert HourlyViews.objects.count() == 0


def test_an_integral_float_is_an_article_id(client):
    """JSON Schema's integer includes 7.0: the schema and the endpoint agree."""
    article = factories.article()
    assert beacon(client, f"{article.pk}.0").status_code == 204
    assert views_of(article) == 1


def test_text_plain_beacons_count_too(client):
    """Some senders use a text/plain Blob to stay a CORS 'simple' request."""
    article = factories.article()
    assert beacon(client, article.pk, content_type="text/plain").status_code == 204
    assert views_of(article) == 1


def test_no_csrf_token_and_no_cookie_needed():
    article = factories.article()
    client = Client(enforce_csrf_checks=True)
    response = beacon(client, article.pk)
    assert response.status_code == 204
    assert not response.cookies
    assert views_of(article) == 1


def test_no_ip_address_is_stored(client):
    article = factories.article()
    beacon(client, article.pk, ip="203.0.113.77")
    assert ReaderMark.objects.count() == 1
    key = ReaderMark.objects.get().key
    assert len(key) == 32 and "203.0.113" not in key
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table.startswith("popular_"):
                cursor.execute(f'SELECT * FROM "{table}"')
                assert "203.0.113.77" not in repr(cursor.fetchall())


def test_rate_limit_per_client(client, settings):
    settings.SHPALTA_VIEWS_PER_MINUTE = 5
    articles = [factories.article() for _ in range(7)]
    responses = [beacon(client, a.pk) for a in articles]
    assert [r.status_code for r in responses] == [204] * 5 + [429] * 2
    assert responses[-1]["Retry-After"] == "60"
    # Ukrainian, as the search page's and the API's own 429 answers are.
    assert responses[-1].json() == {
        "detail": "Забагато запитів. Зачекайте 60 секунд і спробуйте знову."
    }
    assert HourlyViews.objects.count() == 5


def test_rate_limit_lets_readers_behind_one_address_through(client, settings):
    """Thousands share one NAT address on mobile networks; they differ by user agent. (How
    many of them one address can have counted is test_address_budget's matter: off here.)"""
    settings.SHPALTA_VIEWS_PER_MINUTE = 5
    settings.SHPALTA_VIEWS_PER_ADDRESS_ARTICLE = settings.SHPALTA_VIEWS_PER_ADDRESS_SITE = 0
    article = factories.article()
    for n in range(40):
        agent = BROWSER.replace("126.0.0.0", f"126.0.{n}.0")
        assert beacon(client, article.pk, ip="100.64.0.1", agent=agent).status_code == 204
    assert views_of(article) == 40


def test_client_address_behind_a_trusted_proxy(client, settings):
    settings.SHPALTA_TRUSTED_PROXIES = 1
    article = factories.article()
    # The proxy (REMOTE_ADDR 10.0.0.1) appends the reader's address; the left part is forged.
    for forged in ("1.1.1.1", "2.2.2.2"):
        beacon(client, article.pk, ip="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.9")
    assert views_of(article) == 1
    beacon(client, article.pk, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert views_of(article) == 2


def test_database_failure_is_a_503_not_a_500(client, monkeypatch):
    from django.db import OperationalError

    from shpalta.popular import counters

    article = factories.article()

    def broken(views):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(counters._database_counter, "apply", broken)
    monkeypatch.setattr(counters.time, "sleep", lambda s: None)
    response = beacon(client, article.pk)
    assert response.status_code == 503
    assert views_of(article) == 0
