"""`rank` writes relevance × freshness out inline: the order is the one the two functions give,
ties (equal scores, then equal times) included."""

import random
from datetime import UTC, datetime

import pytest

from shpalta.search.backends.base import Candidate
from shpalta.search.ranking import freshness_at, rank, relevance

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def reference(candidates, weights, now) -> list[int]:
    now_ts = now.timestamp()
    scored = [
        (relevance(c, weights) * freshness_at(now_ts - c.published), c.published, c.article_id)
        for c in candidates
    ]
    return [article_id for *_, article_id in sorted(scored, reverse=True)]


def candidates(words: int, n: int, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    now = int(NOW.timestamp())
    # few distinct times and places, so equal scores and equal times both occur
    times = [now - rng.randrange(0, 400 * 86400) for _ in range(n // 5)] + [now + 3600]

    def places():
        return tuple(rng.random() < 0.3 for _ in range(words))

    return [Candidate(pk, rng.choice(times), places(), places(), places()) for pk in range(n)]


@pytest.mark.parametrize("words", [1, 2, 3])
@pytest.mark.parametrize("seed", range(5))
def test_rank_orders_as_relevance_times_freshness(words, seed):
    found = candidates(words, 400, seed)
    weights = [random.Random(seed).uniform(0.1, 12) for _ in range(words)]
    assert rank(found, weights, NOW) == reference(found, weights, NOW)


def test_ties_go_to_the_newer_story_then_the_higher_id():
    older, newer = NOW.timestamp() - 86400, NOW.timestamp() - 3600
    found = [
        Candidate(1, older, (True,), (False,), (False,)),
        Candidate(2, newer, (False,), (False,), (False,)),
        Candidate(3, newer, (False,), (False,), (False,)),
    ]
    assert rank(found, [1.0], NOW) == reference(found, [1.0], NOW) == [1, 3, 2]


def test_a_candidate_without_a_place_per_word_is_refused():
    with pytest.raises(ValueError):
        rank([Candidate(1, 0.0, (True, False), (False,), (False,))], [1.0], NOW)
    with pytest.raises(ValueError):
        rank([Candidate(1, 0.0, (True,), (False,), (False,))], [1.0, 2.0], NOW)
