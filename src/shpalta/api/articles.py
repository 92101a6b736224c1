"""Articles: the filtered list and one article."""

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema

from shpalta.news.models import Article

from . import filters
from .pagination import PageParams, paginate
from .schemas import ArticleDetailOut, ArticleOut, ErrorOut
from .serialise import article_detail, article_item

MAX_ID = 2**63 - 1  # the largest primary key a database stores; beyond it is a 422, not a 500

router = Router(tags=["articles"])


class ArticlePage(Schema):
    items: list[ArticleOut]
    count: int


@router.get("/articles", response=ArticlePage)
def list_articles(request, where: Query[filters.ArticleFilters], params: Query[PageParams]):
    """Published articles, newest first, narrowed by any of the filters."""
    queryset = Article.objects.published().for_listing().prefetch_related("authors", "tags")
    queryset = filters.apply(queryset, where)
    if where.tag or where.author:
        queryset = queryset.distinct()
    return paginate(queryset, params, article_item)


@router.get("/articles/{article_id}", response={200: ArticleDetailOut, 404: ErrorOut})
def get_article(request, article_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published article with its full (sanitised HTML) body."""
    queryset = Article.objects.published().select_related("category")
    article = get_object_or_404(queryset.prefetch_related("authors", "tags"), pk=article_id)
    return article_detail(article)
