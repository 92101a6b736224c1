"""Impressions go through the view counter's filters: one per reader per creative per 30
minutes, crawlers and cross-site posts never, a client over its budget refused — on the
embedded path and on Redis."""

from datetime import UTC, datetime, timedelta

import pytest

from shpalta.ads import counting
from shpalta.ads.models import DailyStats, Mark

from .conftest import BROWSER, banner, impression

pytestmark = pytest.mark.django_db

BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/126.0.0.0 Safari/537.36",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "",
]


def impressions(creative=None) -> int:
    rows = DailyStats.objects.all() if creative is None else creative.stats.all()
    return sum(rows.values_list("impressions", flat=True))


@pytest.fixture(params=["database", "redis"])
def path(request):
    if request.param == "redis":
        return request.getfixturevalue("redis_ads")
    return counting.path()


def test_one_reader_counts_once_per_creative_within_the_window(client, path):
    one, two = banner("Один"), banner("Два")
    for _ in range(5):
        assert impression(client, one.pk).status_code == 204
    impression(client, two.pk)
    impression(client, one.pk, ip="198.51.100.8")
    impression(client, one.pk, agent=BROWSER.replace("126", "127"))  # another browser, same NAT
    assert impressions(one) == 3
    assert impressions(two) == 1


def test_the_window_ends_after_thirty_minutes(path):
    creative = banner()
    start = datetime(2026, 12, 2, 10, 0, tzinfo=UTC).timestamp()
    record = counting.path().record
    kind = counting.Kind.IMPRESSION
    assert record(kind, creative.pk, "198.51.100.7", BROWSER, start) is counting.Verdict.COUNTED
    later = start + 29 * 60
    assert record(kind, creative.pk, "198.51.100.7", BROWSER, later) is counting.Verdict.DUPLICATE
    if isinstance(path, counting.DatabasePath):  # Redis expires the mark on its own clock
        after = start + 31 * 60
        verdict = record(kind, creative.pk, "198.51.100.7", BROWSER, after)
        assert verdict is counting.Verdict.COUNTED
        assert impressions(creative) == 2


def test_midnight_does_not_reset_a_reader(path):
    creative = banner()
    before = datetime(2026, 12, 2, 23, 50, tzinfo=UTC).timestamp()
    after = before + 20 * 60  # 00:10 the next day, under the next day's key
    record = counting.path().record
    kind = counting.Kind.IMPRESSION
    assert record(kind, creative.pk, "198.51.100.7", BROWSER, before) is counting.Verdict.COUNTED
    assert record(kind, creative.pk, "198.51.100.7", BROWSER, after) is counting.Verdict.DUPLICATE


@pytest.mark.parametrize("agent", BOTS)
def test_crawlers_scripts_and_headless_browsers_are_not_counted(client, path, agent):
    creative = banner()
    assert impression(client, creative.pk, agent=agent).status_code == 204
    assert impressions() == 0


def test_a_cross_site_post_is_not_counted(client, path):
    creative = banner()
    impression(client, creative.pk, HTTP_SEC_FETCH_SITE="cross-site")
    assert impressions() == 0
    impression(client, creative.pk, HTTP_SEC_FETCH_SITE="same-origin")
    assert impressions() == 1


def test_creatives_not_running_are_ignored(client, path):
    ended = banner("Минулий", ends_at=datetime.now(UTC) - timedelta(minutes=1))
    future = banner("Майбутній", starts_at=datetime.now(UTC) + timedelta(hours=1))
    off = banner("Вимкнений", active=False)
    for creative in (ended, future, off):
        assert impression(client, creative.pk).status_code == 204
    assert impression(client, 999_999).status_code == 204
    assert impressions() == 0


def test_rate_limit_per_client(client, settings, path):
    settings.SHPALTA_ADS_IMPRESSIONS_PER_MINUTE = 5
    creatives = [banner(f"Банер {n}") for n in range(8)]
    answers = [impression(client, c.pk).status_code for c in creatives]
    assert answers[:5] == [204] * 5
    assert answers[5:] == [429] * 3
    assert impressions() == 5
    limited = impression(client, creatives[0].pk)
    assert limited["Retry-After"] == "60"
    assert "Забагато запитів" in limited.json()["detail"]
    assert impression(client, creatives[6].pk, ip="198.51.100.99").status_code == 204


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"[]",
        b'{"creative": "1"}',
        b'{"creative": 0}',
        b'{"creative": true}',
        b'{"creative": 1, "x": 2}',
        b'{"article": 1}',
        b'{"creative": 1.5}',
        b"x" * 300,
    ],
)
def test_malformed_beacons_answer_400_and_count_nothing(client, body):
    banner()
    response = client.post(
        "/api/ads/impressions",
        data=body,
        content_type="application/json",
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 400
    assert impressions() == 0


def test_no_address_is_stored(client):
    creative = banner()
    impression(client, creative.pk, ip="203.0.113.77")
    [mark] = Mark.objects.all()
    assert "203.0.113.77" not in mark.key and len(mark.key) == 34


def test_an_unreachable_redis_answers_503(client, settings):
    creative = banner()
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    assert impression(client, creative.pk).status_code == 503


def rotating(n: int) -> str:
    return BROWSER.replace("126.0.0.0", f"126.0.{n}.0")


@pytest.fixture
def budgets(settings):
    settings.SHPALTA_VIEWS_PER_ADDRESS_ARTICLE = 10
    settings.SHPALTA_VIEWS_PER_ADDRESS_SITE = 25


def test_one_address_rotating_user_agents_adds_a_bounded_number(client, budgets, path):
    creative = banner()
    for n in range(60):
        assert impression(client, creative.pk, agent=rotating(n)).status_code == 204
    assert impressions(creative) == 10  # popular's per-address, per-item budget
    for n in range(60):  # those over budget were marked: their repeats stay duplicates
        impression(client, creative.pk, agent=rotating(n))
    assert impressions(creative) == 10
    impression(client, creative.pk, ip="198.51.100.200")
    assert impressions(creative) == 11  # another address has its own budget


def test_the_site_budget_bounds_an_address_across_creatives(client, budgets, path):
    creatives = [banner(f"Банер {n}") for n in range(5)]
    for creative in creatives:
        for n in range(8):
            impression(client, creative.pk, agent=rotating(n))
    assert impressions() == 25
    assert all(impressions(c) <= 10 for c in creatives)


def test_readers_behind_one_nat_under_budget_all_count(client, budgets, path):
    creative = banner()
    for n in range(5):
        impression(client, creative.pk, agent=rotating(n))
    assert impressions(creative) == 5
