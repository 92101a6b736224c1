"""Turning a beacon request into at most one counted view; every refusal is cheap and quiet."""

import enum
import json
import logging
import time

from . import articles, counters, readers

log = logging.getLogger(__name__)

MAX_BODY = 1024
MAX_ARTICLE_ID = 2**63 - 1


class Verdict(enum.StrEnum):
    COUNTED = "counted"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"  # a crawler, a cross-site post, an article readers cannot see
    MALFORMED = "malformed"
    LIMITED = "limited"


class Malformed(ValueError):
    pass


def article_id_from(body: bytes) -> int:
    """`{"article": <positive integer>}`; anything else is not a beacon this site sent."""
    if len(body) > MAX_BODY:
        raise Malformed("body too large")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Malformed("body is not JSON") from None
    article = data.get("article") if isinstance(data, dict) else None
    if isinstance(article, bool) or not isinstance(article, int):
        raise Malformed('expected {"article": <article id>}')
    if not 1 <= article <= MAX_ARTICLE_ID:
        raise Malformed("article id out of range")
    return article


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return MAX_BODY + 1


def judge(request) -> Verdict:
    """Parse, filter, then count: the database or Redis is touched only by plausible beacons."""
    if _content_length(request) > MAX_BODY:
        return Verdict.MALFORMED
    try:
        article_id = article_id_from(request.body)
    except Malformed:
        return Verdict.MALFORMED
    agent = readers.user_agent(request)
    if readers.is_crawler(agent) or request.META.get("HTTP_SEC_FETCH_SITE") == "cross-site":
        return Verdict.IGNORED
    if not articles.is_live(article_id):
        return Verdict.IGNORED
    ip = readers.client_ip(request)
    now = time.time()
    view = readers.make_view(ip, agent, article_id, now)
    outcome = counters.record(view, readers.client_key(ip, agent, now))
    return Verdict(outcome.value)
