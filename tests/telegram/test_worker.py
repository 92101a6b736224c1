"""Through real `shpalta worker` processes: a worker killed mid-send, and a scheduled story."""

import os
import signal
import time

import pytest

from tests.ops.scratch import env_for, scratch_database, shpalta, start, stop, wait_until

from .botserver import TOKEN

BEAT = ["--heartbeat", "0.5", "--stale-after", "2", "--interval", "0.2"]
MAKE_STORY = (
    "from datetime import timedelta; from django.utils import timezone; "
    "from shpalta.news import factories; "
    "print(factories.article(title='Історія', published_at=timezone.now() + "
    "timedelta(seconds={delay})).pk)"
)
STATE = (
    "from shpalta.telegram.models import TelegramPost as P; "
    "p = P.objects.get(); print(p.state, p.message_id)"
)


@pytest.fixture
def site(tmp_path, bot):
    with scratch_database(tmp_path) as url:
        env = env_for(
            url,
            tmp_path,
            SHPALTA_TASKS="database",
            SHPALTA_TELEGRAM_BOT_TOKEN=TOKEN,
            SHPALTA_TELEGRAM_CHAT_ID="-1001234567890",
            SHPALTA_TELEGRAM_API_URL=bot.url,
            SHPALTA_TELEGRAM_TIMEOUT="1",
        )
        shpalta("migrate", "--noinput", "-v0", env=env)
        yield env


def state(env) -> list[str]:
    return shpalta("shell", "-v0", "-c", STATE, env=env).stdout.split()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_leaves_one_post_sent_by_the_next(site, bot, tmp_path):
    bot.answer_next("sendMessage", ("hang",))
    shpalta("shell", "-v0", "-c", MAKE_STORY.format(delay=-1), env=site)
    first = start("worker", *BEAT, env=site, log=tmp_path / "first.log")
    try:
        wait_until(lambda: bot.calls("sendMessage"), 30, "the first worker to start sending")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        stop(first)
    assert bot.posts() == []
    second = start("worker", *BEAT, env=site, log=tmp_path / "second.log")
    try:
        wait_until(lambda: bot.posts(), 40, "the second worker to post the story")
        time.sleep(3)  # the deferred retry and the beat's sweep find it posted
    finally:
        assert stop(second) == 0, (tmp_path / "second.log").read_text()
    [post] = bot.posts()
    assert len(bot.calls("sendMessage")) == 2
    assert state(site) == ["posted", str(post["message_id"])]


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_story_is_posted_by_the_worker_when_its_time_comes(site, bot, tmp_path):
    shpalta("shell", "-v0", "-c", MAKE_STORY.format(delay=4), env=site)
    worker = start("worker", *BEAT, env=site, log=tmp_path / "worker.log")
    try:
        time.sleep(2)
        assert bot.calls("sendMessage") == []
        wait_until(lambda: bot.posts(), 30, "the scheduled story to be posted")
        time.sleep(2)
    finally:
        assert stop(worker) == 0, (tmp_path / "worker.log").read_text()
    assert len(bot.calls("sendMessage")) == 1
    assert state(site)[0] == "posted"
