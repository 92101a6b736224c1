"""The small interface every search backend implements, and what they share.

Design for speed (p95 < 50 ms at a million articles): a backend never ranks every match of a
common word. It walks matches newest first (its index is ordered by time) and stops after a
fixed number of candidates, taking separately the newest matches in titles so an older story
that names the query in its headline still competes; only those candidates are scored. Rare
words have fewer matches than the cap, so they are ranked exactly. Counts past the cap are
reported as "more than". Freshness is part of the score, which is why newest-first candidates
lose little: a story a year old needs a much stronger match to outrank today's.
"""

import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from ..documents import Document
from ..query import SearchQuery

CANDIDATES = 300  # newest matches scored per query
TITLE_CANDIDATES = 100  # and older ones with a query word in the title
COUNT_CAP = 1000  # beyond this a count reads "more than 1000"
DF_CAP = 5_000  # word frequencies past this all count as "very common"


def ttl_cache(seconds: float):
    """Remember a no-argument function's answer for a while (per process)."""

    def decorate(function):
        state = {"at": -seconds, "value": None}

        def cached():
            now = time.monotonic()
            if now - state["at"] >= seconds:
                state["value"], state["at"] = function(), now
            return state["value"]

        cached.forget = lambda: state.update(at=-seconds)
        return cached

    return decorate


@dataclass(frozen=True)
class Filters:
    category_ids: tuple[int, ...] = ()
    date_from: datetime | None = None
    date_to: datetime | None = None
    now: datetime | None = None  # scheduled articles are indexed but hidden until their time


class Candidate(NamedTuple):  # a tuple: hundreds are built per query
    """A match worth ranking and, per query word, where in the article that word stands."""

    article_id: int
    published: float  # Unix time
    in_title: tuple[bool, ...]
    in_lead: tuple[bool, ...]
    # the word as typed (normalised) occurs, not only another form; None: not read yet (see
    # exact_forms)
    exact: tuple[bool, ...] | None


class SearchBackend(ABC):
    vendor: str

    @abstractmethod
    def index(self, documents: Iterable[Document]) -> int:
        """Add or replace documents; returns how many were written."""

    @abstractmethod
    def remove(self, article_ids: Iterable[int]) -> None: ...

    @abstractmethod
    def clear(self) -> None: ...

    @abstractmethod
    def indexed_ids(self) -> set[int]: ...

    def settle(self) -> bool:
        """After a bulk write of the index (a rebuild), outside any transaction: whatever the
        database needs to answer queries at full speed; False when there was nothing to do."""
        return False

    @abstractmethod
    def candidates(self, query: SearchQuery, filters: Filters) -> list[Candidate]:
        """The newest CANDIDATES matches, and (when there are more) the newest with a query
        word in the title; for each, where every query word stands (the exact forms may be
        left None, for exact_forms)."""

    def exact_forms(
        self, query: SearchQuery, article_ids: list[int]
    ) -> dict[int, tuple[bool, ...]]:
        """Per article, whether each query word occurs in it as typed: asked by ranking only for
        the candidates `candidates` returned with `exact` None, and only for those that can
        reach the places shown (ranking.rank_top). A backend that always fills `exact` is never
        asked."""
        raise NotImplementedError(f"{self.vendor} candidates carry their exact forms")

    @abstractmethod
    def frequencies(self, query: SearchQuery) -> tuple[list[int], int]:
        """Per query word, how many articles contain it (capped at DF_CAP); and the index size."""

    def known_frequencies(self, query: SearchQuery, counts: list[int]) -> None:
        """Said before `candidates` when this process counted the query's words lately
        (service.frequencies keeps them ten minutes): a backend that orders its walks by them
        takes these instead of counting again."""
        return None  # a backend that does not order its walks by them has nothing to keep

    @abstractmethod
    def count(self, query: SearchQuery, filters: Filters) -> tuple[int, bool]:
        """How many articles match, exact up to COUNT_CAP; (count, is_exact)."""

    @abstractmethod
    def newest(self, query: SearchQuery, filters: Filters, offset: int, limit: int) -> list[int]:
        """Matches newest first, for pages past the ranked candidates."""
