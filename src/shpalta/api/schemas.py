"""The JSON shapes the API promises; other apps extend ArticleOut for their endpoints."""

from datetime import datetime

from ninja import Schema


class NamedOut(Schema):
    id: int
    name: str
    slug: str
    url: str


class CategoryOut(NamedOut):
    pass  # NamedOut's fields under the name the published schema has always used


class ArticleOut(Schema):
    id: int
    title: str
    slug: str
    url: str
    lead: str
    teaser: str
    published_at: datetime
    updated_at: datetime
    category: CategoryOut | None
    authors: list[NamedOut]
    tags: list[NamedOut]
    cover_image: str


class ArticleDetailOut(ArticleOut):
    body: str
    source_name: str
    source_url: str


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str]
    msg: str
    type: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut] = []


class CategoryDetailOut(CategoryOut):
    description: str
    parent_id: int | None


class AuthorOut(NamedOut):
    bio: str
    photo: str
