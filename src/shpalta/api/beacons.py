"""What the API's beacons share: the OpenAPI body of `{"<key>": <id>}` and the answer to a
counter's verdict (204 counted or not, 400 malformed, 429 limited, 503 counter down).

`POST /api/views` (api/popular.py) and `POST /api/ads/impressions` (api/ads.py) use both.
"""

import logging
from collections.abc import Callable
from enum import StrEnum

from django.http import HttpResponse
from ninja import Status

from .errors import too_many_requests

RETRY_SECONDS = 60  # the rate limits count beacons per client per minute


def body(key: str, maximum: int) -> dict:
    """`openapi_extra` for a body of exactly `{"<key>": <integer 1..maximum>}`, as JSON or as
    text/plain (some senders use a text/plain Blob to keep the beacon a "simple" request)."""
    schema = {
        "type": "object",
        "required": [key],
        "properties": {key: {"type": "integer", "minimum": 1, "maximum": maximum}},
        "additionalProperties": False,
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "text/plain": {"schema": schema},
            },
        }
    }


def answer(
    request,
    response: HttpResponse,
    judge: Callable[[object], StrEnum],
    *,
    log: logging.Logger,
    failure: str,
    malformed: str,
):
    """Run the counter's `judge` and answer its verdict; never cached, never says whether the
    beacon counted. `failure` is logged with the traceback when the counter raises."""
    response["Cache-Control"] = "no-store"
    try:
        verdict = judge(request)
    except Exception:
        log.exception(failure)
        return Status(503, {"detail": "counter temporarily unavailable"})
    if verdict == "malformed":
        return Status(400, {"detail": malformed})
    if verdict == "limited":
        response["Retry-After"] = str(RETRY_SECONDS)
        return Status(429, {"detail": too_many_requests(RETRY_SECONDS)})
    return Status(204, None)
