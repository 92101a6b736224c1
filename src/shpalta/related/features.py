"""What an article is, for similarity: weighted lemmas, tag/category features and a MinHash.

The lemmas come from the shared Ukrainian analyser (`shpalta.text.analyser`), so `Зеленський`,
`Зеленського` and `Зеленському` are one feature here exactly as they are one word in search.
"""

import hashlib
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import numpy as np

from shpalta.text.analyser import STOP_WORDS, form_lemma, tokenise
from shpalta.text.lemmas import CACHE_SIZE

from .conf import FEATURES_VERSION, Params

MAX_TERM_LENGTH = 64
TAG_PREFIX = "#tag:"
CATEGORY_PREFIX = "#cat:"

SHINGLE = 5  # words per shingle: long enough that two different stories rarely share one
PERMUTATIONS = 64
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20250415)  # fixed: signatures are stored and compared for years
_A = _rng.integers(1, 1 << 32, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 32, PERMUTATIONS, dtype=np.uint64)
EMPTY_SIGNATURE = np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32)


@dataclass
class Features:
    counts: dict[str, float]  # term → weighted frequency (≥ 1)
    signature: np.ndarray  # uint32[PERMUTATIONS]
    fingerprint: str


@dataclass(frozen=True)
class Source:
    """The parts of an article that similarity reads (plain values: tasks and rebuild share it)."""

    title: str
    lead: str
    body_text: str
    tag_ids: tuple[int, ...] = ()
    category_id: int | None = None
    published_at: str = ""  # ISO time; part of the fingerprint, not of the features

    @classmethod
    def of(cls, article, tag_ids=None) -> "Source":
        if tag_ids is None:
            tag_ids = article.tags.values_list("pk", flat=True)
        return cls(
            title=article.title,
            lead=article.lead,
            body_text=article.body_text,
            tag_ids=tuple(sorted(tag_ids)),
            category_id=article.category_id,
            published_at=article.published_at.isoformat(),
        )


def extract(source: Source, params: Params) -> Features:
    counts: dict[str, float] = defaultdict(float)
    norms: list[str] = []
    for text, boost in (
        (source.title, params.title_boost),
        (source.lead, params.lead_boost),
        (source.body_text, 1.0),
    ):
        _count_words(text, boost, params, counts, norms)
    for tag_id in source.tag_ids:
        counts[f"{TAG_PREFIX}{tag_id}"] += params.tag_weight
    if source.category_id is not None:
        counts[f"{CATEGORY_PREFIX}{source.category_id}"] += params.category_weight
    return Features(dict(counts), signature(norms), fingerprint(source, params))


def extract_many(payload: tuple[list[Source], Params]) -> list[Features]:
    """For the rebuild's worker processes, which import this module without Django's models."""
    sources, params = payload
    return [extract(source, params) for source in sources]


def _count_words(text: str, boost: float, params: Params, counts, norms: list[str]) -> None:
    named = boost * params.name_boost
    for token in tokenise(text):
        norms.append(token.norm)
        term = _term(token.norm, token.surface, params.lemmas)
        if term is not None:
            counts[term] += named if token.is_name else boost


@lru_cache(maxsize=CACHE_SIZE)
def _term(norm: str, surface: str, lemmas: bool) -> str | None:
    """The feature a word counts for (None: it counts for none), judged once per written form:
    a text repeats its words and an archive its texts' words."""
    if norm in STOP_WORDS or norm[:1].isdigit() or len(norm) < 2:
        return None
    term = form_lemma(norm, surface) if lemmas else norm
    if term and len(term) <= MAX_TERM_LENGTH and term not in STOP_WORDS:
        return term
    return None


def signature(words: list[str]) -> np.ndarray:
    """MinHash of the word shingles: equal positions estimate the shingle Jaccard similarity."""
    if not words:
        return EMPTY_SIGNATURE.copy()
    width = min(SHINGLE, len(words))
    # each shingle is `" ".join(words[i : i + width]).encode()`: one encoded text of all the
    # words, and each shingle a slice of it (no join and encode per shingle)
    text = memoryview(" ".join(words).encode())
    starts = [0, *accumulate(len(word.encode()) + 1 for word in words)]
    crc32 = zlib.crc32
    hashes = np.fromiter(
        (crc32(text[starts[i] : starts[i + width] - 1]) for i in range(len(words) - width + 1)),
        dtype=np.uint64,
    )
    mixed = (np.outer(hashes, _A) + _B) % _PRIME
    return (mixed.min(axis=0) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Estimated Jaccard similarity of one signature against one or many (rows of `b`)."""
    return (a == b).mean(axis=-1)


def fingerprint(source: Source, params: Params) -> str:
    parts = [
        FEATURES_VERSION,
        repr(
            (params.title_boost, params.lead_boost, params.name_boost, params.lemmas)
            + (params.tag_weight, params.category_weight, params.vector_terms)
        ),
        source.title,
        source.lead,
        source.body_text,
        ",".join(map(str, source.tag_ids)),
        str(source.category_id),
        source.published_at,
    ]
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()
