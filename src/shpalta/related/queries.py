"""Reading stored lists: one indexed query, no similarity computed (page block and API)."""

import logging

from django.db import DatabaseError, models, router
from django.utils import timezone

from shpalta.news.models import Article, live_condition
from shpalta.ops.prepared import Prepared, Slot
from shpalta.ops.writes import regenerable

from .conf import params
from .models import KeptItem, RelatedLink

log = logging.getLogger(__name__)

# What a card shows (title, link, cover, teaser) and is_live reads; the teaser is cut from the
# excerpt, lead or stored plain text, so neither body is read for it.
CARD_FIELDS = (
    "title", "slug", "excerpt", "lead", "body_text", "cover_image", "cover_width",
    "cover_height", "cover_image_url", "status", "published_at", "cover",
)  # fmt: skip


def related_articles(article, limit: int | None = None):
    """The stored list of `article`, live articles only (`Article.is_live`, the published()
    rule), best first.

    Read from the list's own rows (index on article_id) and joined to the articles by primary
    key, so its cost does not grow with the archive; a list holds at most `size` rows, so
    filtering them here never leaves out an entry further down.
    """
    limit = limit or params().size
    links = STORED_LIST(article=article.pk)
    return [link.related for link in links if link.related.is_live][:limit]


# Compiled to SQL once per process (ops.prepared): the compiling cost ten times the query.
STORED_LIST = Prepared(
    lambda: (
        RelatedLink.objects.filter(article_id=Slot("article", models.IntegerField()))
        .select_related("related", "related__cover")
        .only("related", *(f"related__{name}" for name in CARD_FIELDS))
        .order_by("rank")
    )
)


def live_list(article, limit: int | None = None) -> list[tuple]:
    """The stored list of `article` as (id, last save, kept item's stamp, kept item) of its
    live articles, best first: what the page's block needs to show the items already written
    (one indexed query, no row built as a model)."""
    limit = limit or params().size
    now = timezone.now()
    rows = LIST_ROWS.rows(article=article.pk)
    live = [row[:1] + row[3:] for row in rows if Article.live_row(row[1], row[2], now)]
    return live[:limit]


LIST_ROWS = Prepared(
    lambda: (
        RelatedLink.objects.filter(article_id=Slot("article", models.IntegerField()))
        .order_by("rank")
        .values_list(
            "related_id",
            "related__status",
            "related__published_at",
            "related__updated_at",
            "related__related_item__stamp",
            "related__related_item__html",
        )
    )
)


def kept_key(request, article, tags) -> str:
    """What the story's «Більше подібного» block shows, as a string for its page's kept hole
    (news.stored, `{% hole "related" kept "related" %}`): the list's live articles, best first,
    each with its last save. A list written again, an article in it published, withdrawn, come
    due or saved (its headline, teaser, cover) all change it; what else an item shows (photos,
    release) is in the page's own stamp. One indexed query, its values compared as the
    database gives them (the publishing rule answered by the query, as a column)."""
    size = params().size
    rows = LIVE_KEY.rows(converted=False, article=article.pk, now=timezone.now())
    live = [f"{pk}@{saved}" for pk, saved, is_live in rows if is_live]
    return f"{size}:" + " ".join(live[:size])


LIVE_KEY = Prepared(
    lambda: (
        RelatedLink.objects.filter(article_id=Slot("article", models.IntegerField()))
        .order_by("rank")
        .annotate(
            live=models.ExpressionWrapper(
                live_condition(Slot("now", models.DateTimeField()), through="related__"),
                output_field=models.BooleanField(),
            )
        )
        .values_list("related_id", "related__updated_at", "live")
    )
)


def keep_items(items: dict[int, tuple[str, str]]) -> None:
    """Store written items (id → (stamp, html)), replacing older ones; a failure to write
    (a lock, a read-only database) costs the next page a write, never this one. Committed
    without waiting for the disk: copies a crash may lose (ops.writes)."""
    rows = [KeptItem(article_id=pk, stamp=stamp, html=html) for pk, (stamp, html) in items.items()]
    try:
        with regenerable(router.db_for_write(KeptItem)):
            KeptItem.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=["stamp", "html"],
            )
    except DatabaseError:
        log.warning("related: %d items could not be kept", len(rows), exc_info=True)


def scored_related(article) -> list[tuple]:
    """The whole stored list of `article` as (related article, score), live articles only,
    best first, each with its rubric, authors and tags loaded (what the API's items carry)."""
    links = (
        RelatedLink.objects.filter(article_id=article.pk)
        .select_related("related__category")
        .prefetch_related("related__authors", "related__tags")
        .order_by("rank")
    )
    return [(link.related, link.score) for link in links if link.related.is_live]
