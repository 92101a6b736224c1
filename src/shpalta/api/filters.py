"""Query parameters of the article list and what they do to the queryset."""

import re
from datetime import UTC, datetime

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator

from shpalta.news.models import Category
from shpalta.search import query as search_query
from shpalta.search.backends import Filters, get_backend
from shpalta.search.backends.base import COUNT_CAP

SLUG = r"^[-a-zA-Z0-9_]+$"
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
)


class ArticleFilters(Schema):
    category: str | None = Field(None, max_length=120, pattern=SLUG, description="Category slug.")
    tag: str | None = Field(None, max_length=120, pattern=SLUG, description="Tag slug.")
    author: str | None = Field(None, max_length=120, pattern=SLUG, description="Author slug.")
    published_after: datetime | None = Field(
        None, description="Published at or after this time (RFC 3339, with its zone)."
    )
    published_before: datetime | None = Field(
        None, description="Published before this time (RFC 3339, with its zone)."
    )
    q: str | None = Field(None, min_length=1, max_length=200, description="Search text.")

    @field_validator("published_after", "published_before", mode="before")
    @classmethod
    def _rfc3339(cls, value):
        """Only RFC 3339 text, as the schema's `date-time` says (pydantic would take 0.5)."""
        if value is None or isinstance(value, datetime):
            return value
        if not isinstance(value, str) or not RFC3339.match(value):
            raise ValueError("expected an RFC 3339 time such as 2025-11-26T09:30:00+02:00")
        return value

    @field_validator("published_after", "published_before")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """In UTC; a time past what datetime holds (year 9999 minus a zone) is clamped to it."""
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            edge = datetime.max if value.year > 1 else datetime.min
            return edge.replace(tzinfo=UTC)

    @field_validator("q")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        """Any text the schema allows is accepted; NULs and blank text simply filter nothing."""
        if value is None:
            return None
        return value.replace("\x00", "").strip() or None


def apply(queryset: QuerySet, filters: ArticleFilters) -> QuerySet:
    if filters.category:  # the rubric and those below it, as on its page; unknown: nothing
        category = Category.objects.filter(slug=filters.category).first()
        queryset = queryset.in_category(category) if category else queryset.none()
    if filters.tag:
        queryset = queryset.filter(tags__slug=filters.tag)
    if filters.author:
        queryset = queryset.filter(authors__slug=filters.author)
    if filters.published_after:
        queryset = queryset.filter(published_at__gte=filters.published_after)
    if filters.published_before:
        queryset = queryset.filter(published_at__lt=filters.published_before)
    if filters.q:
        queryset = matching(queryset, filters.q)
    return queryset


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """Articles the search index finds for the text in any inflected form, the newest
    COUNT_CAP of them; /api/search ranks by relevance, this list stays newest first."""
    query = search_query.parse(text)
    if not query:
        return queryset.none()
    ids = get_backend().newest(query, Filters(now=timezone.now()), 0, COUNT_CAP)
    return queryset.filter(pk__in=ids)
