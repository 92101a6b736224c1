"""`{% popular_articles %}`: the data behind the `Популярне` blocks (popular/_block.html)."""

from django import template

from shpalta.popular.ranking import popular_articles as ranked_articles

register = template.Library()


@register.simple_tag
def popular_articles(window="24h", limit=5, exclude=None):
    """Never breaks the page it sits on: a block without data simply does not render."""
    return ranked_articles(window or "24h", int(limit), exclude)
