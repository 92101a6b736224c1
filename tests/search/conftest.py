import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with a full search budget (the limit is per client per minute)."""
    cache.clear()
    yield
    cache.clear()
