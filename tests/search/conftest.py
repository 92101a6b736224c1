import pytest
from django.core.cache import cache

from shpalta.ops import ratelimit
from shpalta.search.backends import postgres
from shpalta.search.service import _FREQUENCIES


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with a full search budget (the limit is per client per minute) and
    counts its own word frequencies (they are remembered for minutes per process)."""
    cache.clear()
    ratelimit.reset()
    _FREQUENCIES.clear()
    postgres.lemma_statistics.forget()  # PostgreSQL's statistics and size, remembered
    postgres.index_size.forget()  # for minutes per process, are this test's own
    yield
    cache.clear()
    ratelimit.reset()
