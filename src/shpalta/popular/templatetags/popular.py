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
    ranked = _ranked(request, window or "24h", limit, exclude)
    html = _ranked_html(request, variant, ranked)
    if not html and latest_instead:
        shown = _newest_beside(request, limit, exclude)
        html = fragments.cached(
            request,
            "popular-latest",
            (variant, *shown),
            lambda: _items(variant, latest_items=latest_articles(limit, exclude)),
        )
    return mark_safe(html)  # noqa: S308 - rendered from our template, escaped there


def _ranked_html(request, variant: str, ranked: list) -> str:
    """The block of the ranked stories ("" when none is ranked or none of them is live)."""
    if not ranked:
        return ""
    return fragments.cached(
        request,
        "popular",
        (variant, *[r.article_id for r in ranked]),
        lambda: _items(variant, popular_items=ranking.resolve(ranked)),
    )


RANKED_ATTRIBUTE = "_shpalta_popular_ranked"  # on the request: {(window, limit, exclude): …}


def _ranked(request, window: str, limit: int, exclude) -> list:
    """`ranking.ranked_for`, read once per request: the stored story page's key part asks
    for the ranking its sidebar block then shows."""
    key = (window, limit, getattr(exclude, "pk", exclude))
    found = getattr(request, RANKED_ATTRIBUTE, None) if request is not None else None
    if found is None:
        found = {}
        if request is not None:
            setattr(request, RANKED_ATTRIBUTE, found)
    if key not in found:
        found[key] = ranking.ranked_for(window, limit, exclude)
    return found[key]


def _newest_beside(request, limit: int, exclude) -> list[int]:
    """The newest stories' ids but `exclude`'s. Keyed by the stories it shows, not by the one
    beside it: the newest but one are the same beside every story of the archive's long tail."""
    newest = fragments.cached(
        request,
        "popular-newest",
        (limit + 1,),
        lambda: tuple(story.pk for story in latest_articles(limit + 1)),  # held as it is
    )
    return [pk for pk in newest if pk != getattr(exclude, "pk", None)][:limit]


# The story page's sidebar block: the default window and variant, five stories, the newest in
# their place where none is ranked.
BESIDE_STORY = {"window": "24h", "limit": 5, "latest_instead": True}


@register.simple_tag(takes_context=True)
def popular_beside_story(context, article):
    """`{% popular_beside_story article %}`: the story page's sidebar «Популярне», written as
    popular/_block.html's include writes it (its line end included)."""
    return mark_safe(popular_block(context, exclude=article, **BESIDE_STORY) + "\n")  # noqa: S308


def beside_story(request, article, tags) -> tuple:
    """The "popular" key part of a stored story page's sidebar hole (news/stored.py): the
    stories its block shows beside `article`, the most read or, where none of them is live,
    the newest. Two stories of one version with the same are given the same block, byte for
    byte: on most of the archive, the story is in neither list."""
    limit = BESIDE_STORY["limit"]
    ranked = _ranked(request, BESIDE_STORY["window"], limit, article)
    if _ranked_html(request, "", ranked):
        return ("ranked", tuple(r.article_id for r in ranked))
    return ("newest", tuple(_newest_beside(request, limit, article)))


def _items(variant: str, popular_items=(), latest_items=()) -> str:
    html = render_to_string(
        "popular/_items.html",
        {"variant": variant, "popular_items": popular_items, "latest_items": latest_items},
    )
    return html.removesuffix("\n")  # the file's last line end: the including line has its own
