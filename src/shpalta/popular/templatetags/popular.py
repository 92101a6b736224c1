"""`{% popular_block %}`: the `Популярне` blocks (popular/_block.html), and the data behind them.

A block shows the ranked stories' titles and links, which change only with the site version,
and the ranking, which moves on its own clock (`most_read`'s cache): so its markup is kept per
version and per ranking (news/fragments.py), and a page that shows a ranking already shown
reads no article.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from shpalta.news import fragments
from shpalta.news.models import Article
from shpalta.popular import ranking

register = template.Library()


@register.simple_tag
def latest_articles(limit=5, exclude=None):
    """The newest stories, for the place «Популярне» takes once views exist."""
    stories = Article.objects.published().for_listing()
    if exclude is not None:
        stories = stories.exclude(pk=exclude.pk)
    return list(stories[: int(limit)])


@register.simple_tag(takes_context=True)
def popular_block(context, window="24h", limit=5, exclude=None, variant="", latest_instead=False):
    """The most read stories; where none is shown and `latest_instead`, the newest (but the
    story `exclude` the block sits beside) in their place; otherwise nothing."""
    request = context.get("request")
    limit = int(limit)
    ranked = ranking.ranked_for(window or "24h", limit, exclude)
    html = ""
    if ranked:
        ids = [r.article_id for r in ranked]
        html = fragments.cached(
            request,
            "popular",
            (variant, *ids),
            lambda: _items(variant, popular_items=ranking.resolve(ranked)),
        )
    if not html and latest_instead:
        # Keyed by the stories it shows, not by the one beside it: the newest but one are the
        # same beside every story of the archive's long tail.
        newest = fragments.cached(
            request,
            "popular-newest",
            (limit + 1,),
            lambda: tuple(story.pk for story in latest_articles(limit + 1)),  # held as it is
        )
        shown = [pk for pk in newest if pk != getattr(exclude, "pk", None)][:limit]
        html = fragments.cached(
            request,
            "popular-latest",
            (variant, *shown),
            lambda: _items(variant, latest_items=latest_articles(limit, exclude)),
        )
    return mark_safe(html)  # noqa: S308 - rendered from our template, escaped there


def _items(variant: str, popular_items=(), latest_items=()) -> str:
    html = render_to_string(
        "popular/_items.html",
        {"variant": variant, "popular_items": popular_items, "latest_items": latest_items},
    )
    return html.removesuffix("\n")  # the file's last line end: the including line has its own
