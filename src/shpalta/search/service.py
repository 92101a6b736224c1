"""Search as the page and the API use it: filters, ranking, pages, snippets, suggestions."""

import time
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db import models
from django.utils import timezone
from django.utils.safestring import SafeString

from shpalta.news.models import Article, Category
from shpalta.ops.prepared import Prepared, Slot

from . import query as query_module
from .backends import Filters, get_backend
from .backends.base import CANDIDATES, SearchBackend
from .highlight import highlight, snippet
from .query import SearchQuery
from .ranking import rank, rank_top, word_weights
from .suggest import suggest, written_as_in

PAGE_SIZE = 10
SUGGEST_BELOW = 5
CAPITALS_SCAN_CHARS = 2000  # how much of each found text shows how it writes the query words


_FREQUENCIES: dict[tuple, tuple[float, list[int], int]] = {}
FREQUENCY_SECONDS = 600


def frequencies(backend: SearchBackend, query: SearchQuery) -> tuple[list[int], int]:
    """Word frequencies change slowly and only weigh words against each other: a popular
    query's are counted once every ten minutes, not on every search."""
    cached = _fresh_frequencies(backend, query)
    if cached:
        return cached[1], cached[2]
    key = (backend.vendor, tuple(w.lemmas for w in query.words))
    now = time.monotonic()
    counts, size = backend.frequencies(query)
    if len(_FREQUENCIES) > 10_000:
        _FREQUENCIES.clear()
    _FREQUENCIES[key] = (now, counts, size)
    return counts, size


def _fresh_frequencies(backend: SearchBackend, query: SearchQuery):
    """(when, counts, size) as `frequencies` kept them, if not older than ten minutes."""
    cached = _FREQUENCIES.get((backend.vendor, tuple(w.lemmas for w in query.words)))
    if cached and time.monotonic() - cached[0] < FREQUENCY_SECONDS:
        return cached
    return None


class RankedMatches:
    """The whole ordered result list, fetched lazily page by page (what Paginator slices).

    The ranked candidates come first; past them the remaining matches follow newest first.
    """

    def __init__(self, backend: SearchBackend, query: SearchQuery, filters: Filters):
        self.backend, self.query, self.filters = backend, query, filters
        if len(query.words) > 1 and (known := _fresh_frequencies(backend, query)):
            backend.known_frequencies(query, known[1])  # the walks' order, without counting
        found = backend.candidates(query, filters) if query else []
        self.weights = [1.0] * len(query.words)
        if len(query.words) > 1 and found:  # one word's weight would not change the order
            self.weights = word_weights(*frequencies(backend, query))
        self.now = filters.now or timezone.now()
        self.found, self.ranked_through = found, 0
        self.ranked = [c.article_id for c in found]  # in order once ranked_through covers it
        self.complete = len(found) < CANDIDATES
        if self.complete:
            self.total, self.exact = len(self.ranked), True
        else:
            self.total, self.exact = backend.count(query, filters)
            self.total = max(self.total, len(self.ranked))

    def _rank(self, stop: int) -> None:
        """The first `stop` places in their final order (ranking.rank_top: the candidates'
        exact forms are read only where they can change those places)."""
        if stop <= self.ranked_through or not self.found:
            return
        self.found = rank_top(
            self.found, self.weights, self.now, stop,
            lambda ids: self.backend.exact_forms(self.query, ids),
        )  # fmt: skip
        self.ranked = rank(self.found, self.weights, self.now)
        self.ranked_through = stop

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[int]:
        start, stop = window.start or 0, window.stop
        self._rank(stop)
        if stop <= len(self.ranked) or self.complete:
            return self.ranked[start:stop]
        head = self.ranked[start:stop] if start < len(self.ranked) else []
        skip = max(start - len(self.ranked), 0)
        seen = set(self.ranked)
        newest = self.backend.newest(
            self.query, self.filters, CANDIDATES, skip + (stop - start) + len(seen)
        )
        rest = [pk for pk in newest if pk not in seen]
        return head + rest[skip : skip + (stop - start) - len(head)]


@dataclass
class Result:
    article: Article
    title: SafeString
    snippet: SafeString


@dataclass
class SearchPage:
    query: SearchQuery
    page: Page | None = None
    results: list[Result] = field(default_factory=list)
    count: int = 0
    count_is_exact: bool = True
    suggestion: str | None = None
    corrected_from: str | None = None  # the query as typed, when its layout was switched


def category_ids(category: Category | None) -> tuple[int, ...]:
    """A category filter includes the rubrics below it at any depth, as its page does."""
    return tuple(sorted(category.descendant_ids())) if category is not None else ()


# What the search page shows of a found article: title, address, rubric, date, and the lead
# and plain text the snippet comes from (`search(fields=PAGE_FIELDS)`).
PAGE_FIELDS = ("title", "slug", "lead", "body_text", "published_at", "category__name",
               "category__slug")  # fmt: skip
_PREPARED: dict[tuple[tuple[str, ...], int], Prepared] = {}


def _found_query(fields: tuple[str, ...], count: int) -> Prepared:
    """The published articles among `count` ids, with these fields, compiled once per process
    (ops.prepared): compiling the query took half of the time it took to fetch a page's ten."""
    key = (fields, count)
    if key not in _PREPARED:
        ids = [Slot(f"id{n}", models.IntegerField()) for n in range(count)]
        _PREPARED[key] = Prepared(
            lambda: (
                Article.objects.published(now=Slot("now", models.DateTimeField()))
                .select_related("category")
                .only(*fields)
                .filter(pk__in=ids)
                .order_by()
            )
        )
    return _PREPARED[key]


def _articles(ids: list[int], prefetch: tuple[str, ...], fields: tuple[str, ...] | None):
    """The published articles among `ids` by id: those `fields` (the page's), or all but the
    HTML body; `prefetch`: relations the caller shows."""
    if fields is not None and not prefetch and 0 < len(ids) <= PAGE_SIZE:
        values = {f"id{n}": pk for n, pk in enumerate(ids)}
        found = _found_query(fields, len(ids))(now=timezone.now(), **values)
        return {article.pk: article for article in found}
    queryset = Article.objects.published().select_related("category")
    queryset = queryset.only(*fields) if fields is not None else queryset.defer("body")
    return queryset.prefetch_related(*prefetch).in_bulk(ids)


def _results(
    ids: list[int],
    query: SearchQuery,
    prefetch: tuple[str, ...],
    fields: tuple[str, ...] | None = None,
) -> list[Result]:
    """The page shows title, category, date and a snippet of the lead and plain text."""
    articles = _articles(ids, prefetch, fields)
    results = []
    for pk in ids:
        article = articles.get(pk)
        if article is not None:  # stale index rows never show an unpublished article
            texts = [article.lead, article.body_text]
            results.append(Result(article, highlight(article.title, query),
                                  snippet(texts, query)))  # fmt: skip
    return results


def _page(
    backend: SearchBackend,
    query: SearchQuery,
    filters: Filters,
    page: int | str,
    page_size: int,
    prefetch: tuple[str, ...],
    fields: tuple[str, ...] | None = None,
) -> tuple[SearchPage, RankedMatches]:
    matches = RankedMatches(backend, query, filters)
    paginator = Paginator(matches, page_size, allow_empty_first_page=True)
    page_obj = paginator.get_page(page)
    results = _results(list(page_obj.object_list), query, prefetch, fields)
    return SearchPage(query, page_obj, results, matches.total, matches.exact), matches


def _switched_layout(found: SearchPage, typed: str) -> SearchPage:
    """The corrected query as the found articles write it (`Зеленський`), the typed one kept."""
    texts = [
        text[:CAPITALS_SCAN_CHARS]
        for r in found.results
        for text in (r.article.title, r.article.lead, r.article.body_text)
    ]
    found.query = replace(found.query, text=written_as_in(found.query, texts))
    found.corrected_from = typed
    return found


def search(
    raw_query: str | None,
    *,
    category: Category | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    page: int | str = 1,
    page_size: int = PAGE_SIZE,
    suggestions: bool = True,
    switch_layout: bool = False,
    prefetch: tuple[str, ...] = (),
    fields: tuple[str, ...] | None = None,
) -> SearchPage:
    """`prefetch`: relations of the found articles the caller shows (the API: authors, tags);
    `fields`: only these fields of them are read (the page: PAGE_FIELDS), else all but the body.

    `switch_layout`: when nothing is found and the query typed on the Latin layout finds
    something in Ukrainian, return that search instead (the page does; the API answers what
    was asked and only suggests).
    """
    query = query_module.parse(raw_query)
    filters = Filters(category_ids(category), date_from, date_to, timezone.now())
    if not query:
        return SearchPage(query)
    backend = get_backend()
    result, matches = _page(backend, query, filters, page, page_size, prefetch, fields)
    if suggestions and matches.total < SUGGEST_BELOW:  # a typo rarely finds much
        suggestion = suggest(query, lambda text: _hits(backend, text, filters), matches.total)
        if suggestion and suggestion.layout and switch_layout and not matches.total:
            corrected = query_module.parse(suggestion.text)
            found, _ = _page(backend, corrected, filters, page, page_size, prefetch, fields)
            if found.count:
                return _switched_layout(found, query.text)
        result.suggestion = suggestion.text if suggestion else None
    return result


def _hits(backend: SearchBackend, text: str, filters: Filters) -> int:
    query = query_module.parse(text)
    return backend.count(query, filters)[0] if query else 0
