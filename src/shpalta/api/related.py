"""`GET /api/articles/{id}/related`: the stored "Більше подібного" list of a published article."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from shpalta.news.models import Article
from shpalta.related.queries import scored_related

from .pagination import PageParams, paginate
from .schemas import ArticleOut, ErrorOut
from .serialise import article_item

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
    pairs = scored_related(article)
    return paginate(pairs, params, lambda pair: article_item(pair[0]) | {"score": pair[1]})
