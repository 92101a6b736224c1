"""Turning a beacon request into at most one counted view; every refusal is cheap and quiet."""

import enum
import json
import logging
import time

from shpalta.ops.clients import client_ip

from . import articles, counters, readers, tasks

log = logging.getLogger(__name__)

MAX_BODY = 1024
MAX_ARTICLE_ID = 2**63 - 1


class Verdict(enum.StrEnum):
    COUNTED = "counted"
    DUPLICATE = "duplicate"
    QUEUED = "queued"  # journalled: counted (or not) when the batch is applied
    IGNORED = "ignored"  # a crawler, a cross-site post, an article readers cannot see
    MALFORMED = "malformed"
    LIMITED = "limited"
    CAPPED = "capped"  # a new reader, but its address has had its budget for the half hour


class Malformed(ValueError):
    pass


def id_from(body: bytes, key: str, maximum: int, max_body: int = MAX_BODY) -> int:
    """Exactly `{"<key>": <integer 1..maximum>}`, as a page's beacon script sends it (the view
    beacon here, ads' impression beacon).

    JSON Schema's integer includes 7.0, so an integral float is taken too; any other key,
    type or range is not a beacon this site sent.
    """
    if len(body) > max_body:
        raise Malformed("body too large")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Malformed("body is not JSON") from None
    if not isinstance(data, dict) or set(data) != {key}:
        raise Malformed(f'expected {{"{key}": <{key} id>}}')
    value = data[key]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Malformed(f"{key} id must be an integer")
    if not 1 <= value <= maximum:
        raise Malformed(f"{key} id out of range")
    return value


def article_id_from(body: bytes) -> int:
    """Exactly `{"article": <positive integer>}`, as the page's script sends it."""
    return id_from(body, "article", MAX_ARTICLE_ID)


def judge(request) -> Verdict:
    """Parse, filter, then count: the database or Redis is touched only by plausible beacons."""
    if readers.content_length(request, MAX_BODY) > MAX_BODY:
        return Verdict.MALFORMED
    try:
        article_id = article_id_from(request.body)
    except Malformed:
        return Verdict.MALFORMED
    agent = readers.user_agent(request)
    if readers.not_a_reader(request, agent):
        return Verdict.IGNORED
    if not articles.is_live(article_id):
        return Verdict.IGNORED
    ip = client_ip(request)
    now = time.time()
    view = readers.make_view(ip, agent, article_id, now)
    outcome = counters.record(view, readers.client_key(ip, agent, now), tasks.schedule_flush)
    return Verdict(outcome.value)
