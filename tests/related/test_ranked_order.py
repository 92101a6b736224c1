"""`ranked` gives the candidates one at a time in the order `candidates` lists them (best score,
then the newer, then the lower id), so a list selected from it is the same list."""

import numpy as np

from shpalta.related.conf import Params
from shpalta.related.scoring import DAY, Seed, candidates, ranked, select
from shpalta.related.vectors import Vector

from .test_scoring import NOW, index, signature, vector

CONFIG = Params(recency=0.3, half_life_days=30, min_similarity=0.01, size=4)


def archive(n: int = 60, seed: int = 7):
    """Articles sharing terms with the seed in random measure; several with equal vectors and
    dates (tied scores), some of them near-copies of each other (equal signatures)."""
    rng = np.random.default_rng(seed)
    articles = []
    for article_id in range(2, n + 2):
        terms = rng.choice(40, size=6, replace=False)
        weights = {int(t): float(rng.integers(1, 4)) for t in terms}
        published = NOW - float(rng.integers(0, 5)) * DAY
        copy_of = article_id % 7 == 0
        articles.append((article_id, weights, published, signature(3 if copy_of else article_id)))
    tied = {1: 1.0, 2: 1.0}
    articles += [(100 + k, tied, NOW - DAY, signature(100 + k)) for k in range(5)]
    return articles


def seed_of(weights) -> Seed:
    return Seed(1, vector(weights), signature(1), NOW)


def old_order(found):
    return sorted(found, key=lambda c: (-c.score, -c.published, c.article_id))


def test_ranked_is_the_candidates_list_in_its_order():
    articles = archive()
    seed = seed_of({1: 1.0, 2: 1.0, 3: 2.0, 7: 1.0})
    listed = candidates(seed, index(articles), CONFIG, NOW)
    streamed = list(ranked(seed, index(articles), CONFIG, NOW))
    assert len(listed) > 20
    key = [(c.article_id, c.score, c.similarity, c.published) for c in old_order(listed)]
    assert [(c.article_id, c.score, c.similarity, c.published) for c in streamed] == key
    tied = [c.article_id for c in streamed if 100 <= c.article_id < 105]
    assert tied == sorted(tied)  # equal scores and dates: the lower id first


def test_the_selected_list_is_the_same_and_near_copies_are_skipped_alike():
    articles = archive(seed=11)
    for weights in ({1: 1.0, 2: 1.0}, {5: 2.0, 9: 1.0, 30: 1.0}, {0: 1.0, 39: 3.0}):
        seed = seed_of(weights)
        from_list = select(old_order(candidates(seed, index(articles), CONFIG, NOW)), CONFIG)
        from_ranked = select(ranked(seed, index(articles), CONFIG, NOW), CONFIG)
        assert [c.article_id for c in from_ranked] == [c.article_id for c in from_list]


def test_copies_are_reported_before_any_candidate_is_taken():
    articles = archive()
    copies: set[int] = set()
    seed = Seed(1, vector({1: 1.0, 2: 1.0, 3: 2.0}), signature(3), NOW)
    ranked(seed, index(articles), CONFIG, NOW, copies)  # nothing taken from it
    assert copies and all(article_id % 7 == 0 for article_id in copies)


def test_a_seed_without_terms_has_no_candidates():
    nothing = Vector(np.zeros(0, np.uint32), np.zeros(0, np.float32))
    empty = Seed(1, nothing, signature(1), NOW)
    assert list(ranked(empty, index(archive()), CONFIG, NOW)) == []
