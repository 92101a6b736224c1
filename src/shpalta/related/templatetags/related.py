"""`{% related_items article as items %}`: the stored "Більше подібного" list, ready to show."""

from django import template

from shpalta.text.teasers import teaser

from ..queries import related_articles

register = template.Library()

TEASER_LENGTH = 90  # the seed page's teasers are one line, cut with an ellipsis


@register.simple_tag
def related_items(article) -> list[dict]:
    if article is None or article.pk is None:
        return []
    return [
        {"article": a, "teaser": teaser(a.excerpt or a.lead or a.body, TEASER_LENGTH)}
        for a in related_articles(article)
    ]
