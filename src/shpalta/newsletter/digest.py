"""What an issue says: the day's most read stories (popular's honest views), editors' picks,
or an editor's own text; rendered once as HTML and plain text in Ukrainian.

Each recipient's copy differs only in its unsubscribe link, put in place of UNSUBSCRIBE when
the message is made, so ten thousand copies cost one render.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shpalta.news.models import Article
from shpalta.popular.ranking import popular_articles
from shpalta.text.cleaning import plain_text
from shpalta.text.sanitise import sanitise_html

from . import conf
from .models import Issue, Pick

UNSUBSCRIBE = "%%UNSUBSCRIBE_URL%%"
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|tr|div)\s*>|<br\s*/?>", re.IGNORECASE)


def _cards():
    return Article.objects.select_related("category").defer("body")


def top_stories(limit: int) -> list[Article]:
    """The last 24 hours' most read; on a day with no counted views, its newest stories."""
    ranked = popular_articles("24h", limit, queryset=_cards())
    if ranked:
        return ranked
    since = timezone.now() - timedelta(hours=24)
    return list(
        _cards().published().filter(published_at__gte=since).order_by("-published_at")[:limit]
    )


def picks_for(day) -> list[Article]:
    ids = Pick.objects.filter(day=day).values_list("article_id", flat=True)
    return list(_cards().published().filter(pk__in=list(ids)).order_by("-published_at"))


def digest_subject(day) -> str:
    return _("«%(site)s»: головне за %(day)s") % {
        "site": settings.SITE_NAME,
        "day": date_format(day, "j E Y"),
    }


def new_digest(day) -> Issue:
    return Issue(kind=Issue.Kind.DAILY, day=day, subject=digest_subject(day))


def render(issue: Issue) -> tuple[str, str] | None:
    """(HTML, plain text) of the issue, or None: a digest with no story is not sent."""
    context = {
        "issue": issue,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": UNSUBSCRIBE,
    }
    if issue.kind == Issue.Kind.DAILY:
        picks = picks_for(issue.day)
        chosen = {a.pk for a in picks}
        top = [a for a in top_stories(conf.top() + len(picks)) if a.pk not in chosen]
        if not top and not picks:
            return None
        context |= {"top": _with_links(top[: conf.top()]), "picks": _with_links(picks)}
    else:
        body = sanitise_html(issue.body)
        context |= {"body": body, "body_text": paragraphs(body)}
    html = render_to_string("newsletter/email/issue.html", context)
    text = render_to_string("newsletter/email/issue.txt", context)
    return html, text


def paragraphs(markup: str) -> str:
    """Plain text of an editor's HTML with a blank line between its blocks."""
    blocks = (plain_text(block) for block in BLOCK_END.split(markup))
    return "\n\n".join(block for block in blocks if block)


def _with_links(articles: list[Article]) -> list[Article]:
    """Absolute addresses for a mail client: the story and its cover."""
    for article in articles:
        article.link = settings.SITE_URL + article.get_absolute_url()
        cover = article.cover_url
        article.cover_link = settings.SITE_URL + cover if cover.startswith("/") else cover
    return articles
