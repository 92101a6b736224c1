"""What articles are filed under: categories, tags and authors."""

from ninja import Query, Router, Schema

from shpalta.news.models import Author, Category, Tag

from .pagination import PageParams, paginate
from .schemas import AuthorOut, CategoryDetailOut, NamedOut
from .serialise import named

router = Router(tags=["taxonomy"])


class CategoryPage(Schema):
    items: list[CategoryDetailOut]
    count: int


class TagPage(Schema):
    items: list[NamedOut]
    count: int


class AuthorPage(Schema):
    items: list[AuthorOut]
    count: int


def category_item(category) -> dict:
    return named(category) | {"description": category.description, "parent_id": category.parent_id}


def author_item(author) -> dict:
    return named(author) | {"bio": author.bio, "photo": author.photo.url if author.photo else ""}


@router.get("/categories", response=CategoryPage)
def list_categories(request, params: Query[PageParams]):
    """Categories in menu order."""
    return paginate(Category.objects.order_by("position", "name"), params, category_item)


@router.get("/tags", response=TagPage)
def list_tags(request, params: Query[PageParams]):
    """Tags by name."""
    return paginate(Tag.objects.order_by("name", "id"), params, named)


@router.get("/authors", response=AuthorPage)
def list_authors(request, params: Query[PageParams]):
    """Authors by name."""
    return paginate(Author.objects.order_by("name", "id"), params, author_item)
