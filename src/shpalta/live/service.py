"""What every way in (the editors' form, `shpalta live`, the API) does with a live story.

The rules live here once: a story is started on a published or scheduled article, entries are
posted only while it runs, and ending it stamps the end time. Cache invalidation is not done
here: saving and deleting these rows is what `shpalta.changes.receivers` reacts to, so the
admin, the command and any script get the same invalidation.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from shpalta.news.models import Article
from shpalta.text.cleaning import plain_text
from shpalta.text.sanitise import sanitise_html

from .models import BreakingNews, LiveCoverage, LiveEntry

UPDATES_LIMIT = 100  # at most this many entries per answer of the update feed
FEED_ENTRIES = 10  # the newest entries a live story's RSS/Atom item carries


class LiveError(Exception):
    """A request the rules refuse; the message is for the editor, in Ukrainian."""


def scope(article_id: int) -> str:
    """The cache scope of a live story's page and update feed."""
    return f"live:{article_id}"


def _article(article_id: int) -> Article:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise LiveError(_("Статті з номером %(id)s немає.") % {"id": article_id})
    return article


def _coverage(article_id: int) -> LiveCoverage:
    coverage = LiveCoverage.objects.select_related("article").filter(article_id=article_id).first()
    if coverage is None:
        raise LiveError(_("Стаття %(id)s не є онлайн-трансляцією.") % {"id": article_id})
    return coverage


@transaction.atomic
def start(article_id: int, summary: str | None = None) -> LiveCoverage:
    """Run the article as a live page, or resume one that ended."""
    article = _article(article_id)
    if not article.is_released:
        raise LiveError(_("Стаття %(id)s — чернетка: спершу опублікуйте її.") % {"id": article_id})
    coverage, created = LiveCoverage.objects.get_or_create(article=article)
    if not created and coverage.is_running and summary is None:
        return coverage
    coverage.state, coverage.ended_at = LiveCoverage.State.LIVE, None
    if summary is not None:
        coverage.summary = summary
    coverage.save()
    return coverage


def _check_link(link: str) -> None:
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError as error:
        raise LiveError(_("Посилання має бути адресою http:// або https://.")) from error


@transaction.atomic
def post(
    article_id: int, text: str, important: bool = False, author=None, link: str = ""
) -> LiveEntry:
    """A new entry on a running live story; an empty text (after sanitising) is refused."""
    if link:
        _check_link(link)
    coverage = _coverage(article_id)
    if not coverage.is_running:
        raise LiveError(_("Трансляцію %(id)s завершено: оновлення не додано.") % {"id": article_id})
    entry = LiveEntry(coverage=coverage, text=text, important=important, author=author, link=link)
    if not plain_text(sanitise_html(text)).strip():
        raise LiveError(_("Оновлення порожнє: напишіть текст."))
    entry.save()
    return entry


@transaction.atomic
def end(article_id: int) -> LiveCoverage:
    coverage = _coverage(article_id)
    if coverage.is_running:
        coverage.state, coverage.ended_at = LiveCoverage.State.ENDED, timezone.now()
        coverage.save()
    return coverage


def entries(coverage: LiveCoverage) -> list[LiveEntry]:
    """Pinned («важливо») entries first, then the rest; newest first within each."""
    rows = list(coverage.entries.all())
    return [e for e in rows if e.important] + [e for e in rows if not e.important]


def entry_url(article: Article, entry: LiveEntry) -> str:
    return f"{article.get_absolute_url()}#{entry.anchor()}"


def _item(article: Article, entry: LiveEntry) -> dict:
    local = timezone.localtime(entry.created_at)
    return {
        "id": entry.pk,
        "time": time_format(local, "H:i"),
        "text": entry.text,
        "important": entry.important,
        "url": entry_url(article, entry),
    }


def updates(article_id: int, after: int = 0) -> dict | None:
    """The update feed of a published live story: entries newer than `after`, newest first;
    None when there is no such story (a draft's feed does not exist either)."""
    coverage = (
        LiveCoverage.objects.select_related("article")
        .filter(article__in=Article.objects.published(), article_id=article_id)
        .first()
    )
    if coverage is None:
        return None
    newer = list(coverage.entries.filter(pk__gt=after)[:UPDATES_LIMIT])
    return {
        "state": coverage.state,
        "items": [_item(coverage.article, entry) for entry in newer],
        "count": coverage.entries.filter(pk__gt=after).count(),
    }


def search_text(article: Article) -> str:
    """The story's summary and entries as plain text, for its search document: one query."""
    rows = LiveCoverage.objects.filter(article_id=article.pk).values_list(
        "summary", "entries__text_plain"
    )
    summaries = dict.fromkeys(summary for summary, _ in rows)
    return "\n".join([*summaries, *(text for _, text in rows if text)])


def stories_among(article_ids: list[int]) -> set[int]:
    """The live stories (with a coverage) among these articles: one query."""
    if not article_ids:
        return set()
    found = LiveCoverage.objects.filter(article_id__in=article_ids).values_list("article_id")
    return {article_id for (article_id,) in found}


def feed_digest(article_ids: list[int]) -> dict[int, tuple[str, datetime]]:
    """Live stories among the articles: their newest entries as HTML for a feed item, and the
    time of the newest. One query, however many stories (the entries numbered per story)."""
    newest_first = Window(
        RowNumber(),
        partition_by=F("coverage_id"),
        order_by=(F("created_at").desc(), F("id").desc()),
    )
    numbered = LiveEntry.objects.filter(coverage__article_id__in=article_ids).annotate(
        place=newest_first
    )
    rows = LiveEntry.objects.filter(
        pk__in=numbered.filter(place__lte=FEED_ENTRIES).values("pk")
    ).select_related("coverage__article")
    stories: dict[int, list[LiveEntry]] = {}
    for entry in rows.order_by("-created_at", "-id"):
        stories.setdefault(entry.coverage.article_id, []).append(entry)
    return {
        article_id: (_feed_html(entries), entries[0].created_at)
        for article_id, entries in stories.items()
    }


def _feed_html(entries: list[LiveEntry]) -> str:
    article = entries[0].coverage.article
    return render_to_string(
        "live/_feed.html", {"entries": entries, "article": article, "SITE_URL": settings.SITE_URL}
    )


# -- the «Терміново» strip ----------------------------------------------------------------------


@dataclass(frozen=True)
class Strip:
    label: str
    url: str
    expires_at: datetime


def breaking(now: datetime | None = None) -> Strip | None:
    """The strip in force: the newest started, unexpired one whose story readers can open.

    The story is checked by its key for each strip in force (EXISTS): `article__in` the
    published stories made SQLite list every one of them first, 100-250 ms a page on
    100,000 articles, paid by every page of the site.
    """
    now = now or timezone.now()
    readable = Article.objects.published().filter(pk=OuterRef("article_id"))
    current = (
        BreakingNews.objects.filter(starts_at__lte=now, expires_at__gt=now)
        .filter(Exists(readable))
        .values("text", "expires_at", "article__title", "article__slug")
        .first()
    )
    if current is None:
        return None
    url = reverse("news:article", args=[current["article__slug"]])
    return Strip(current["text"] or current["article__title"], url, current["expires_at"])


def next_breaking_change(now: datetime) -> datetime | None:
    """When a strip next appears or expires: the site's pages must change then."""
    upcoming = BreakingNews.objects.filter(Q(starts_at__gt=now) | Q(expires_at__gt=now))
    due = upcoming.aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)),
        end=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    return min((d for d in due.values() if d is not None), default=None)
