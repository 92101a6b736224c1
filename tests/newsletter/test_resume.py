"""A sender killed in the middle of an issue: the next run finishes it, mailing no one twice."""

import os
import signal
import time
from collections import Counter

import pytest

from tests.ops.scratch import env_for, scratch_database, shpalta, start, stop, wait_until

from .smtpserver import SMTPServer

READERS = 10
SEED = (
    "from shpalta.news import factories; from shpalta.newsletter.models import Subscriber; "
    "factories.article('Новина дня', lead='Лід.'); "
    f"[Subscriber.objects.create(email=f'r{{n}}@example.com', status='confirmed') "
    f"for n in range({READERS})]"
)
STATES = (
    "from collections import Counter; from shpalta.newsletter.models import Delivery; "
    "print(sorted(Counter(Delivery.objects.values_list('status', flat=True)).items()))"
)


@pytest.mark.django_db(transaction=True)
def test_a_send_killed_mid_batch_resumes_without_duplicates(tmp_path):
    smtp = SMTPServer().start()
    smtp.mailbox.hold_at = 5  # the fifth message reaches the server; its answer never comes
    try:
        with scratch_database(tmp_path) as url:
            env = env_for(
                url,
                tmp_path,
                SHPALTA_EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
                SHPALTA_NEWSLETTER_BATCH="3",
                SHPALTA_NEWSLETTER_STALE_SECONDS="1",
            )
            shpalta("migrate", "--noinput", "-v0", env=env)
            shpalta("shell", "-v0", "-c", SEED, env=env)
            sender = start("newsletter", "send", env=env, log=tmp_path / "first.log")
            try:
                wait_until(smtp.mailbox.holding.is_set, 30, "the fifth message to be in flight")
                os.kill(sender.pid, signal.SIGKILL)
                sender.wait(10)
            finally:
                stop(sender)
            smtp.mailbox.release.set()
            assert len(smtp.mailbox.received) == 5
            time.sleep(1.5)  # the dead sender's hold on the issue runs out
            done = shpalta("newsletter", "send", env=env)
            assert "надіслано 5" in done.stdout
            states = shpalta("shell", "-v0", "-c", STATES, env=env).stdout.strip()
    finally:
        smtp.stop()
    counts = Counter(smtp.mailbox.recipients())
    assert sorted(counts) == sorted(f"r{n}@example.com" for n in range(READERS))
    assert set(counts.values()) == {1}
    # the one in flight when the sender died is recorded as unknown, not sent again
    assert states == "[('sent', 9), ('unknown', 1)]"
