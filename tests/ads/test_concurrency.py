"""Impressions raced from many threads at once (each its own database connection): one reader
counts once, distinct readers each once, on the database path and on Redis.

On PostgreSQL (the suite's services run). The SQLite test database is in memory with a shared
cache, whose table locks fail at once instead of waiting as a real file's locks do, so there
the race is run by bench/ads.py against a real SQLite file (gunicorn, 2 workers × 4 threads),
which checks the counts against the distinct beacons sent."""

import threading
import time

import pytest
from django.db import connection

from shpalta.ads import counting
from shpalta.ads.models import DailyStats

from .conftest import BROWSER, banner

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, ROUNDS = 8, 5


def race(creative_id: int, reader_of) -> list[counting.Verdict]:
    """THREADS threads, each sending ROUNDS beacons, all released at one moment."""
    start, verdicts, lock = threading.Barrier(THREADS), [], threading.Lock()
    now = time.time()

    def send(n: int):
        try:
            start.wait()
            for r in range(ROUNDS):
                ip, agent = reader_of(n, r)
                verdict = counting.path().record(
                    counting.Kind.IMPRESSION, creative_id, ip, agent, now
                )
                with lock:
                    verdicts.append(verdict)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return verdicts


@pytest.fixture(params=["database", "redis"])
def path(request):
    if connection.vendor == "sqlite":
        pytest.skip("an in-memory shared-cache SQLite cannot host a thread race (see above)")
    if request.param == "redis":
        return request.getfixturevalue("redis_ads")
    return counting.path()


def counted() -> int:
    return sum(DailyStats.objects.values_list("impressions", flat=True))


def test_one_reader_from_many_threads_counts_once(path):
    creative = banner()
    verdicts = race(creative.pk, lambda n, r: ("198.51.100.7", BROWSER))
    assert verdicts.count(counting.Verdict.COUNTED) == 1
    assert counted() == 1


def test_distinct_readers_from_many_threads_each_count_once(path):
    creative = banner()
    verdicts = race(creative.pk, lambda n, r: (f"198.51.{n}.{r % 2}", BROWSER))
    assert verdicts.count(counting.Verdict.COUNTED) == THREADS * 2
    assert counted() == THREADS * 2
