"""The story page's "Більше подібного": `{% related_block article %}`, the block;
`{% related_block_items article %}`, the stored list's items as the block shows them;
`{% related_items article as items %}` and `{% related_list_items items %}`, the same list as
values, and their items written out."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from shpalta.news import stored
from shpalta.photos import pictures
from shpalta.text.cleaning import cut

from ..queries import keep_items, live_list, related_articles

register = template.Library()

# The seed page's teasers are one line: the article's own teaser, cut shorter.
TEASER_LENGTH = 90
THUMB_SIZES = "(max-width: 560px) 100vw, 340px"  # the block's column on a phone, beside the text

# One item of the list (BLOCK puts them in its <ul>).
ITEM = """
    <li class="related__item">
      {thumb}
      <h3 class="related__headline"><a href="{url}">{title}</a></h3>
      {teaser}
    </li>"""
THUMB = '<a class="related__thumb" href="{url}" tabindex="-1" aria-hidden="true">{image}</a>'
REMOTE_IMAGE = '<img src="{src}" alt="" loading="lazy" width="320" height="180">'
TEASER = '<p class="related__teaser">{}</p>'


# The block around the items (its line end: the hole's line has none of its own).
BLOCK = """
<section class="related" aria-labelledby="related-title">
  <h2 class="block-title related__title" id="related-title">{}</h2>
  <ul class="related__list">{}
  </ul>
</section>
"""


@register.simple_tag(takes_context=True)
def related_block(context, article) -> SafeString:
    """The block, or a bare line end when none of the list is live: written here, not by an
    included template, whose rendering cost a fifth of the block's time on an uncached page."""
    items = related_block_items(context, article)
    if not items:
        return mark_safe("\n")
    return format_html(BLOCK, gettext("Більше подібного"), items)


@register.simple_tag
def related_items(article) -> list[dict]:
    if article is None or article.pk is None:
        return []
    return [
        {"article": a, "teaser": cut(a.teaser, TEASER_LENGTH)} for a in related_articles(article)
    ]


@register.simple_tag
def related_list_items(items: list[dict]) -> SafeString:
    """The items written out as a template loop would write them (the same escaping): the loop
    cost a tenth of an uncached story page. tests/related/test_list_items.py holds them equal."""
    written = [_item(item["article"], item["teaser"]) for item in items]
    return mark_safe("".join(written))  # noqa: S308 - every value escaped in _item


def _item(article, teaser: str) -> str:
    url = conditional_escape(article.get_absolute_url())
    if article.cover:
        image = pictures.picture(
            article.cover, "card", THUMB_SIZES, lazy=True, alt="", display_width=320
        )
        thumb = THUMB.format(url=url, image=conditional_escape(image))
    elif cover_url := article.cover_url:
        thumb = THUMB.format(url=url, image=REMOTE_IMAGE.format(src=conditional_escape(cover_url)))
    else:
        thumb = ""
    teaser = TEASER.format(conditional_escape(teaser)) if teaser else ""
    return ITEM.format(thumb=thumb, url=url, title=conditional_escape(article.title), teaser=teaser)


@register.simple_tag(takes_context=True)
def related_block_items(context, article) -> SafeString:
    """The block's items for `article`'s stored list ("" when none of it is live).

    Each story's item is kept in the database (`KeptItem`) with the stamp of what it was
    written from (news.stored.stamp_of: release, generation, the story's last save): a page
    reads its list's rows with their items in one query and writes only the items whose stamp
    is not the one wanted now, keeping them for the next page that lists them."""
    if article is None or article.pk is None:
        return mark_safe("")
    listed = live_list(article)
    if not listed:
        return mark_safe("")
    request = context.get("request")
    if not stored.enabled(request):  # outside a reader request (or stored parts off)
        written = [_item(a, cut(a.teaser, TEASER_LENGTH)) for a in related_articles(article)]
        return mark_safe("".join(written))  # noqa: S308 - escaped in _item
    prefix = stored.stamp_prefix(request)  # stored.stamp_of, once for the whole list
    wanted = {pk: prefix + saved.isoformat() for pk, saved, _, _ in listed}
    items = {pk: html for pk, _, stamp, html in listed if stamp == wanted[pk]}
    if len(items) < len(listed):
        found = {related.pk: related for related in related_articles(article)}  # prepared
        written = {
            pk: (wanted[pk], _item(found[pk], cut(found[pk].teaser, TEASER_LENGTH)))
            for pk in wanted
            if pk not in items and pk in found
        }
        keep_items(written)
        items |= {pk: html for pk, (_, html) in written.items()}
    return mark_safe("".join(items.get(pk, "") for pk, *_ in listed))  # noqa: S308 - _item
