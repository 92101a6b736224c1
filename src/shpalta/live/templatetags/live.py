"""{% live_coverage article as live %} and {% breaking_strip %}: the live blocks of the pages.

The article page includes "live/_block.html" by name (news imports nothing of this app); the
block declares the story's cache scope, so a new entry retires this page and nothing else.
"""

from dataclasses import dataclass

from django import template

from shpalta.caching import scopes
from shpalta.live import jsonld, service
from shpalta.live.models import LiveCoverage, LiveEntry
from shpalta.news import fragments

register = template.Library()


@dataclass(frozen=True)
class Block:
    coverage: LiveCoverage
    entries: list[LiveEntry]
    last_id: int
    json_ld: str


def _covered_stories() -> frozenset[int]:
    return frozenset(LiveCoverage.objects.values_list("article_id", flat=True))


def not_covered(request, article, tags) -> str | None:
    """The "live" key part of a stored story page's holes (news/stored.py): the same for every
    story without live coverage in this version (its block is empty), None for a covered one
    (its block moves with its own entries, not the version)."""
    if fragments.enabled(request) and article.pk not in fragments.cached(
        request, "live-stories", (), _covered_stories
    ):
        return "not covered"
    return None


@register.simple_tag(takes_context=True)
def live_coverage(context, article) -> Block | None:
    request = context.get("request")
    # Which stories are live changes with the site version (a coverage added or removed moves
    # it; its entries and state move only the story's own scope): most pages, not live, ask
    # nothing once the version's list is read.
    if fragments.enabled(request) and article.pk not in fragments.cached(
        request, "live-stories", (), _covered_stories
    ):
        return None
    coverage = LiveCoverage.objects.filter(article_id=article.pk).first()
    if coverage is None:
        return None
    if request is not None:
        scopes.declare(request, service.scope(article.pk))
    coverage.article = article
    entries = service.entries(coverage)
    last_id = max((entry.pk for entry in entries), default=0)
    return Block(coverage, entries, last_id, jsonld.render(coverage, entries))


@register.inclusion_tag("live/_breaking.html", takes_context=True)
def breaking_strip(context):
    """On pages rendered for a request; error pages made without one (the database may be
    what failed) get no strip and no query."""
    return {"strip": service.breaking() if context.get("request") else None}
