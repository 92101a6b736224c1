"""Page-number pagination in the brief's shape: {"items": [...], "count": N}."""

from django.db.models import QuerySet
from ninja import Field, Schema

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000  # keeps OFFSET within what every database accepts


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1 is the newest page.")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")


def paginate(items, params: PageParams, serialise) -> dict:
    """Slice a queryset or list; PageParams' bounds already answered 422 to any other page."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    start = (params.page - 1) * params.page_size
    page = items[start : start + params.page_size]
    return {"items": [serialise(obj) for obj in page], "count": count}
