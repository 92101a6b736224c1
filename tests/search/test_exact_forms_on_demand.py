"""Ranking reads the candidates' exact forms only where they can change the places shown
(ranking.rank_top), and those places are the same as with every exact form known."""

import random
from datetime import UTC, datetime

import pytest

from shpalta.search.backends.base import Candidate
from shpalta.search.ranking import rank, rank_top

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def archive(rng: random.Random, n: int, words: int) -> tuple[list[Candidate], dict]:
    """Candidates over two years (many at the same second), their exact forms left unknown,
    and the forms themselves."""
    times = [NOW.timestamp() - rng.choice([0, 3600, 86400 * rng.randint(0, 730)]) for _ in range(n)]
    found, forms = [], {}
    for pk in range(1, n + 1):
        places = [tuple(rng.random() < share for _ in range(words)) for share in (0.1, 0.2, 0.5)]
        found.append(Candidate(pk, rng.choice(times), places[0], places[1], None))
        forms[pk] = places[2]
    return found, forms


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("words", [1, 2])
def test_the_first_places_equal_those_with_every_form_known(seed, words):
    rng = random.Random(seed)
    found, forms = archive(rng, rng.choice([5, 60, 300, 400]), words)
    weights = [rng.uniform(0.1, 8) for _ in range(words)]
    everything = rank([c._replace(exact=forms[c.article_id]) for c in found], weights, NOW)
    asked: list[int] = []

    def exact(ids):
        asked.extend(ids)
        return {pk: forms[pk] for pk in ids}

    for top in (1, 10, 20, 30, len(found) + 10):
        filled = rank_top(found, weights, NOW, top, exact)
        assert rank(filled, weights, NOW)[:top] == everything[:top], top
        assert all(filled[n].exact == forms[c.article_id] for n, c in enumerate(found)
                   if filled[n].exact is not None)  # fmt: skip
        found = filled
    assert len(asked) == len(set(asked)) == len(found)  # each once, all in the end


def test_only_candidates_that_can_reach_the_page_are_asked():
    """A page of ten among 300: the title matches, whose least score without the bonus is
    above any body match's with it."""
    found = [Candidate(pk, NOW.timestamp(), (pk <= 30,), (False,), None) for pk in range(1, 301)]
    asked = []
    rank_top(found, [1.0], NOW, 10, lambda ids: asked.extend(ids) or {})
    assert sorted(asked) == list(range(1, 31))


def test_known_forms_are_not_asked_again():
    found = [Candidate(1, NOW.timestamp(), (True,), (False,), (True,)),
             Candidate(2, NOW.timestamp(), (False,), (False,), (False,))]  # fmt: skip
    assert rank_top(found, [1.0], NOW, 10, lambda ids: pytest.fail("asked")) is found


def test_forms_are_asked_in_rounds_until_no_one_left_can_reach_the_page():
    """300 body matches an hour apart, every form exact: the old single ask took each whose
    score with the bonus reached the tenth's without it (over a hundred); the first round of
    ROUND_PER_PLACE × 10, the newest, raises the line past all the others."""
    found = [Candidate(pk, NOW.timestamp() - 3600 * pk, (False,), (False,), None)
             for pk in range(1, 301)]  # fmt: skip
    rounds: list[list[int]] = []
    filled = rank_top(
        found, [1.0], NOW, 10, lambda ids: rounds.append(ids) or dict.fromkeys(ids, (True,))
    )
    assert rounds == [list(range(1, 2 * 10 + 1))]
    everything = rank([c._replace(exact=(True,)) for c in found], [1.0], NOW)
    assert rank(filled, [1.0], NOW)[:10] == everything[:10] == list(range(1, 11))
    # forms never exact: no answer raises the line above the bounds, so more rounds follow,
    # never asking a candidate twice
    rounds.clear()
    rank_top(found, [1.0], NOW, 10, lambda ids: rounds.append(ids) or {})
    asked = [pk for ids in rounds for pk in ids]
    assert len(rounds) > 1 and len(asked) == len(set(asked))
    assert all(len(ids) <= 20 for ids in rounds)
