"""`{% related_items article as items %}`: the stored "Більше подібного" list, ready to show;
`{% related_list_items items %}`: its items as the block's list shows them."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from shpalta.photos import pictures
from shpalta.text.cleaning import cut

from ..queries import related_articles

register = template.Library()

# The seed page's teasers are one line: the article's own teaser, cut shorter.
TEASER_LENGTH = 90
THUMB_SIZES = "(max-width: 560px) 100vw, 340px"  # the block's column on a phone, beside the text

# One item of the list (related/_block.html puts them in its <ul>).
ITEM = """
    <li class="related__item">
      {thumb}
      <h3 class="related__headline"><a href="{url}">{title}</a></h3>
      {teaser}
    </li>"""
THUMB = '<a class="related__thumb" href="{url}" tabindex="-1" aria-hidden="true">{image}</a>'
REMOTE_IMAGE = '<img src="{src}" alt="" loading="lazy" width="320" height="180">'
TEASER = '<p class="related__teaser">{}</p>'


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
    written = []
    for item in items:
        article = item["article"]
        url = conditional_escape(article.get_absolute_url())
        if article.cover:
            image = pictures.picture(
                article.cover, "card", THUMB_SIZES, lazy=True, alt="", display_width=320
            )
            thumb = THUMB.format(url=url, image=conditional_escape(image))
        elif cover_url := article.cover_url:
            thumb = THUMB.format(
                url=url, image=REMOTE_IMAGE.format(src=conditional_escape(cover_url))
            )
        else:
            thumb = ""
        teaser = TEASER.format(conditional_escape(item["teaser"])) if item["teaser"] else ""
        written.append(
            ITEM.format(
                thumb=thumb, url=url, title=conditional_escape(article.title), teaser=teaser
            )
        )
    return mark_safe("".join(written))  # noqa: S308 - every value escaped above
