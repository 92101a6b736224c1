"""Small builders for articles and their relations, shared by tests and the demo content."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from .models import Article, Author, Category, Tag

_seq = count(1)


def category(name: str | None = None, **fields) -> Category:
    name = name or f"Рубрика {next(_seq)}"
    return Category.objects.get_or_create(name=name, defaults=fields)[0]


def tag(name: str) -> Tag:
    return Tag.objects.get_or_create(name=name)[0]


def author(name: str | None = None, **fields) -> Author:
    name = name or f"Автор {next(_seq)}"
    return Author.objects.get_or_create(name=name, defaults=fields)[0]


def article(
    title: str | None = None,
    *,
    body: str = "<p>Текст статті.</p>",
    status: str = Article.Status.PUBLISHED,
    published_at=None,
    age: timedelta | None = None,
    tags: list[str] = (),
    authors: list[Author] = (),
    **fields,
) -> Article:
    """A published article by default; `age` sets published_at that long before now."""
    if published_at is None:
        published_at = timezone.now() - (age if age is not None else timedelta(minutes=1))
    item = Article.objects.create(
        title=title or f"Стаття номер {next(_seq)}",
        body=body,
        status=status,
        published_at=published_at,
        **fields,
    )
    if tags:
        item.tags.set([tag(name) for name in tags])
    if authors:
        item.authors.set(authors)
    return item
