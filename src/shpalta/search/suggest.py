"""«Можливо, ви мали на увазі …»: a query typed in the wrong keyboard layout or with a typo.

`pfktycmrbq` is `заленський` typed on an English layout, one letter from `зеленський`; both
fixes compose. A correction is offered only when it is a dictionary word and the corrected query
finds more than the original did. A correction that switched the layout is sure enough for the
page to search it straight away (as big search engines do); a typo fix alone is only offered.
"""

from collections.abc import Callable
from dataclasses import dataclass

from shpalta.text.analyser import token_lemmas, tokenise
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


@dataclass(frozen=True)
class Suggestion:
    text: str
    layout: bool  # some word was typed on the Latin layout, so the reader surely meant this


def word_options(form: str) -> list[tuple[str, bool]]:
    """Spellings to try for one query word, the likeliest first, each with whether it comes
    from switching the layout."""
    options: dict[str, bool] = {}
    for variant, switched in ((from_english_layout(form), True), (form, False)):
        if variant is None:
            continue
        if variant != form and known(variant):
            options.setdefault(variant, switched)
        elif not known(variant) and 3 < len(variant) <= MAX_WORD:
            for option in one_edit(variant):
                options.setdefault(option, switched)
    return list(options.items())


def suggest(query: SearchQuery, hits: Callable[[str], int], found: int) -> Suggestion | None:
    """A better query, or None. `hits(text)` counts what a query text would find."""
    if not query or len(query.words) > 4:
        return None
    words = [w.form for w in query.words]
    changed = layout = False
    for i, form in enumerate(words):
        if known(form) and found:
            continue
        best, best_hits, best_switched = None, 0, False
        for option, switched in word_options(form)[:MAX_CHECKED]:
            n = hits(" ".join([*words[:i], option, *words[i + 1 :]]))
            if n > best_hits:
                best, best_hits, best_switched = option, n, switched
        if best is not None:
            words[i], changed = best, True
            layout = layout or best_switched
    if not changed:
        return None
    text = " ".join(words)
    return Suggestion(text, layout) if hits(text) > found else None


_OPENERS = ' \n\t"«„(—–-'


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(start - 6, 0) : start].rstrip(_OPENERS)
    return before[-1:] in ".!?…" if before else start <= 6


def written_as_in(query: SearchQuery, texts: list[str]) -> str:
    """The query's words with the capital the found texts give them mid-sentence.

    The dictionary cannot tell that `зеленський` is a name (it knows only the adjective), but
    the articles it finds write `Зеленський`; a capital after a full stop says nothing.
    """
    capitals = {w.form: [0, 0] for w in query.words}  # lowercase, capitalised occurrences
    initials = {t[:1] for w in query.words for t in (w.form, *w.lemmas)}
    for text in texts:
        for token in tokenise(text):
            if token.norm[:1] not in initials or _sentence_start(text, token.start):
                continue
            lemmas = set(token_lemmas(token))
            for word in query.words:
                if token.norm == word.form or lemmas & set(word.lemmas):
                    capitals[word.form][token.surface[:1].isupper()] += 1
    return " ".join(
        w.form.capitalize() if capitals[w.form][1] > capitals[w.form][0] else w.form
        for w in query.words
    )
