"""`{% card article big=True with_teaser=True %}`: a story's card (home page, rubric, tag and
author lists), cached as a fragment per version and per what it shows (news/fragments.py).

Written here rather than by a template: after every publish the home page renders its forty-odd
cards again, and a card's template (a dozen nodes, two date filters, the cover's markup) cost
about 0.7 ms where this costs a tenth of that. tests/news/test_cards.py holds the two equal."""

from django import template
from django.template.defaultfilters import date
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from shpalta.news import fragments
from shpalta.photos import pictures

register = template.Library()

# The cover's sizes: the big card spans the column, the others a grid cell.
BIG_SIZES, BIG_WIDTH = "(max-width: 800px) 100vw, 704px", 704
SIZES, WIDTH = "(max-width: 560px) 100vw, (max-width: 800px) 50vw, 360px", 640

CARD = """<article class="card{modifier}">
  {cover}
  <{heading} class="card__title"><a href="{url}">{title}</a></{heading}>
  <p class="card__meta">{rubric}<time datetime="{iso}">{day}</time></p>
  {teaser}
</article>"""
LIBRARY_COVER = '<a href="{url}" tabindex="-1" aria-hidden="true">{picture}</a>\n  '
REMOTE_COVER = (
    '<a href="{url}" tabindex="-1" aria-hidden="true"><img class="card__img" src="{src}" alt="" '
    'loading="lazy" width="640" height="360"></a>'
)
RUBRIC = '<a href="{url}">{name}</a> · '
TEASER = '<p class="card__teaser">{}</p>'


def card_html(article, big: bool = False, with_teaser: bool = False) -> SafeString:
    """The card's markup, every value escaped as the template's autoescape would, the date in
    the reader's time zone and language."""
    url = conditional_escape(article.get_absolute_url())
    if article.cover:
        sizes, width = (BIG_SIZES, BIG_WIDTH) if big else (SIZES, WIDTH)
        picture = pictures.picture(
            article.cover, "card", sizes, alt="", css_class="card__img", display_width=width
        )
        cover = LIBRARY_COVER.format(url=url, picture=conditional_escape(picture))
    elif cover_url := article.cover_url:
        cover = REMOTE_COVER.format(url=url, src=conditional_escape(cover_url))
    else:
        cover = ""
    rubric = article.category
    published = template_localtime(article.published_at)
    return mark_safe(  # noqa: S308 - every value escaped here
        CARD.format(
            modifier=" card--big" if big else "",
            cover=cover,
            heading="h2" if big else "h3",
            url=url,
            title=conditional_escape(article.title),
            rubric=RUBRIC.format(
                url=conditional_escape(rubric.get_absolute_url()),
                name=conditional_escape(rubric.name),
            )
            if rubric
            else "",
            iso=conditional_escape(date(published, "c")),
            day=conditional_escape(date(published, "j E Y, H:i")),
            teaser=TEASER.format(conditional_escape(article.teaser)) if with_teaser else "",
        )
    )


@register.simple_tag(takes_context=True)
def card(context, article, big=False, with_teaser=False) -> SafeString:
    big, with_teaser = bool(big), bool(with_teaser)
    html = fragments.cached(
        context.get("request"),
        "card",
        (article.pk, big, with_teaser),
        lambda: card_html(article, big, with_teaser),
    )
    return mark_safe(html + "\n")  # noqa: S308 - written above; the line end the card's file had
