"""Reading stored lists: one indexed query, no similarity computed (page block and API)."""

from shpalta.news.models import Article

from .conf import params


def related_articles(article, limit: int | None = None):
    """The stored list of `article`, live articles only, best first."""
    limit = limit or params().size
    return list(
        Article.objects.published()
        .filter(related_in__article=article)
        .select_related("category")
        .order_by("related_in__rank")[:limit]
    )
