"""Query parameters of the article list and what they do to the queryset."""

from datetime import UTC, datetime

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator

SLUG = r"^[-a-zA-Z0-9_]+$"


class ArticleFilters(Schema):
    category: str | None = Field(None, max_length=120, pattern=SLUG, description="Category slug.")
    tag: str | None = Field(None, max_length=120, pattern=SLUG, description="Tag slug.")
    author: str | None = Field(None, max_length=120, pattern=SLUG, description="Author slug.")
    published_after: datetime | None = Field(
        None, description="Published at or after this time (ISO 8601; no zone = Kyiv time)."
    )
    published_before: datetime | None = Field(
        None, description="Published before this time (ISO 8601; no zone = Kyiv time)."
    )
    q: str | None = Field(None, min_length=1, max_length=200, description="Search text.")

    @field_validator("published_after", "published_before")
    @classmethod
    def _comparable(cls, value: datetime | None) -> datetime | None:
        """An aware time the database can store: year 9999 minus a zone would overflow it."""
        if value is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValueError("time out of range") from None

    @field_validator("q")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and ("\x00" in value or not value.strip()):
            raise ValueError("search text must have visible characters and no NUL")
        return value


def apply(queryset: QuerySet, filters: ArticleFilters) -> QuerySet:
    if filters.category:
        queryset = queryset.filter(category__slug=filters.category)
    if filters.tag:
        queryset = queryset.filter(tags__slug=filters.tag)
    if filters.author:
        queryset = queryset.filter(authors__slug=filters.author)
    if filters.published_after:
        queryset = queryset.filter(published_at__gte=filters.published_after)
    if filters.published_before:
        queryset = queryset.filter(published_at__lt=filters.published_before)
    if filters.q:
        queryset = matching(queryset, filters.q.strip())
    return queryset


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """Articles whose title contains the text (until the search app's index is wired in)."""
    return queryset.filter(title__icontains=text)
