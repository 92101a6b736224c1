"""Page-number pagination in the brief's shape: {"items": [...], "count": N}."""

from django.db.models import QuerySet
from ninja import Schema
from ninja.errors import HttpError

MAX_PAGE_SIZE = 100


class PageParams(Schema):
    page: int = 1
    page_size: int = 20


def paginate(items, params: PageParams, serialise) -> dict:
    """Slice a queryset or list; out-of-range sizes are a clear 422, not a silent clamp."""
    if params.page < 1:
        raise HttpError(422, "page must be 1 or more")
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        raise HttpError(422, f"page_size must be between 1 and {MAX_PAGE_SIZE}")
    count = items.count() if isinstance(items, QuerySet) else len(items)
    start = (params.page - 1) * params.page_size
    page = items[start : start + params.page_size]
    return {"items": [serialise(obj) for obj in page], "count": count}
