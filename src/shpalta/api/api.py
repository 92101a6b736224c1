"""The read-only JSON API (django-ninja); each capability adds its router here."""

from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Router, Schema

from shpalta.news.models import Article

from .pagination import PageParams, paginate
from .schemas import ArticleDetailOut, ArticleOut, ErrorOut
from .serialise import article_detail, article_item

api = NinjaAPI(
    title="Shpalta API",
    version="1",
    description="Read-only access to published articles of a Shpalta news site.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


class ArticlePage(Schema):
    items: list[ArticleOut]
    count: int


articles = Router(tags=["articles"])


@articles.get("/articles", response=ArticlePage)
def list_articles(request, params: Query[PageParams]):
    """Published articles, newest first."""
    queryset = Article.objects.published().for_listing().prefetch_related("tags")
    return paginate(queryset, params, article_item)


@articles.get("/articles/{article_id}", response={200: ArticleDetailOut, 404: ErrorOut})
def get_article(request, article_id: int):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    return article_detail(article)


api.add_router("", articles)
