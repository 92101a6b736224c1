"""Which creatives a slot may carry on a page, decided when the page is rendered.

The page cache keeps a rendered page until the site version changes (a creative, placement or
«без реклами» change moves it: changes/receivers.py). So the page carries every creative that
is eligible here and not yet over — targeting, «без реклами» and placement decided on the
server — and ads.js picks one per view by weight among those whose schedule covers the
reader's moment. Rotation then happens on every view of one cached page, and a creative
that starts or ends while the page sits in the cache is honoured to the second.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from shpalta.news import rubrics
from shpalta.news.models import Article, Category, Tag

from .models import AdFreeArticle, AdFreeRubric, Creative, Placement

REQUEST_ATTRIBUTE = "_shpalta_ads"


@dataclass(frozen=True)
class Page:
    """What targeting looks at: the page's rubric (with the rubrics above it) and tags."""

    rubric_ids: frozenset[int] = frozenset()
    tag_ids: frozenset[int] = frozenset()
    ad_free: bool = False


@dataclass
class Inventory:
    """Everything one request needs, read once: placements and running creatives."""

    placements: dict[str, Placement]
    creatives: list[Creative]
    targets: dict[int, tuple[frozenset[int], frozenset[int]]] = field(default_factory=dict)


def _rubric_chain(rubric_id: int | None, request=None) -> list[int]:
    """The rubric and every rubric above it (a cycle an editor made ends the walk), from the
    request's one read of the rubric table (news.rubrics)."""
    if rubric_id is None:
        return []
    if request is not None:
        parents = {r.pk: r.parent_id for r in rubrics.for_request(request).all}
    else:
        parents = dict(Category.objects.values_list("pk", "parent_id"))
    chain: list[int] = []
    current: int | None = rubric_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


@dataclass(frozen=True)
class AdFree:
    """The «без реклами» lists, read whole (a change to them moves the site version, so a
    page may keep them for its version: ads' template tags)."""

    articles: frozenset[int] = frozenset()
    rubrics: frozenset[int] = frozenset()


def ad_free_lists() -> AdFree:
    return AdFree(
        frozenset(AdFreeArticle.objects.values_list("article_id", flat=True)),
        frozenset(AdFreeRubric.objects.values_list("rubric_id", flat=True)),
    )


def page_for(
    article: Article | None = None,
    rubric=None,
    tag=None,
    request=None,
    ad_free: AdFree | None = None,
    tags=None,
) -> Page:
    """An article's page, a rubric's or tag's list, or any other page (untargeted only).

    `ad_free` (the lists already read) spares a query each for the story and its rubrics, and
    `tags` (the story's, as the page already read them) the query for its tags."""
    tag_ids: frozenset[int] = frozenset()
    if article is not None:
        chain = _rubric_chain(article.category_id, request)
        if tags is None:
            tag_ids = frozenset(article.tags.values_list("pk", flat=True))
        else:
            tag_ids = frozenset(each.pk for each in tags)
        if ad_free is not None:
            if article.pk in ad_free.articles:
                return Page(ad_free=True)
        elif AdFreeArticle.objects.filter(article_id=article.pk).exists():
            return Page(ad_free=True)
    elif isinstance(rubric, Category):
        chain = _rubric_chain(rubric.pk, request)
    else:
        chain = []
        if isinstance(tag, Tag):
            tag_ids = frozenset([tag.pk])
    if chain:
        if ad_free is not None:
            if not ad_free.rubrics.isdisjoint(chain):
                return Page(ad_free=True)
        elif AdFreeRubric.objects.filter(rubric_id__in=chain).exists():
            return Page(ad_free=True)
    return Page(frozenset(chain), tag_ids)


def inventory(request=None, now: datetime | None = None) -> Inventory:
    """Read once per request (kept on it): every slot of the page shares it."""
    cached = getattr(request, REQUEST_ATTRIBUTE, None) if request is not None else None
    if cached is not None:
        return cached
    placements = {p.key: p for p in Placement.objects.filter(enabled=True)}
    creatives = list(
        Creative.objects.running(now)
        .select_related("image", "mobile_image")
        .prefetch_related("placements", "rubrics", "tags")
    )
    found = Inventory(placements, creatives)
    for creative in creatives:
        found.targets[creative.pk] = (
            frozenset(r.pk for r in creative.rubrics.all()),
            frozenset(t.pk for t in creative.tags.all()),
        )
    if request is not None:
        setattr(request, REQUEST_ATTRIBUTE, found)
    return found


def matches(targets: tuple[frozenset[int], frozenset[int]], page: Page) -> bool:
    """Untargeted: everywhere. Targeted: where the page's rubric (or one above it) is among
    the creative's rubrics, or one of its tags among the creative's tags."""
    rubrics, tags = targets
    if not rubrics and not tags:
        return True
    return bool(rubrics & page.rubric_ids) or bool(tags & page.tag_ids)


def eligible(stock: Inventory, key: str, page: Page) -> tuple[Placement | None, list[Creative]]:
    placement = stock.placements.get(key)
    if placement is None or page.ad_free:
        return placement, []
    chosen = [
        creative
        for creative in stock.creatives
        if any(p.key == key for p in creative.placements.all())
        and matches(stock.targets[creative.pk], page)
    ]
    return placement, chosen


@dataclass(frozen=True)
class Plan:
    """What choosing a page's creatives needs, small enough to keep per site version: for each
    enabled placement its position and its running creatives' ids and targets, in the
    inventory's order. `chosen()` picks as `eligible()` does, without the creatives. Made of
    tuples and frozen sets, it hashes: each process holds it as it is (news.fragments)."""

    slots: tuple[
        tuple[str, int, tuple[tuple[int, tuple[frozenset[int], frozenset[int]]], ...]], ...
    ]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _, _ in self.slots)

    def position(self, key: str) -> int | None:
        """The placement's position (after paragraph N, after card N), None if not enabled."""
        return next((position for each, position, _ in self.slots if each == key), None)

    def chosen(self, key: str, page: Page) -> list[int]:
        if page.ad_free:
            return []
        running = next((running for each, _, running in self.slots if each == key), ())
        return [pk for pk, targets in running if matches(targets, page)]


def plan(stock: Inventory) -> Plan:
    return Plan(
        slots=tuple(
            (
                key,
                placement.position,
                tuple(
                    (creative.pk, stock.targets[creative.pk])
                    for creative in stock.creatives
                    if any(p.key == key for p in creative.placements.all())
                ),
            )
            for key, placement in stock.placements.items()
        )
    )


def active_at(creative: Creative, when: datetime | None = None) -> bool:
    """What ads.js decides on the reader's clock, for tests and the admin."""
    when = when or timezone.now()
    if not creative.active:
        return False
    if creative.starts_at and when < creative.starts_at:
        return False
    return not (creative.ends_at and when >= creative.ends_at)
