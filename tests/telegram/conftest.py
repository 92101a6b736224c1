"""A local Bot API server per test, and the site's settings pointed at it."""

import pytest

from .botserver import TOKEN, BotServer

CHAT = "@shpalta_test"


@pytest.fixture
def bot():
    server = BotServer().start()
    yield server
    server.stop()


@pytest.fixture
def telegram(bot, settings):
    settings.SHPALTA_TELEGRAM_BOT_TOKEN = TOKEN
    settings.SHPALTA_TELEGRAM_CHAT_ID = CHAT
    settings.SHPALTA_TELEGRAM_API_URL = bot.url
    settings.SHPALTA_TELEGRAM_TIMEOUT = 1.0
    settings.SHPALTA_TELEGRAM_ATTEMPTS = 4
    settings.SHPALTA_TELEGRAM_DELETE_ON_UNPUBLISH = False
    return bot
