"""GET /api/search?q= — the search page's results as JSON, in the API's list shape."""

import re
from datetime import date, time

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import Throttled
from pydantic import field_validator

from shpalta.news.models import Category
from shpalta.search import ratelimit, service
from shpalta.search.forms import moment

from .filters import SLUG
from .pagination import PageParams
from .schemas import ArticleOut
from .serialise import article_item

router = Router(tags=["search"])


class SearchItem(ArticleOut):
    snippet_html: str  # escaped text with the matched words in <mark>


class SearchPageOut(Schema):
    items: list[SearchItem]
    count: int
    count_is_exact: bool
    suggestion: str | None = None


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


class SearchParams(PageParams):
    q: str = Field("", description="What to search for, in any inflected form.")
    category: str | None = Field(None, max_length=120, pattern=SLUG, description="Category slug.")
    date_from: date | None = Field(None, description="Published on or after (YYYY-MM-DD).")
    date_to: date | None = Field(None, description="Published on or before (YYYY-MM-DD).")

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _iso_date(cls, value):
        """Only YYYY-MM-DD text, as the schema's `date` says (pydantic would take 0)."""
        if value is None or isinstance(value, date):
            return value
        if not isinstance(value, str) or not ISO_DATE.match(value):
            raise ValueError("expected a date such as 2025-11-26")
        return value


@router.get("/search", response=SearchPageOut)
def search(request: HttpRequest, params: Query[SearchParams]):
    """Published articles matching `q` in any inflected form, best first (as on /search/).

    `count` is exact up to 1000; past that `count_is_exact` is false.
    """
    allowed, retry_after = ratelimit.allow(request)
    if not allowed:
        raise Throttled(retry_after)
    category = Category.objects.filter(slug=params.category).first() if params.category else None
    if params.category and category is None:  # as /api/articles: no such category, no articles
        return {"items": [], "count": 0, "count_is_exact": True, "suggestion": None}
    found = service.search(
        params.q,
        category=category,
        date_from=moment(params.date_from, time.min),
        date_to=moment(params.date_to, time.max),
        page=params.page,
        page_size=params.page_size,
        prefetch=("authors", "tags"),
    )
    past_end = found.page is None or params.page > found.page.paginator.num_pages
    items = [] if past_end else found.results
    return {
        "items": [article_item(r.article) | {"snippet_html": str(r.snippet)} for r in items],
        "count": found.count,
        "count_is_exact": found.count_is_exact,
        "suggestion": found.suggestion,
    }
