"""`{% related_items article as items %}`: the stored "Більше подібного" list, ready to show."""

from django import template

from shpalta.text.cleaning import cut

from ..queries import related_articles

register = template.Library()

# The seed page's teasers are one line: the article's own teaser, cut shorter.
TEASER_LENGTH = 90


@register.simple_tag
def related_items(article) -> list[dict]:
    if article is None or article.pk is None:
        return []
    return [
        {"article": a, "teaser": cut(a.teaser, TEASER_LENGTH)} for a in related_articles(article)
    ]
