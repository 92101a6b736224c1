"""`{% popular_articles %}`: the data behind the `Популярне` blocks (popular/_block.html)."""

from django import template

from shpalta.news.models import Article
from shpalta.popular.ranking import popular_articles as ranked_articles

register = template.Library()


@register.simple_tag
def popular_articles(window="24h", limit=5, exclude=None):
    """Never breaks the page it sits on: a block without data simply does not render."""
    return ranked_articles(window or "24h", int(limit), exclude)


@register.simple_tag
def latest_articles(limit=5, exclude=None):
    """The newest stories, for the place «Популярне» takes once views exist."""
    stories = Article.objects.published().for_listing()
    if exclude is not None:
        stories = stories.exclude(pk=exclude.pk)
    return list(stories[: int(limit)])
