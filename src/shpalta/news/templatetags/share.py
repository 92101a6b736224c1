"""`{% share_links article as share %}`: the story's address and the encoded values the share
buttons put in their links (news/_share.html).

Each value is encoded once here: the template's filter chains (`urlencode`, `add`) encoded the
same address four times and the title five, about a tenth of a story page's render."""

from typing import NamedTuple
from urllib.parse import quote

from django import template

from shpalta.news.links import absolute

register = template.Library()


class ShareLinks(NamedTuple):
    url: str  # the story's public address
    url_q: str  # the address, encoded for a query value
    title_q: str  # the title, encoded
    text_q: str  # "title address", encoded: the text of a message (Viber, WhatsApp)


@register.simple_tag
def share_links(article) -> ShareLinks:
    url = absolute(article.get_absolute_url())
    title = str(article.title)
    return ShareLinks(
        url, quote(url, safe=""), quote(title, safe=""), quote(f"{title} {url}", safe="")
    )
