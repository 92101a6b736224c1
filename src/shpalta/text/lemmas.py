"""Dictionary forms of Ukrainian words, for search (every plausible one) and similarity (the best).

pymorphy3 with the 2022 Ukrainian dictionary knows most words but ranks its readings poorly for
news (`Києві`→`кий`, `року`→`рок`, `війни`→`війнути`), while the right lemma is nearly always
among its candidates. So the index gets every candidate lemma (a query form and a text form then
meet on whichever reading they share), and one lemma is chosen only when one is needed:
simplemma's answer when it is a candidate, else capitalisation and the part of speech decide.
Names too recent for the dictionary come from a small table of extra paradigms.
"""

import unicodedata
from functools import cache, lru_cache

import pymorphy3

from .normalise import normalise
from .tokens import is_abbreviation

CACHE_SIZE = 250_000

# Surnames missing from the 2022 dictionary (or read wrongly there): lemma → paradigm kind.
EXTRA_NAMES = {
    "умєров": "ov",
    "сибіга": "a",
    "сирський": "sky",
    "стармер": "cons",
    "віткофф": "cons",
    "підляшук": "cons",
    "юсов": "ov",
    "маловацький": "sky",
    "залужний": "adj_ny",
}
_ENDINGS = {
    "ov": ("", "а", "у", "ові", "им", "і", "е", "ої", "ій", "ою", "и", "их", "ими"),
    "cons": ("", "а", "у", "ові", "ом", "і", "е"),
    "a": ("а", "и", "і", "у", "ою", "о"),
    "sky": ("ий", "ого", "ому", "им", "ім", "а", "ої", "ій", "у", "ою", "і", "их", "ими"),
    "adj_ny": ("ий", "ого", "ому", "им", "ім", "а", "ої", "ій", "у", "ою", "і", "их", "ими"),
}
_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"})
_NOUN_LIKE = frozenset({"NOUN", "ADJF", "NUMR"})


def _stem(lemma: str, kind: str) -> str:
    return lemma[:-2] if kind in {"sky", "adj_ny"} else lemma[:-1] if kind == "a" else lemma


@cache
def _extra_forms() -> dict[str, str]:
    forms = {}
    for lemma, kind in EXTRA_NAMES.items():
        stem = _stem(lemma, kind)
        for ending in _ENDINGS[kind]:
            forms.setdefault(stem + ending, lemma)
    return forms


@cache
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=4096)  # readings are heavy objects: keep only the recent ones
def _parses(norm: str) -> tuple:
    return tuple(morph().parse(norm))


def _nameable(norm: str) -> bool:
    """pymorphy3 tells Latin words by their letters' Unicode names and raises on a letter that
    has none (Tangut, say): a search for one would answer 500 and an article holding one
    could not be saved."""
    return all(unicodedata.name(ch, "") for ch in norm if ch.isalpha())


def is_dictionary_word(norm: str) -> bool:
    """Known to the dictionary as a proper spelling: pymorphy3 also knows common misspellings
    (`обєднання`, `звязок`) and tags every reading of them `Dist`."""
    if not _nameable(norm) or not morph().word_is_known(norm):
        return False
    return any("Dist" not in p.tag.grammemes for p in _parses(norm))


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@lru_cache(maxsize=CACHE_SIZE)
def candidates(norm: str) -> tuple[str, ...]:
    """Every plausible lemma of a normalised lowercase word, most likely first (for indexing).

    Unknown words keep themselves, so a form the dictionary cannot explain still matches itself.
    """
    if not norm or not norm[0].isalpha() or not _nameable(norm):
        return (norm,)
    if norm in _extra_forms():
        return (_extra_forms()[norm],)
    if morph().word_is_known(norm):
        return _unique(p.normal_form for p in _parses(norm) if p.score > 0)
    best = _parses(norm)[0] if _parses(norm) else None
    if best is None or best.score < 0.3 or best.normal_form == norm:
        return (norm,)
    return (norm, best.normal_form)


def _simplemma(word: str) -> str:
    import simplemma  # loads its Ukrainian table (~70 MB) only when a choice is needed

    return simplemma.lemmatize(word, lang="uk").lower()


def _reading_rank(parse, capitalised: bool, abbreviation: bool) -> tuple:
    """Smaller is better: the reading a news text most likely means by this spelling."""
    tags = parse.tag.grammemes
    named = bool(tags & _NAME_TAGS)
    if abbreviation:
        name_rank = 0 if "Abbr" in tags else 1
    elif capitalised:
        name_rank = 0 if named else 1
    else:
        name_rank = 1 if named else 0
    pos_rank = 0 if parse.tag.POS in _NOUN_LIKE else 1
    command_rank = 1 if "impr" in tags else 0  # `війни` is far more often war than a command
    return (name_rank, command_rank, pos_rank)


def _masculine_surname(norm: str) -> str | None:
    """`Буданова` is far more often Буданов's genitive in news than a woman's name."""
    readings = [p for p in _parses(norm) if p.score > 0 and "Surn" in p.tag.grammemes]
    if not any("femn" in p.tag.grammemes and p.normal_form == norm for p in readings):
        return None
    masculine = [p.normal_form for p in readings if "masc" in p.tag.grammemes]
    return masculine[0] if masculine else None


# Frequent news words where both pymorphy3 and simplemma prefer the rarer reading.
PREFERRED = {"дні": "день", "днів": "день", "ради": "рада", "рівня": "рівень", "рівні": "рівень"}

LOWER, CAPITALISED, UPPER = 0, 1, 2


def shape(written: str) -> int:
    """How a word is written: a capital hints at a name, all capitals at an acronym."""
    if written.islower():  # most words: a lowercase letter, so no acronym (and no capital)
        return LOWER
    if is_abbreviation(written):
        return UPPER
    return CAPITALISED if written[:1].isupper() else LOWER


@lru_cache(maxsize=CACHE_SIZE)
def best(norm: str, case: int = LOWER) -> str:
    """The one lemma for similarity: simplemma when it agrees with a candidate, else rules."""
    options = candidates(norm)
    if len(options) == 1:
        return options[0]
    if not morph().word_is_known(norm):
        return options[-1]
    if PREFERRED.get(norm) in options:
        return PREFERRED[norm]
    if case == CAPITALISED and (surname := _masculine_surname(norm)) is not None:
        return surname
    written = norm.upper() if case == UPPER else norm.capitalize() if case == CAPITALISED else norm
    chosen = _simplemma(written)
    if chosen in options:
        return chosen
    ranked = sorted(
        (p for p in _parses(norm) if p.score > 0),
        key=lambda p: _reading_rank(p, case == CAPITALISED, case == UPPER),
    )
    return ranked[0].normal_form if ranked else options[0]


def _prepare(word: str) -> str:
    return normalise(word).strip().lower()


def lemmas(word: str) -> tuple[str, ...]:
    """All plausible lemmas of a word as written (for search indexing and queries)."""
    return candidates(_prepare(word))


def lemma(word: str) -> str:
    """The single most likely lemma of a word as written (its capitals are a hint)."""
    written = normalise(word).strip()
    return best(written.lower(), shape(written)) if written else ""
