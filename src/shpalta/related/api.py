"""`GET /api/articles/{id}/related`: the stored "Більше подібного" list of a published article."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from shpalta.api.pagination import PageParams, paginate
from shpalta.api.schemas import ArticleOut, ErrorOut
from shpalta.api.serialise import article_item
from shpalta.news.models import Article

from .models import RelatedLink

router = Router(tags=["related"])


class RelatedOut(ArticleOut):
    score: float


class RelatedPage(Schema):
    items: list[RelatedOut]
    count: int


@router.get("/articles/{article_id}/related", response={200: RelatedPage, 404: ErrorOut})
def related(request, article_id: int, params: Query[PageParams]):
    """Articles like this one, most similar first (the list shown under the article)."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    links = [
        link
        for link in RelatedLink.objects.filter(article=article)
        .select_related("related__category")
        .prefetch_related("related__authors", "related__tags")
        .order_by("rank")
        if link.related.is_live
    ]
    return paginate(links, params, lambda link: article_item(link.related) | {"score": link.score})
