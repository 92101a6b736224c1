"""Sitemaps that stay cheap at a million articles.

Each section is cut into pages by primary-key range: page N lists the rows whose id falls in
((N-1)·size, N·size]. Finding a page is an index range scan, never an OFFSET past every earlier
row; the page count comes from MAX(id), an index lookup; rows stream from the database with
only the columns a URL needs. A page whose ids are all drafts is simply empty, which the
sitemap protocol allows. An old article stays on the same page forever, so crawlers see
unchanged pages as unchanged.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from shpalta.news.links import absolute
from shpalta.news.models import Article, Author, Category, Tag


@dataclass(frozen=True)
class Entry:
    loc: str
    lastmod: datetime | None = None


def page_size() -> int:
    return settings.SHPALTA_SITEMAP_PAGE_SIZE


class IdRangeSection:
    """Rows of one model, `page_size()` ids per page."""

    model = None
    fields: tuple[str, ...] = ("slug",)

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def page_count(self) -> int:
        top = self.model._default_manager.aggregate(top=Max("pk"))["top"] or 0
        return max(1, math.ceil(top / page_size()))

    def page_lastmods(self) -> dict[int, datetime]:
        return {}

    def in_range(self, queryset: QuerySet, page: int) -> QuerySet:
        low, high = (page - 1) * page_size(), page * page_size()
        return queryset.filter(pk__gt=low, pk__lte=high).order_by("pk")

    def entries(self, page: int) -> Iterator[Entry]:
        rows = self.in_range(self.queryset(), page).only(*self.fields)
        for row in rows.iterator(chunk_size=2000):
            yield Entry(absolute(row.get_absolute_url()))


class ArticleSection(IdRangeSection):
    """Articles: the hot path, so rows stay tuples and URLs are built without reverse()."""

    model = Article

    def queryset(self):
        return Article.objects.published()

    def entries(self, page: int) -> Iterator[Entry]:
        # The id range alone picks the rows (SQLite would otherwise walk the status/date
        # index across every published article); the model's own publication rule then
        # drops drafts and scheduled articles among those few thousand rows.
        rows = self.in_range(Article.objects.all(), page).values_list(
            "slug", "status", "published_at", "updated_at"
        )
        prefix = absolute(reverse("news:article", args=["-"])[:-2])
        now = timezone.now()
        for slug, status, published_at, updated_at in rows.iterator(chunk_size=2000):
            if Article.live_row(status, published_at, now):
                yield Entry(f"{prefix}{slug}/", max(updated_at, published_at))

    def page_lastmods(self) -> dict[int, datetime]:
        """Every page's newest change in one grouped scan (no rows reach Python but ~100)."""
        grouped = (
            self.queryset()
            .order_by()
            .annotate(page=(F("pk") - 1) / page_size() + 1)
            .values("page")
            .annotate(newest=Max("updated_at"))
            .values_list("page", "newest")
        )
        return dict(grouped)


class CategorySection(IdRangeSection):
    model = Category

    def queryset(self):
        """Rubrics with live stories of their own or in a rubric below them: a rubric's page
        lists its sub-rubrics' stories, so a parent whose stories all sit lower is a real page."""
        live = Article.objects.published().filter(category=OuterRef("pk"))
        shown = set(Category.objects.filter(Exists(live)).values_list("pk", flat=True))
        parent_of = dict(Category.objects.values_list("pk", "parent_id"))
        for rubric in list(shown):
            parent = parent_of.get(rubric)
            while parent is not None and parent not in shown:  # `shown` also ends a cycle
                shown.add(parent)
                parent = parent_of.get(parent)
        return Category.objects.filter(pk__in=shown)


class TagSection(IdRangeSection):
    model = Tag

    def queryset(self):
        live = Article.objects.published().filter(tags=OuterRef("pk"))
        return Tag.objects.filter(Exists(live))


class AuthorSection(IdRangeSection):
    model = Author

    def queryset(self):
        live = Article.objects.published().filter(authors=OuterRef("pk"))
        return Author.objects.filter(Exists(live))


class PagesSection:
    """The pages that are not rows: the home page."""

    def page_count(self) -> int:
        return 1

    def page_lastmods(self) -> dict[int, datetime]:
        return {}

    def entries(self, page: int) -> Iterator[Entry]:
        yield Entry(absolute(reverse("news:home")))


SECTIONS = {
    "pages": PagesSection(),
    "articles": ArticleSection(),
    "categories": CategorySection(),
    "tags": TagSection(),
    "authors": AuthorSection(),
}
