"""Source categories, tags and authors to Shpalta rows, the same rows on every re-run."""

from shpalta.news.models import Author, Category, Tag
from shpalta.text.cleaning import cut

from .items import TermRef
from .models import ImportedTerm

NAME_MAX = 100
Kind = ImportedTerm.Kind


def _mapped(source: str, kind: str, key: str):
    if not key:
        return None
    term = ImportedTerm.objects.filter(source=source, kind=kind, key=key).first()
    return getattr(term, kind) if term else None


def _remember(source: str, kind: str, key: str, obj) -> None:
    if key:
        ImportedTerm.objects.update_or_create(
            source=source, kind=kind, key=key, defaults={kind: obj}
        )


def category(ref: TermRef, source: str, parent: Category | None) -> Category:
    """The category for `ref`, under `parent` (resolved first by `Terms.category`, so the tree
    nests as in the source and each level is resolved once)."""
    found = _mapped(source, Kind.CATEGORY, ref.key)
    if found is None:
        found = _category_by_name(ref.name, parent)
        _remember(source, Kind.CATEGORY, ref.key, found)
    elif found.parent_id != getattr(parent, "pk", None):
        found.parent = parent
        found.save(update_fields=["parent"])
    return found


def _category_by_name(name: str, parent: Category | None) -> Category:
    """Names are unique in Shpalta: a same-named category elsewhere in the tree gets its
    parent's name added, e.g. `Foo A (Foo Parent)`."""
    candidates = [cut(name, NAME_MAX, ellipsis=False)]
    if parent is not None:
        candidates.append(cut(f"{name} ({parent.name})", NAME_MAX, ellipsis=False))
    for candidate in candidates:
        existing = Category.objects.filter(name=candidate).first()
        if existing is None:
            return Category.objects.create(name=candidate, parent=parent)
        if existing.parent_id == getattr(parent, "pk", None):
            return existing
    n = 2
    while Category.objects.filter(name=f"{candidates[-1]} {n}").exists():
        n += 1
    return Category.objects.create(name=f"{candidates[-1]} {n}", parent=parent)


def tag(ref: TermRef, source: str) -> Tag:
    found = _mapped(source, Kind.TAG, ref.key)
    if found is None:
        found = Tag.objects.get_or_create(name=cut(ref.name, NAME_MAX, ellipsis=False))[0]
        _remember(source, Kind.TAG, ref.key, found)
    return found


def author(ref: TermRef, source: str) -> Author:
    found = _mapped(source, Kind.AUTHOR, ref.key)
    if found is None:
        name = cut(ref.name, 150, ellipsis=False)
        found = Author.objects.filter(name=name).first() or Author.objects.create(name=name)
        _remember(source, Kind.AUTHOR, ref.key, found)
    return found


class Terms:
    """The resolvers above with the run's answers remembered: a big export names the same
    few hundred categories, tags and authors thousands of times. Answers found inside an
    item's transaction count only once it commits (a rolled-back row must not be reused)."""

    def __init__(self):
        self.known: dict[tuple, object] = {}
        self.pending: dict[tuple, object] = {}

    def commit(self) -> None:
        self.known.update(self.pending)
        self.pending.clear()

    def rollback(self) -> None:
        self.pending.clear()

    def _remembered(self, key: tuple, resolve):
        found = self.pending.get(key) or self.known.get(key)
        if found is None:
            found = self.pending[key] = resolve()
        return found

    def category(self, ref: TermRef | None, source: str) -> Category | None:
        if ref is None or not ref.name:
            return None
        parent = self.category(ref.parent, source)
        key = ("category", source, ref.key or ref.name, getattr(parent, "pk", None))
        return self._remembered(key, lambda: category(ref, source, parent))

    def tag(self, ref: TermRef, source: str) -> Tag:
        return self._remembered(("tag", source, ref.key or ref.name), lambda: tag(ref, source))

    def author(self, ref: TermRef, source: str) -> Author:
        key = ("author", source, ref.key or ref.name)
        return self._remembered(key, lambda: author(ref, source))
