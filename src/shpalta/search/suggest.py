"""«Можливо, ви мали на увазі …»: a query typed in the wrong keyboard layout or with a typo.

`pfktycmrbq` is `заленський` typed on an English layout, one letter from `зеленський`; both
fixes compose. A correction is offered only when it is a dictionary word and the corrected query
finds more than the original did.
"""

from collections.abc import Callable

from shpalta.text.lemmas import morph

from .query import SearchQuery

EN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`\\"
UK = "йцукенгшщзхїфівапролджєячсмитьбю'ґ"
EN_TO_UK = str.maketrans(EN + EN.upper(), UK + UK.upper())
ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'"
MAX_CHECKED = 8  # corrections whose hits are counted, per word
MAX_WORD = 30  # longer "words" are not typos of a word


def from_english_layout(word: str) -> str | None:
    """The Ukrainian letters under the keys typed, for a word typed on the Latin layout."""
    if not word or any(ch.isalpha() and not ch.isascii() for ch in word):
        return None
    converted = word.translate(EN_TO_UK).lower()
    return converted if converted != word.lower() else None


def known(word: str) -> bool:
    return morph().word_is_known(word)


def one_edit(word: str) -> list[str]:
    """Known words one deletion, transposition, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = [a + b[1:] for a, b in splits if b]
    edits += [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    edits += [a + c + b[1:] for a, b in splits if b for c in ALPHABET if c != b[0]]
    edits += [a + c + b for a, b in splits for c in ALPHABET]
    return [w for w in dict.fromkeys(edits) if len(w) > 1 and known(w)]


def word_options(form: str) -> list[str]:
    """Spellings to try for one query word, the likeliest first."""
    options: list[str] = []
    for variant in filter(None, [from_english_layout(form), form]):
        if variant != form and known(variant):
            options.append(variant)
        elif not known(variant) and 3 < len(variant) <= MAX_WORD:
            options.extend(one_edit(variant))
    return list(dict.fromkeys(options))


def suggest(query: SearchQuery, hits: Callable[[str], int], found: int) -> str | None:
    """A better query text, or None. `hits(text)` counts what a query text would find."""
    if not query or len(query.words) > 4:
        return None
    words = [w.form for w in query.words]
    changed = False
    for i, form in enumerate(words):
        if known(form) and found:
            continue
        best, best_hits = None, 0
        for option in word_options(form)[:MAX_CHECKED]:
            n = hits(" ".join([*words[:i], option, *words[i + 1 :]]))
            if n > best_hits:
                best, best_hits = option, n
        if best is not None:
            words[i], changed = best, True
    if not changed:
        return None
    text = " ".join(words)
    return text if hits(text) > found else None
