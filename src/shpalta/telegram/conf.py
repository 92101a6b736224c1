"""Telegram settings, read when used so tests and deployments can change them."""

from django.conf import settings


def token() -> str:
    return getattr(settings, "SHPALTA_TELEGRAM_BOT_TOKEN", "")


def chat_id() -> str:
    return getattr(settings, "SHPALTA_TELEGRAM_CHAT_ID", "")


def api_url() -> str:
    return getattr(settings, "SHPALTA_TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")


def enabled() -> bool:
    """Autoposting is on only with both a bot token and a channel."""
    return bool(token() and chat_id())


def delete_on_unpublish() -> bool:
    return getattr(settings, "SHPALTA_TELEGRAM_DELETE_ON_UNPUBLISH", False)


def timeout() -> float:
    """The whole deadline of one Bot API call, connecting and reading included."""
    return float(getattr(settings, "SHPALTA_TELEGRAM_TIMEOUT", 10))


def attempts() -> int:
    return max(1, int(getattr(settings, "SHPALTA_TELEGRAM_ATTEMPTS", 5)))


# The longest wait a 429's retry_after is honoured with inside one run; a longer one leaves the
# post waiting for the next sweep.
MAX_WAIT_SECONDS = 60
# Backoff after a 5xx or a timeout: 1, 2, 4, … seconds, at most this.
MAX_BACKOFF_SECONDS = 30
