"""What other capabilities add to an article's feed item, though feeds may not import them.

A live story's item carries its latest entries: the live app cannot be imported here (a
sibling capability), so `shpalta.changes.receivers` registers a source, which is asked once per
feed for all its items.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ItemExtra:
    html: str  # sanitised HTML, appended to the item's full text
    updated_at: datetime | None = None  # when this part last changed


ExtraSource = Callable[[list[int]], dict[int, ItemExtra]]
_sources: list[ExtraSource] = []


def register(source: ExtraSource) -> None:
    if source not in _sources:
        _sources.append(source)


def for_items(article_ids: list[int]) -> dict[int, list[ItemExtra]]:
    """Each article's extras, one call per source for the whole feed."""
    found: dict[int, list[ItemExtra]] = {}
    for source in _sources:
        for article_id, extra in source(article_ids).items():
            found.setdefault(article_id, []).append(extra)
    return found
