"""The `LiveBlogPosting` JSON-LD of a live story, so search engines show it as live."""

from django.conf import settings
from django.utils.safestring import SafeString

from shpalta.news.metadata import script_json
from shpalta.text.cleaning import cut

from .models import LiveCoverage, LiveEntry
from .service import entry_url

SCHEMA = "https://schema.org"
UPDATES_SHOWN = 50  # the newest entries listed in liveBlogUpdate
HEADLINE_LENGTH = 110


def _update(article, entry: LiveEntry) -> dict:
    return {
        "@type": "BlogPosting",
        "headline": cut(entry.text_plain, HEADLINE_LENGTH),
        "articleBody": entry.text_plain,
        "datePublished": entry.created_at.isoformat(),
        "url": settings.SITE_URL + entry_url(article, entry),
    }


def data(coverage: LiveCoverage, entries: list[LiveEntry]) -> dict:
    article = coverage.article
    newest = sorted(entries, key=lambda entry: (entry.created_at, entry.pk), reverse=True)
    posting = {
        "@context": SCHEMA,
        "@type": "LiveBlogPosting",
        "headline": article.title,
        "url": settings.SITE_URL + article.get_absolute_url(),
        "datePublished": article.published_at.isoformat(),
        "coverageStartTime": coverage.started_at.isoformat(),
        "liveBlogUpdate": [_update(article, entry) for entry in newest[:UPDATES_SHOWN]],
    }
    if coverage.ended_at:
        posting["coverageEndTime"] = coverage.ended_at.isoformat()
    if newest:
        posting["dateModified"] = newest[0].created_at.isoformat()
    return posting


def render(coverage: LiveCoverage, entries: list[LiveEntry]) -> SafeString:
    return script_json(data(coverage, entries))
