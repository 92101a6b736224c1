"""What a reader typed, made safe and turned into the words the index understands.

Nothing of the raw query reaches FTS or SQL syntax: it is cut to a sane length, stripped of
control characters, tokenised by the analyser, and every word becomes a set of quoted terms.
"""

import re
import unicodedata
from dataclasses import dataclass

from shpalta.text.analyser import STOP_WORDS, query_lemmas, tokenise

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class QueryWord:
    surface: str  # as typed
    form: str  # normalised, lowercased: the exact-form match
    lemmas: tuple[str, ...]  # every reading: a text matches if it has any of them


@dataclass(frozen=True)
class SearchQuery:
    text: str  # the cleaned query, what the search box shows back
    words: tuple[QueryWord, ...]

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def lemma_set(self) -> frozenset[str]:
        return frozenset(lem for word in self.words for lem in word.lemmas)


def clean(raw: str | None) -> str:
    """Printable text of at most MAX_QUERY_CHARS, with lone surrogates and controls removed."""
    if not raw:
        return ""
    text = raw[: MAX_QUERY_CHARS * 4]
    text = text.encode("utf-8", "replace").decode("utf-8", "replace").replace("\ufffd", " ")
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text))
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def parse(raw: str | None) -> SearchQuery:
    """Content words of the query; a query of stop words only still searches for them."""
    text = clean(raw)
    tokens = tokenise(text)
    content = [t for t in tokens if t.norm not in STOP_WORDS] or tokens
    words: dict[str, QueryWord] = {}
    for token in content:
        if token.norm not in words and len(words) < MAX_WORDS:
            words[token.norm] = QueryWord(token.surface, token.norm, query_lemmas(token))
    return SearchQuery(text, tuple(words.values()))
