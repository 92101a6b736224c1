"""The scoring rules on hand-made vectors: exclusions, the similarity floor and recency."""

import numpy as np
import pytest

from shpalta.related.conf import Params
from shpalta.related.features import PERMUTATIONS
from shpalta.related.memory import MemoryIndex
from shpalta.related.scoring import DAY, Seed, candidates, recency, select
from shpalta.related.vectors import Vector

NOW = 1_750_000_000.0
CONFIG = Params(recency=0.3, half_life_days=30, min_similarity=0.05)


def vector(weights: dict[int, float]) -> Vector:
    ids = np.asarray(sorted(weights), np.uint32)
    values = np.asarray([weights[i] for i in sorted(weights)], np.float64)
    return Vector(ids, (values / np.linalg.norm(values)).astype(np.float32))


def signature(n: int) -> np.ndarray:
    return np.full(PERMUTATIONS, n, np.uint32)


def index(articles: list[tuple[int, dict, float, np.ndarray]]) -> MemoryIndex:
    ids, vectors, published, signatures = zip(*[(a, vector(v), p, s) for a, v, p, s in articles])
    return MemoryIndex(
        np.asarray(ids),
        np.asarray(published),
        np.vstack(signatures),
        list(vectors),
        posting_terms=24,
        postings_per_term=400,
    )


def found(seed_weights, articles, config=CONFIG, seed_signature=None, published=NOW):
    seed = Seed(
        1,
        vector(seed_weights),
        signature(1) if seed_signature is None else seed_signature,
        published,
    )
    return candidates(seed, index(articles), config, NOW)


def test_the_article_itself_is_never_a_candidate():
    result = found(
        {1: 1, 2: 1}, [(1, {1: 1, 2: 1}, NOW, signature(1)), (2, {1: 1}, NOW, signature(2))]
    )
    assert [c.article_id for c in result] == [2]


def test_future_articles_are_not_candidates():
    result = found(
        {1: 1}, [(2, {1: 1}, NOW + 3600, signature(2)), (3, {1: 1, 5: 1}, NOW, signature(3))]
    )
    assert [c.article_id for c in result] == [3]


def test_near_duplicates_of_the_article_are_excluded():
    copy = signature(1).copy()
    copy[:8] = 99  # 56 of 64 positions equal: estimated Jaccard 0.875
    different = signature(1).copy()
    different[:16] = 99  # 0.75: a rewrite, not a copy
    result = found({1: 1}, [(2, {1: 1}, NOW, copy), (3, {1: 1, 2: 0.2}, NOW, different)])
    assert [c.article_id for c in result] == [3]


def test_a_story_republished_twice_is_shown_once():
    result = found(
        {1: 1, 2: 1},
        [
            (2, {1: 1, 2: 1}, NOW - DAY, signature(7)),
            (3, {1: 1, 2: 0.9}, NOW - DAY, signature(7)),  # the same text as 2 under another id
            (4, {1: 1, 2: 0.5}, NOW - DAY, signature(8)),
        ],
    )
    assert [c.article_id for c in select(result, CONFIG)] == [2, 4]


def test_articles_below_the_similarity_floor_are_left_out():
    result = found(
        {1: 1, 2: 1}, [(2, {2: 0.01, 9: 1}, NOW, signature(2)), (3, {1: 1}, NOW, signature(3))]
    )
    assert [c.article_id for c in result] == [3]


def test_recency_prefers_todays_story_to_an_equally_similar_one_from_two_years_ago():
    articles = [
        (2, {1: 1, 2: 1}, NOW - 730 * DAY, signature(2)),  # a touch more similar, two years old
        (3, {1: 1, 2: 0.97}, NOW - 3600, signature(3)),
    ]
    assert [c.article_id for c in found({1: 1, 2: 1}, articles)] == [3, 2]
    no_recency = Params(recency=0.0, min_similarity=0.05)
    assert [c.article_id for c in found({1: 1, 2: 1}, articles, no_recency)] == [2, 3]


def test_recency_is_tunable_and_bounded():
    strong = Params(recency=0.6, half_life_days=7)
    weak = Params(recency=0.1, half_life_days=7)
    old = NOW - 365 * DAY
    assert recency(NOW, old, strong) < recency(NOW, old, weak) < 1.0
    assert recency(NOW, old, strong) >= 0.4  # similarity always counts most
    assert recency(NOW, NOW, strong) == pytest.approx(1.0)


def test_old_stories_prefer_new_developments_to_equally_distant_older_ones():
    year = 365 * DAY
    later, earlier = recency(NOW, NOW + year, CONFIG), recency(NOW, NOW - year, CONFIG)
    assert later > earlier
