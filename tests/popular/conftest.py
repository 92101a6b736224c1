"""Each test starts with empty counters: process caches cleared, Redis keys under its own prefix."""

import uuid

import pytest
from django.core.cache import cache

from shpalta.popular import articles, counters
from tests.services import REDIS_URL, require_service

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    articles.forget()
    counters._database_counter.reset()
    yield
    cache.clear()
    articles.forget()


@pytest.fixture
def redis_counter(settings):
    """The Redis path against the real server, under a prefix no other test run shares."""
    url = require_service(REDIS_URL)
    settings.REDIS_URL = url
    settings.SHPALTA_POPULAR_REDIS_PREFIX = f"test:popular:{uuid.uuid4().hex[:12]}:"
    current = counters.counter()
    assert isinstance(current, counters.RedisCounter)
    yield current
    current.reset()


def beacon(client, article_id, *, ip="198.51.100.7", agent=BROWSER, **extra):
    """POST the beacon as the page's script does."""
    return client.post(
        "/api/views",
        data=f'{{"article": {article_id}}}',
        content_type="application/json",
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=agent,
        **extra,
    )
