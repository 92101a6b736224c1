"""The knobs of "Більше подібного", in one place; bench/related_quality.py measures the defaults.

Only the list length, the recency preference and the similarity floor are meant to be tuned per
site (settings `SHPALTA_RELATED_SIZE`, `SHPALTA_RELATED_RECENCY`,
`SHPALTA_RELATED_HALF_LIFE_DAYS`, `SHPALTA_RELATED_MIN_SIMILARITY`); the rest trades speed for
recall and is measured by the speed benchmark.
"""

from dataclasses import dataclass, replace
from functools import lru_cache

from django.conf import settings

# Bump when features or weighting change: stored fingerprints then no longer match, so the next
# edit of an article re-indexes it (and `shpalta related rebuild` redoes everything).
FEATURES_VERSION = "1"


@dataclass(frozen=True)
class Params:
    size: int = 8  # items in a list, as on the seed page
    # what a word is worth by where it stands and how it is written
    title_boost: float = 3.0
    lead_boost: float = 1.5
    name_boost: float = 1.5
    tag_weight: float = 3.0
    category_weight: float = 1.0
    lemmas: bool = True  # False: raw word forms (only the quality benchmark turns this off)
    # index shape: terms kept per article, of which the strongest go to the inverted index
    vector_terms: int = 64
    posting_terms: int = 24
    # candidate generation: the seed's strongest terms, the heaviest postings of each
    query_terms: int = 24
    postings_per_term: int = 400
    candidates: int = 200
    spread_to: int = 50  # how many nearest neighbours are offered the new article
    # weights are computed again once the archive has grown this many times since; a batch at
    # a time, after updates, so no single publish pays for a whole young archive
    stale_factor: float = 2.0
    reweigh_batch: int = 50
    # what counts as related and what as the same story again
    min_similarity: float = 0.05
    duplicate_jaccard: float = 0.8
    # recency: score = similarity × ((1 − recency) + recency × 0.5 ^ (gap / half life)); a
    # story newer than the one being read counts its gap at `forward_factor`, so old stories
    # keep pointing to new developments
    recency: float = 0.3
    half_life_days: float = 30.0
    forward_factor: float = 0.25


def params(**overrides) -> Params:
    """The defaults above, with the per-site settings (defaults in shpalta.settings)."""
    base = _for_site(
        settings.SHPALTA_RELATED_SIZE,
        settings.SHPALTA_RELATED_RECENCY,
        settings.SHPALTA_RELATED_HALF_LIFE_DAYS,
        settings.SHPALTA_RELATED_MIN_SIMILARITY,
    )
    return replace(base, **overrides) if overrides else base


@lru_cache(maxsize=16)
def _for_site(size: int, recency: float, half_life_days: float, min_similarity: float) -> Params:
    """Made once per combination of the settings (a story page asks for the list length, and
    building the frozen dataclass cost more than reading the list's rows)."""
    return Params(
        size=size, recency=recency, half_life_days=half_life_days, min_similarity=min_similarity
    )
