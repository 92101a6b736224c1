"""Finding an article's related stories: candidates from the inverted index, then exact scores.

One algorithm for both places it runs: against the database for a single article (publish,
edit), and against an in-memory copy of the same index for `shpalta related rebuild`. Work is
bounded by the seed's strongest terms and the heaviest postings of each, never by the archive.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .conf import Params
from .features import jaccard
from .vectors import Vector, dot_many

DAY = 86400.0


@dataclass
class Seed:
    article_id: int
    vector: Vector
    signature: np.ndarray
    published: float  # epoch seconds


@dataclass
class Loaded:
    """Stored vectors of some articles, concatenated: what exact scoring needs."""

    ids: np.ndarray  # int64 [n]
    published: np.ndarray  # float64 [n], epoch seconds
    signatures: np.ndarray  # uint32 [n, permutations]
    term_ids: np.ndarray  # uint32, all vectors one after another
    weights: np.ndarray  # float32, likewise
    owners: np.ndarray  # int64, which of the n articles each term belongs to


@dataclass
class Neighbour:
    article_id: int
    similarity: float  # cosine of the two vectors
    score: float  # similarity with the recency preference of the seed applied
    published: float
    signature: np.ndarray


class Index(Protocol):
    def nearest(self, query: Vector, seed_id: int, params: Params) -> Loaded:
        """The stored vectors of the candidates for a seed whose strongest terms are `query`:
        the `params.candidates` articles (the seed excepted) with the highest partial dot
        product over each query term's heaviest `params.postings_per_term` postings, ties to
        the higher id (`top_candidates`)."""

    def load(self, article_ids: np.ndarray) -> Loaded: ...


def recency(reader: np.ndarray | float, other: np.ndarray | float, params: Params):
    """How much a story's date counts when shown under a story published at `reader`."""
    if params.recency <= 0:
        return np.ones_like(np.asarray(other, dtype=np.float64))
    gap = (np.asarray(other, dtype=np.float64) - reader) / DAY
    effective = np.where(gap > 0, gap * params.forward_factor, -gap)
    decay = np.power(0.5, effective / params.half_life_days)
    return (1.0 - params.recency) + params.recency * decay


def candidates(
    seed: Seed, index: Index, params: Params, now: float, copies: set[int] | None = None
) -> list[Neighbour]:
    """Every live article similar enough to the seed, best score first, near-duplicates out.

    `copies`, when given, receives the ids of the near-copies of the seed that were found (a
    copy shares the seed's strongest terms, so candidate generation surfaces it).
    """
    return list(ranked(seed, index, params, now, copies))


def ranked(
    seed: Seed, index: Index, params: Params, now: float, copies: set[int] | None = None
) -> Iterator[Neighbour]:
    """`candidates` in the same order, each built as it is taken: `select` takes a list's few
    from the front, and a rebuild asks for every article's (the order is found on the arrays,
    with the same keys: best score, then the newer, then the lower id)."""
    query = seed.vector.strongest(params.query_terms)
    if len(query.ids) == 0:
        return iter(())
    loaded = index.nearest(query, seed.article_id, params)
    if len(loaded.ids) == 0:
        return iter(())
    similarity = dot_many(
        seed.vector, loaded.term_ids, loaded.weights, loaded.owners, len(loaded.ids)
    )
    duplicate = jaccard(seed.signature, loaded.signatures) >= params.duplicate_jaccard
    duplicate &= loaded.ids != seed.article_id
    if copies is not None:
        copies.update(int(i) for i in loaded.ids[duplicate])
    keep = (
        (loaded.ids != seed.article_id)
        & (loaded.published <= now)
        & (similarity >= params.min_similarity)
        & ~duplicate
    )
    score = similarity * recency(seed.published, loaded.published, params)
    kept = np.flatnonzero(keep)
    published = loaded.published.astype(np.float64)
    ids = loaded.ids.astype(np.int64)
    order = kept[np.lexsort((ids[kept], -published[kept], -score[kept].astype(np.float64)))]
    return (
        Neighbour(
            int(ids[i]),
            float(similarity[i]),
            float(score[i]),
            float(published[i]),
            loaded.signatures[i],
        )
        for i in order
    )


def top_candidates(
    ids: np.ndarray, weights: np.ndarray, query_weights: np.ndarray, seed_id: int, limit: int
) -> np.ndarray:
    """Articles by their partial dot product with the query (postings' article ids and
    weights, each with its query term's weight): the best `limit` with a positive sum, the seed
    left out, ties to the higher id. The database index does the same in SQL."""
    if len(ids) == 0:
        return np.zeros(0, np.int64)
    unique, owner = np.unique(ids, return_inverse=True)
    partial = np.bincount(owner, weights=weights * query_weights)
    keep = (unique != seed_id) & (partial > 0)
    unique, partial = unique[keep], partial[keep]
    if len(unique) > limit:
        unique = unique[np.lexsort((-unique, -partial))[:limit]]
    return unique


def select(found: list[Neighbour], params: Params) -> list[Neighbour]:
    """The list to show: best first, one story once (a republished copy is skipped)."""
    chosen: list[Neighbour] = []
    signatures = None  # the chosen ones' signatures, a row each: one comparison a candidate
    for candidate in found:
        if len(chosen) == params.size:
            break
        if (
            chosen
            and (
                jaccard(candidate.signature, signatures[: len(chosen)]) >= params.duplicate_jaccard
            ).any()
        ):
            continue
        if signatures is None:
            signatures = np.empty(
                (params.size, *candidate.signature.shape), candidate.signature.dtype
            )
        signatures[len(chosen)] = candidate.signature
        chosen.append(candidate)
    return chosen
