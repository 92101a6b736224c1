"""`GET /api/live/{article_id}?after=N`: the new entries of a live story, for its page's poller.

The answer declares the story's cache scope, so the page cache serves it to every polling reader
between entries (with an ETag, so a browser revalidates with a 304) and a new entry retires it.
"""

from typing import Literal

from django.http import Http404
from ninja import Path, Query, Router, Schema
from pydantic import Field

from shpalta.caching import scopes
from shpalta.live import service

from .articles import MAX_ID
from .schemas import ErrorOut

router = Router(tags=["live"])


class LiveItemOut(Schema):
    id: int
    time: str = Field(description="the entry's time in Kyiv, «14:05»")
    text: str = Field(description="sanitised HTML")
    important: bool
    url: str = Field(description="the story's path with the entry's anchor")


class LiveOut(Schema):
    state: Literal["live", "ended"]
    items: list[LiveItemOut]
    count: int


class AfterParams(Schema):
    after: int = Field(0, ge=0, le=MAX_ID, description="the newest entry id the reader has")


@router.get("/live/{article_id}", response={200: LiveOut, 404: ErrorOut}, url_name="live_updates")
def live_updates(
    request, article_id: int = Path(..., ge=1, le=MAX_ID), params: Query[AfterParams] = None
):
    """Entries of a published live story newer than `after`, newest first (at most 100)."""
    answer = service.updates(article_id, params.after if params else 0)
    if answer is None:
        raise Http404
    scopes.declare(request, service.scope(article_id))
    return answer
