"""A small Telegram Bot API client: one call, one total deadline, the token never shown.

Telegram answers `{"ok": true, "result": …}` or `{"ok": false, "error_code": …, "description":
…, "parameters": {"retry_after": N}}`. Every failure becomes a BotApiError that says whether a
retry can help; its text has the token masked, so logs and the admin never show it.
"""

import json
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import conf

MAX_ANSWER_BYTES = 1_000_000


class BotApiError(Exception):
    """A failed call: `code` is Telegram's error_code (0 for a timeout or a lost connection)."""

    def __init__(self, code: int, description: str, retry_after: int | None = None):
        super().__init__(f"{code}: {description}")
        self.code, self.description, self.retry_after = code, description, retry_after

    @property
    def retryable(self) -> bool:
        return self.code == 0 or self.code == 429 or self.code >= 500


@dataclass(frozen=True)
class Upload:
    """A file sent in the request itself (a cover stored by the site, which Telegram may not
    be able to fetch from its URL)."""

    field: str
    path: Path


def mask(text: str) -> str:
    """The bot token, wherever it appears (a URL in an exception, say), replaced."""
    token = conf.token()
    return text.replace(token, "***") if token else text


def call(method: str, params: dict, upload: Upload | None = None):
    """POST one Bot API method and return its `result`; raise BotApiError otherwise."""
    url = f"{conf.api_url()}/bot{conf.token()}/{method}"
    body, content_type = _multipart(params, upload) if upload else _json(params)
    if not url.startswith(("https://", "http://")):
        raise BotApiError(400, "SHPALTA_TELEGRAM_API_URL must be an http(s) address")
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 (checked)
    request.add_header("Content-Type", content_type)
    status, raw = _within_deadline(request, conf.timeout())
    return _result(status, raw)


def _json(params: dict) -> tuple[bytes, str]:
    return json.dumps(params, ensure_ascii=False).encode(), "application/json; charset=utf-8"


def _multipart(params: dict, upload: Upload) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in params.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{upload.field}"; '
        f'filename="{upload.path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    )
    parts.append(head.encode() + upload.path.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _within_deadline(request, seconds: float) -> tuple[int, bytes]:
    """The exchange in a helper thread joined with the deadline: a server that trickles its
    answer byte by byte cannot stretch a socket timeout into minutes."""
    outcome: dict = {}

    def exchange():
        try:
            outcome["answer"] = _exchange(request, seconds)
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    worker = threading.Thread(target=exchange, name="telegram-call", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive() or isinstance(outcome.get("error"), TimeoutError):
        raise BotApiError(0, f"no answer within {seconds:g} s")
    if "error" in outcome:
        raise BotApiError(0, mask(f"connection failed: {outcome['error']}"))
    return outcome["answer"]


def _exchange(request, seconds: float) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=seconds) as response:  # noqa: S310
            return response.status, response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        return error.code, error.read(MAX_ANSWER_BYTES)


def _result(status: int, raw: bytes):
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise BotApiError(status if status >= 400 else 502, f"not a Bot API answer (HTTP {status})")
    if answer.get("ok") is True:
        return answer.get("result")
    parameters = answer.get("parameters") or {}
    retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
    code = answer.get("error_code") if isinstance(answer.get("error_code"), int) else status
    description = mask(str(answer.get("description") or ""))[:500]
    return _raise(code, description, retry_after if isinstance(retry_after, int) else None)


def _raise(code: int, description: str, retry_after: int | None):
    raise BotApiError(code, description, retry_after)
