"""One client address rotating user agents adds a bounded number of views (issue 21, item 3).

Readers behind one NAT address differ only by their browsers, and so does a script that
rotates user agents: each new agent is a new reader. The per-address budgets bound what one
address can add per half hour, on one article and on the whole site, on both counting paths.
"""

from datetime import timedelta

import pytest
from freezegun import freeze_time

from shpalta.news import factories
from shpalta.popular import counters, journal, readers
from shpalta.popular.models import AddressBudget, HourlyViews

from .conftest import BROWSER, beacon

pytestmark = pytest.mark.django_db


def agent(n: int) -> str:
    return BROWSER.replace("126.0.0.0", f"126.0.{n}.0")


def views_of(article) -> int:
    return sum(HourlyViews.objects.filter(article=article).values_list("views", flat=True))


def total() -> int:
    return sum(HourlyViews.objects.values_list("views", flat=True))


@pytest.fixture(autouse=True)
def _api_built_before_the_clock_is_frozen(client):
    """django-ninja builds its schemas on the first request; under freezegun they would meet
    its FakeDatetime."""
    client.post("/api/views", data="{}", content_type="application/json")


@pytest.fixture
def budgets(settings):
    settings.SHPALTA_VIEWS_PER_ADDRESS_ARTICLE = 10
    settings.SHPALTA_VIEWS_PER_ADDRESS_SITE = 25


@pytest.fixture(params=["database", "redis"])
def path(request, budgets):
    """The embedded path (the database) or Redis, flushed before the counts are read."""
    if request.param == "redis":
        current = request.getfixturevalue("redis_counter")
        # No automatic flush in a thread of its own (on PostgreSQL it would not see this test's
        # articles): the test flushes by hand.
        current.client.set(current.flush_due, "1", ex=3600)
    return request.param


def flushed() -> None:
    if isinstance(counters.counter(), counters.RedisCounter):
        counters.flush()


def test_rotating_agents_from_one_address_add_at_most_the_article_budget(client, path):
    with freeze_time("2026-03-10 12:00:00"):
        article = factories.article()
        for n in range(60):
            assert beacon(client, article.pk, ip="203.0.113.5", agent=agent(n)).status_code == 204
        flushed()
        assert views_of(article) == 10
        # Other addresses are not held back by it.
        for n in range(3):
            beacon(client, article.pk, ip=f"198.51.100.{n + 1}")
        flushed()
        assert views_of(article) == 13


def test_rotating_over_many_articles_adds_at_most_the_site_budget(client, path):
    with freeze_time("2026-03-10 12:00:00"):
        articles = [factories.article() for _ in range(8)]
        for n in range(6):
            for article in articles:
                beacon(client, article.pk, ip="203.0.113.6", agent=agent(n))
        flushed()
        assert total() == 25


def test_the_budget_starts_again_in_the_next_half_hour(client, path):
    with freeze_time("2026-03-10 12:10:00") as clock:
        article = factories.article()
        for n in range(15):
            beacon(client, article.pk, ip="203.0.113.7", agent=agent(n))
        flushed()
        assert views_of(article) == 10
        clock.move_to("2026-03-10 12:30:00")
        for n in range(15, 30):
            beacon(client, article.pk, ip="203.0.113.7", agent=agent(n))
        flushed()
        assert views_of(article) == 20


def test_readers_behind_one_address_under_the_budget_all_count(client, path):
    """NAT-friendly: a handful of readers sharing an office's address are all counted, and a
    reload is still one view that spends nothing."""
    with freeze_time("2026-03-10 12:00:00"):
        article = factories.article()
        for n in range(8):
            beacon(client, article.pk, ip="100.64.0.1", agent=agent(n))
            beacon(client, article.pk, ip="100.64.0.1", agent=agent(n))
        flushed()
        assert views_of(article) == 8


def test_one_ipv6_subscriber_is_one_address(client, path):
    """Rotating addresses inside one /64 (what one subscriber gets) is one address."""
    with freeze_time("2026-03-10 12:00:00"):
        article = factories.article()
        for n in range(30):
            beacon(client, article.pk, ip=f"2001:db8:5:7::{n + 1:x}", agent=agent(n))
        beacon(client, article.pk, ip="2001:db8:5:8::1")  # another /64
        flushed()
        assert views_of(article) == 11


def test_zero_switches_the_budgets_off(client, settings):
    settings.SHPALTA_VIEWS_PER_ADDRESS_ARTICLE = 0
    settings.SHPALTA_VIEWS_PER_ADDRESS_SITE = 0
    article = factories.article()
    for n in range(30):
        beacon(client, article.pk, ip="203.0.113.8", agent=agent(n))
    assert views_of(article) == 30


def test_journal_batches_keep_the_budget_and_old_lines_still_count(budgets, settings, tmp_path):
    """A journal segment is applied as one batch: the bound holds inside it; a line written
    before the budgets existed (four fields, no address) is counted as it was."""
    settings.SHPALTA_VIEWS_JOURNAL_DIR = str(tmp_path)
    article = factories.article()
    at = 1_773_144_000
    views = [readers.make_view("203.0.113.9", agent(n), article.pk, at + n) for n in range(40)]
    old = counters.View(article.pk, at, "c" * 32, "d" * 32)
    data = b"".join(journal.encode(v) for v in views) + journal.encode(old)
    assert journal.encode(old).count(b" ") == 3
    decoded = journal.decode(data)
    assert len(decoded) == 41
    assert counters._database_counter.apply(decoded) and views_of(article) == 11
    assert AddressBudget.objects.filter(key__startswith="a:").get().used == 10


def test_addresses_are_not_stored(client, budgets):
    article = factories.article()
    beacon(client, article.pk, ip="203.0.113.77")
    keys = " ".join(AddressBudget.objects.values_list("key", flat=True))
    assert keys and "203.0.113.77" not in keys
    assert readers.address_key("203.0.113.77", 0) != readers.address_key("203.0.113.77", 86_400)


def test_budgets_are_pruned_with_the_marks(client, budgets):
    with freeze_time("2026-03-10 12:00:00") as clock:
        beacon(client, factories.article().pk, ip="203.0.113.10")
        assert AddressBudget.objects.count() == 2
        clock.tick(timedelta(hours=3))
        counters._database_counter._last_prune = 0.0
        beacon(client, factories.article().pk, ip="203.0.113.11")
        assert AddressBudget.objects.count() == 2  # only the new view's two
