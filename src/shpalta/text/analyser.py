"""The one Ukrainian text analyser every search backend and the related-articles index use.

Index time and query time must agree exactly, so both go through these functions:
`index_terms` (every candidate lemma, for search recall) and `token_lemma` (one lemma a word,
which the related-articles features count token by token; `analyse` gives it for a whole text).
Lemmatisation is memoised; see bench/text_analyser.py for its speed and memory.
"""

from functools import lru_cache

from .apostrophe import apostrophe_forms
from .lemmas import CACHE_SIZE, best, candidates, lemma, lemmas, shape
from .normalise import normalise
from .stopwords import STOP_WORDS
from .tokens import Token, tokenise

__all__ = [
    "STOP_WORDS",
    "Token",
    "analyse",
    "content_tokens",
    "form_lemma",
    "index_terms",
    "lemma",
    "lemmas",
    "norm_lemmas",
    "normalise",
    "query_lemmas",
    "token_lemma",
    "token_lemmas",
    "tokenise",
]


def content_tokens(text: str) -> list[Token]:
    """Tokens that carry meaning: stop words dropped."""
    return [t for t in tokenise(text) if t.norm not in STOP_WORDS]


def token_lemmas(token: Token) -> tuple[str, ...]:
    """Candidate lemmas of a token; a hyphenated word also yields its parts' lemmas."""
    return norm_lemmas(token.norm)


@lru_cache(maxsize=CACHE_SIZE)
def norm_lemmas(norm: str) -> tuple[str, ...]:
    """`token_lemmas` of a token by its normalised form, which is all they depend on (a text's
    distinct words are looked up once each, and an archive's once per run while they stay in
    this memo)."""
    found = candidates(norm)
    if "-" in norm and not norm[:1].isdigit():
        parts = [p for p in norm.split("-") if len(p) > 1 and p not in STOP_WORDS]
        found = tuple(dict.fromkeys([*found, *(lem for p in parts for lem in candidates(p))]))
    return found


def query_lemmas(token: Token) -> tuple[str, ...]:
    """A query word's lemmas, joined by those of its spelling with a left-out apostrophe
    (`обєднання` also finds `об'єднання`). Query time only: the index keeps what texts say."""
    extra = [lem for form in apostrophe_forms(token.norm) for lem in candidates(form)]
    found = token_lemmas(token)
    return tuple(dict.fromkeys([*found, *extra])) if extra else found


def token_lemma(token: Token) -> str:
    """`lemma(token.surface)` without normalising the word a second time."""
    return form_lemma(token.norm, token.surface)


@lru_cache(maxsize=CACHE_SIZE)
def form_lemma(norm: str, surface: str) -> str:
    """`token_lemma` by the word's normalised and written forms, which are all it depends on:
    a text repeats its words, and an archive its texts' words, so each form is judged once
    (its capitals read, its lemma chosen) rather than at every occurrence."""
    return best(norm, shape(surface))


def index_terms(text: str) -> list[str]:
    """Every candidate lemma of every content word, in text order (for search indexing)."""
    return [term for token in content_tokens(text) for term in token_lemmas(token)]


def analyse(text: str) -> list[str]:
    """One best lemma per content word, in text order (for similarity)."""
    return [token_lemma(token) for token in content_tokens(text)]
