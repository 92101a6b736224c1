"""The list to show compares each candidate with every story already chosen in one array
comparison, not one per pair: the same list as the pairwise rule, near-copies skipped."""

import random

import numpy as np
import pytest

from shpalta.related.conf import params
from shpalta.related.features import PERMUTATIONS, jaccard
from shpalta.related.scoring import Neighbour, select


def pairwise(found, config):
    chosen = []
    for candidate in found:
        if len(chosen) == config.size:
            break
        if any(
            jaccard(candidate.signature, c.signature) >= config.duplicate_jaccard for c in chosen
        ):
            continue
        chosen.append(candidate)
    return chosen


def neighbours(seed: int, n: int) -> list[Neighbour]:
    rng = random.Random(seed)
    stories = [
        np.array([rng.getrandbits(32) for _ in range(PERMUTATIONS)], np.uint32)
        for _ in range(max(1, n // 3))
    ]
    found = []
    for i in range(n):
        signature = stories[rng.randrange(len(stories))].copy()
        changed = rng.randrange(PERMUTATIONS)  # a near-copy differs in a few positions
        signature[rng.sample(range(PERMUTATIONS), changed)] = rng.getrandbits(32)
        found.append(Neighbour(i + 1, 0.5, 1.0 - i / n, 0.0, signature))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_the_list_equals_the_pairwise_rule(seed):
    config = params()
    found = neighbours(seed, 30)
    chosen = select(found, config)
    assert [c.article_id for c in chosen] == [c.article_id for c in pairwise(found, config)]
    assert len(chosen) <= config.size


def test_a_copy_of_a_chosen_story_is_skipped_and_nothing_chosen_gives_nothing():
    config = params()
    first, other = neighbours(1, 2)
    copy = Neighbour(99, 0.5, 0.1, 0.0, first.signature.copy())
    assert [c.article_id for c in select([first, copy, other], config)][:1] == [first.article_id]
    assert 99 not in [c.article_id for c in select([first, copy, other], config)]
    assert select([], config) == []
