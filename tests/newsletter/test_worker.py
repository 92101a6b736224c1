"""A real `shpalta worker` sends the day's digest by itself once its time has come, once."""

import time

import pytest

from tests.ops.scratch import env_for, scratch_database, shpalta, start, stop, wait_until

READERS = 3
SEED = (
    "from shpalta.news import factories; from shpalta.newsletter.models import Subscriber; "
    "factories.article('Новина дня', lead='Лід.'); "
    f"[Subscriber.objects.create(email=f'r{{n}}@example.com', status='confirmed') "
    f"for n in range({READERS})]"
)
ISSUES = (
    "from shpalta.newsletter.models import Issue; "
    "print([(i.kind, i.status) for i in Issue.objects.all()])"
)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_digest_at_its_time_and_only_once(tmp_path, smtp):
    with scratch_database(tmp_path) as url:
        env = env_for(
            url,
            tmp_path,
            SHPALTA_TASKS="database",
            SHPALTA_EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            SHPALTA_NEWSLETTER_TIME="00:00",  # already due, whenever the test runs
        )
        shpalta("migrate", "--noinput", "-v0", env=env)
        shpalta("shell", "-v0", "-c", SEED, env=env)
        beat = ["--heartbeat", "0.5", "--stale-after", "2", "--interval", "0.2"]
        worker = start("worker", *beat, env=env, log=tmp_path / "worker.log")
        try:
            received = lambda: len(smtp.mailbox.received) >= READERS  # noqa: E731
            wait_until(received, 40, "the digest to reach every reader")
            time.sleep(2)  # more beats: the day's digest is not queued again
        finally:
            assert stop(worker) == 0, (tmp_path / "worker.log").read_text()
        issues = shpalta("shell", "-v0", "-c", ISSUES, env=env).stdout.strip()
    assert sorted(smtp.mailbox.recipients()) == [f"r{n}@example.com" for n in range(READERS)]
    assert issues == "[('daily', 'sent')]"
