"""`POST /api/views` (the beacon) and `GET /api/popular` (most read)."""

import logging
from typing import Annotated, Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema
from pydantic import AfterValidator, Field

from shpalta.news.models import Article
from shpalta.popular import beacon
from shpalta.popular.beacon import MAX_ARTICLE_ID
from shpalta.popular.ranking import MAX_ITEMS, popular_articles

from . import beacons
from .pagination import PageParams, paginate
from .schemas import ArticleOut, ErrorOut
from .serialise import article_item

log = logging.getLogger(__name__)

router = Router(tags=["popular"])

# Each half-life is a full ranking of its own, cached beside the pages: a free float would let
# every request compute (and cache) a new one. These few cover hours to a week.
HALF_LIVES = (0, 6, 12, 24, 48, 72, 168)


def _one_of_the_half_lives(hours: float) -> float:
    if hours not in HALF_LIVES:
        raise ValueError(f"must be one of {', '.join(map(str, HALF_LIVES))}")
    return hours


HalfLife = Annotated[
    float,
    AfterValidator(_one_of_the_half_lives),
    Field(json_schema_extra={"enum": list(HALF_LIVES)}),
]

BEACON_BODY = beacons.body("article", MAX_ARTICLE_ID)


@router.post(
    "/views",
    response={204: None, 400: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    openapi_extra=BEACON_BODY,
    summary="Count a view (the article page's beacon)",
)
def view_beacon(request, response: HttpResponse):
    """204 whether or not the view counted: a reload, a crawler or an unpublished article is
    ignored without telling the sender which it was.

    No CSRF token is asked for, and that is safe: this API authenticates nobody (no session
    or cookie auth, so django-ninja skips its CSRF check and the view is csrf_exempt), and a
    forged cross-site post could do no more than the beacon itself does — propose one view,
    which is still de-duplicated per reader, rate limited, and dropped when the browser marks
    it cross-site. No cookie is read or set.
    """
    return beacons.answer(
        request,
        response,
        beacon.judge,
        log=log,
        failure="popular: could not record a view",
        malformed='expected a JSON body {"article": <article id>}',
    )


class PopularOut(ArticleOut):
    views: int


class PopularPage(Schema):
    items: list[PopularOut]
    count: int


@router.get("/popular", response=PopularPage, summary="Most read articles")
def popular(
    request,
    params: Query[PageParams],
    window: Literal["24h", "7d", "30d"] = "24h",
    half_life_hours: HalfLife = 0,
):
    """Published articles by views counted in the window (up to 100), most read first;
    `half_life_hours` > 0 halves an article's weight for each such span of its age."""
    queryset = Article.objects.select_related("category").prefetch_related("authors", "tags")
    items = popular_articles(window, MAX_ITEMS, None, half_life_hours, queryset)
    return paginate(items, params, lambda a: article_item(a) | {"views": a.views})
