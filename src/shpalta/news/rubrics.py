"""The rubric tree, read once per request.

The menu, the home page's sections and a rubric's page all need the rubrics. The table is
small, so one query for all of it, shared through the request, beats each of them asking again;
and it is kept for the site's version (a rubric saved or deleted moves it), so most pages ask
nothing at all. Each process also keeps the version's tree itself, worked out (a story page
unpickled the table and rebuilt the tree, 150 us, to mark one menu item): it is read only, and
a new version gets a new one.
"""

from functools import cached_property

from . import fragments
from .models import Category, children_of, rubric_and_below


class Rubrics:
    def __init__(self, categories):
        self.all = list(categories)  # in menu order: Category's Meta.ordering
        self._children = children_of((rubric.pk, rubric.parent_id) for rubric in self.all)

    @cached_property
    def top_level(self) -> list[Category]:
        return [rubric for rubric in self.all if rubric.parent_id is None]

    def by_slug(self, slug: str) -> Category | None:
        return next((rubric for rubric in self.all if rubric.slug == slug), None)

    def below(self, rubric: Category) -> set[int]:
        """The rule of Category.descendant_ids(), on the tree already read."""
        return rubric_and_below(self._children, rubric.pk)

    def sections(self) -> dict[int, set[int]]:
        """Top-level rubric id → the ids of it and every rubric under it: what its home
        section shows. A rubric in a cycle of parents has no top level and no section."""
        return dict(self._sections)

    @cached_property
    def _sections(self) -> dict[int, frozenset[int]]:
        return {top.pk: frozenset(self.below(top)) for top in self.top_level}

    @cached_property
    def _top_of(self) -> dict[int, int]:
        return {rubric: top for top, ids in reversed(self._sections.items()) for rubric in ids}

    def top_of(self, rubric_id: int | None) -> int | None:
        """The top-level rubric whose section holds `rubric_id`: the one the menu marks."""
        return self._top_of.get(rubric_id)


# This process's tree for the version it last served: (version token, tree).
_kept: tuple[str, Rubrics] | None = None


def for_request(request) -> Rubrics:
    """The request's one copy, read on first use (pages without a menu never read it)."""
    global _kept
    rubrics = getattr(request, "_shpalta_rubrics", None)
    if rubrics is None:
        token = fragments.version_of(request) if fragments.enabled(request) else None
        kept = _kept
        if token is not None and kept is not None and kept[0] == token:
            rubrics = kept[1]
        else:
            table = fragments.cached(request, "rubrics", (), lambda: list(Category.objects.all()))
            rubrics = Rubrics(table)
            if token is not None:
                _kept = (token, rubrics)
        request._shpalta_rubrics = rubrics
    return rubrics
