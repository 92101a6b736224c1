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

import math
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
    return sum(
        weight * (1 + TITLE * title + LEAD * lead + EXACT * exact)
        for weight, title, lead, exact in zip(
            weights, candidate.in_title, candidate.in_lead, candidate.exact, strict=True
        )
    )


def rank(candidates: list[Candidate], weights: list[float], now: datetime) -> list[int]:
    """Article ids, best first; equal scores go to the newer story.

    Each score is `relevance(c, weights) * freshness_at(now - c.published)`, the same operations
    on the same numbers written out: two calls and a generator per candidate were a tenth of a
    search's time (tests/search/test_rank_written_out.py)."""
    now_ts = now.timestamp()
    if len(weights) == 1:  # most queries: one word, whose sum is its one term
        (weight,) = weights
        scores = [
            weight * (1 + TITLE * title + LEAD * lead + EXACT * exact)
            for _, _, (title,), (lead,), (exact,) in candidates
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
