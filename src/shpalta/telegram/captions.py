"""The post's text in Telegram's HTML mode: the headline in bold, the lead, a link to the story."""

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _

from shpalta.news.models import Article
from shpalta.text.cleaning import cut, plain_text

CAPTION_LIMIT = 1024  # a photo's caption
MESSAGE_LIMIT = 4096  # a text message


def story_url(article: Article) -> str:
    return settings.SITE_URL + article.get_absolute_url()


def compose(title: str, lead: str, url: str, limit: int) -> str:
    """Within `limit` characters of markup (never above what Telegram counts): the lead is cut
    at a word boundary first, then the headline if it alone is too long."""
    link = f'<a href="{escape(url)}">{escape(_("Читати на сайті"))}</a>'
    head = f"<b>{escape(title)}</b>"
    if len(head) + len(link) + 4 > limit:
        head = f"<b>{_fit(title, limit - len(link) - 11)}</b>"
    room = limit - len(head) - len(link) - 4
    text = _fit(lead, room) if room > 1 else ""
    return "\n\n".join(part for part in (head, text, link) if part)


def _fit(text: str, room: int) -> str:
    """The text cut at a word boundary until its escaped form fits in `room` characters."""
    length = room
    fitted = escape(cut(text, length))
    while len(fitted) > room and length > 0:
        length -= len(fitted) - room
        fitted = escape(cut(text, max(length, 0))) if length > 0 else ""
    return fitted


def for_article(article: Article, limit: int) -> str:
    return compose(article.title, plain_text(article.lead), story_url(article), limit)
