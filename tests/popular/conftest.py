"""Each test starts with empty counters: process caches cleared, Redis keys under its own prefix.

Tests run on the embedded (database) path unless they ask for `redis_counter`, also in the
suite's PostgreSQL + Redis run. Nothing here flushes a whole cache or Redis database: other
test runs may share the server.
"""

import uuid

import pytest

from shpalta.popular import articles, counters, tasks
from tests.beacons import BROWSER, redis_database
from tests.services import require_service

POPULAR_REDIS_URL = redis_database("SHPALTA_TEST_POPULAR_REDIS_URL", 11)


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.REDIS_URL = ""
    settings.SHPALTA_VIEWS_FLUSH_SECONDS = 0  # written at once; test_journal batches
    settings.SHPALTA_POPULAR_CACHE_SECONDS = 0  # rankings computed afresh in every test
    articles.forget()
    counters._database_counter.reset()
    yield
    articles.forget()


@pytest.fixture
def redis_counter(settings):
    """The Redis path against the real server, under a prefix no other test run shares."""
    url = require_service(POPULAR_REDIS_URL)
    settings.REDIS_URL = url
    settings.SHPALTA_POPULAR_REDIS_PREFIX = f"test:popular:{uuid.uuid4().hex[:12]}:"
    settings.SHPALTA_VIEWS_FLUSH_SECONDS = 30
    current = counters.counter()
    assert isinstance(current, counters.RedisCounter)
    yield current
    tasks.background_flush.join(timeout=30)  # a flush a beacon started: not into the next test
    current.reset()


def beacon(
    client,
    article_id,
    *,
    ip="198.51.100.7",
    agent=BROWSER,
    content_type="application/json",
    **extra,
):
    """POST the beacon as the page's script does. `article_id` goes into the JSON as written,
    so a string such as "7.0" sends that exact number."""
    return client.post(
        "/api/views",
        data=f'{{"article": {article_id}}}',
        content_type=content_type,
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=agent,
        **extra,
    )
