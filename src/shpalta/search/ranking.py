"""Final order of search results: where the query words stand, how rare they are, how fresh.

One formula for every backend (backends only report where each word stands), so the rules are
the same on SQLite and PostgreSQL and each is tested on small fixtures:
- title over lead over body: a word in the title adds TITLE, in the lead LEAD, to the 1 every
  match gets for being there at all;
- the word exactly as typed adds EXACT, a small bonus over a match of another form;
- rare words count more than common ones (log inverse document frequency);
- freshness multiplies the sum: 1 today, halving its fresh part each month, never below FLOOR,
  so a year-old story needs about twice the match to outrank today's.
"""

import heapq
import math
from collections.abc import Callable
from datetime import datetime

from .backends.base import Candidate

TITLE = 3.0
LEAD = 1.0
EXACT = 0.25
HALF_LIFE_DAYS = 30.0
FLOOR = 0.5


def freshness_at(age_seconds: float) -> float:
    age_days = max(age_seconds, 0) / 86400
    return FLOOR + (1 - FLOOR) * 0.5 ** (age_days / HALF_LIFE_DAYS)


def word_weights(frequencies: list[int], size: int) -> list[float]:
    """log(1 + N/df): a word in every article still counts a little, a rare one much more."""
    return [math.log(1 + max(size, 1) / max(df, 1)) for df in frequencies]


def relevance(candidate: Candidate, weights: list[float]) -> float:
    """An exact form not read (None, see rank_top) counts as not exact."""
    exact_forms = candidate.exact if candidate.exact is not None else (False,) * len(weights)
    return sum(
        weight * (1 + TITLE * title + LEAD * lead + EXACT * exact)
        for weight, title, lead, exact in zip(
            weights, candidate.in_title, candidate.in_lead, exact_forms, strict=True
        )
    )


def rank(candidates: list[Candidate], weights: list[float], now: datetime) -> list[int]:
    """Article ids, best first; equal scores go to the newer story. An exact form not read
    counts as not exact (rank_top reads those that can change the first places).

    Each score is `relevance(c, weights) * freshness_at(now - c.published)`, the same operations
    on the same numbers written out: two calls and a generator per candidate were a tenth of a
    search's time (tests/search/test_rank_written_out.py)."""
    now_ts = now.timestamp()
    if len(weights) == 1:  # most queries: one word, whose sum is its one term
        (weight,) = weights
        scores = [
            weight * (1 + TITLE * title + LEAD * lead + EXACT * (exact is not None and exact[0]))
            for _, _, (title,), (lead,), exact in candidates
        ]
    else:
        scores = [relevance(c, weights) for c in candidates]
    scored = []
    for score, c in zip(scores, candidates, strict=True):
        age_days = max(now_ts - c.published, 0) / 86400
        freshness = FLOOR + (1 - FLOOR) * 0.5 ** (age_days / HALF_LIFE_DAYS)
        scored.append((score * freshness, c.published, c.article_id))
    scored.sort(reverse=True)
    return [article_id for _, _, article_id in scored]


SLACK = 1e-9  # see rank_top
# Candidates whose exact forms are asked in one round, per place wanted (rank_top).
ROUND_PER_PLACE = 2
ExactForms = Callable[[list[int]], dict[int, tuple[bool, ...]]]


def rank_top(
    candidates: list[Candidate], weights: list[float], now: datetime, top: int, exact: ExactForms
) -> list[Candidate]:
    """The candidates with `exact` asked for only where it can change the first `top` places:
    the same first `top` as `rank` with every word's exact form known.

    A backend may leave a candidate's `exact` None (unknown): reading an article's word forms
    is its costliest part of a search (PostgreSQL: a TOASTed column, about 4 KB a row). The
    form typed adds EXACT at most, so a candidate whose score with every form exact (its upper
    bound) stays below the `top`-th best score with none exact (the lower bounds) cannot reach
    the first `top`. The others are asked in rounds, highest upper bound first, ROUND_PER_PLACE
    × `top` a round: each answer turns a candidate's bounds into its score, which raises the
    line, so the rest may no longer reach it (a two-word query on PostgreSQL asked 150 to 200
    candidates at once, up to 14 ms of TOAST reads at a million articles). When no candidate
    left unknown reaches the line, every candidate above it is known: the first `top` are
    those of every form known. Those not asked keep exact all False: they rank below the first
    `top` as their lower bound places them. Returns the candidates, with the forms found filled
    in (ask again with a larger `top` to fill more).

    The bounds are summed here in one pass (a few hundred candidates a search; `relevance` per
    candidate twice doubled a search's Python time), so they may differ from `rank`'s own sums
    in the last bit: a candidate within SLACK of the line is asked too."""
    unknown = [n for n, c in enumerate(candidates) if c.exact is None]
    if not unknown or top <= 0:
        return candidates
    now_ts = now.timestamp()
    bonus = [weight * EXACT for weight in weights]
    all_exact = sum(bonus)
    lower, upper, base, fresh = [], [], [], []
    (first, *_) = weights
    for _, published, titles, leads, exact_forms in candidates:
        freshness = FLOOR + (1 - FLOOR) * 0.5 ** (
            max(now_ts - published, 0) / 86400 / HALF_LIFE_DAYS
        )
        if len(titles) == 1:  # most queries: one word
            score = first * (1 + TITLE * titles[0] + LEAD * leads[0])
        else:
            score = sum(
                weight * (1 + TITLE * title + LEAD * lead)
                for weight, title, lead in zip(weights, titles, leads, strict=True)
            )
        base.append(score)
        fresh.append(freshness)
        if exact_forms is not None:
            score += sum(b for b, e in zip(bonus, exact_forms, strict=True) if e)
            lower.append(score * freshness)
            upper.append(score * freshness)
        else:
            lower.append(score * freshness)
            upper.append((score + all_exact) * freshness)
    floor = (False,) * len(weights)
    filled = list(candidates)
    if top >= len(candidates):
        found = exact([candidates[n].article_id for n in unknown])
        for n in unknown:
            filled[n] = candidates[n]._replace(exact=found.get(candidates[n].article_id, floor))
        return filled
    pending = sorted(unknown, key=lambda n: upper[n], reverse=True)
    size = max(1, ROUND_PER_PLACE * top)
    while pending:
        threshold = heapq.nlargest(top, lower)[-1] * (1 - SLACK)
        reaching = [n for n in pending if upper[n] >= threshold]  # still highest first
        if not reaching:
            break
        asked = reaching[:size]
        found = exact([candidates[n].article_id for n in asked])
        for n in asked:
            forms = found.get(candidates[n].article_id, floor)
            filled[n] = candidates[n]._replace(exact=forms)
            score = base[n] + sum(b for b, e in zip(bonus, forms, strict=True) if e)
            lower[n] = upper[n] = score * fresh[n]
        done = set(asked)
        pending = [n for n in reaching if n not in done]  # the rest are below the line for good
    return filled
