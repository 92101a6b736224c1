"""Behind nginx every request comes from 127.0.0.1: per-reader limits must use the forwarded
address (SHPALTA_TRUSTED_PROXIES), or all readers share one budget."""

import pytest
from django.core.cache import cache

from shpalta.ops import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_one_proxy(settings):
    settings.SHPALTA_TRUSTED_PROXIES = 1
    settings.SHPALTA_SEARCH_RATE_LIMIT = 2
    cache.clear()
    ratelimit.reset()
    yield
    cache.clear()
    ratelimit.reset()


def search(client, reader):
    return client.get(
        "/search/", {"q": "бюджет"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=reader
    ).status_code


def test_each_reader_behind_the_proxy_has_its_own_search_budget(client, behind_one_proxy):
    assert [search(client, "198.51.100.1") for _ in range(2)] == [200, 200]
    assert search(client, "198.51.100.2") == 200  # another reader, same proxy address
    assert search(client, "198.51.100.1") == 429


def test_a_forged_forwarded_address_does_not_buy_a_new_budget(client, behind_one_proxy):
    # The client writes its own X-Forwarded-For; nginx appends the real address after it.
    statuses = [search(client, f"10.0.0.{n}, 198.51.100.9") for n in range(3)]
    assert statuses == [200, 200, 429]
