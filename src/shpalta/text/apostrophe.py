"""`обєднання` for `об'єднання`: the apostrophe readers most often leave out of a query.

Ukrainian writes an apostrophe where я, ю, є, ї after a consonant sound as [j] and a vowel: after
б, п, в, м, ф, р (`п'ять`, `м'ясо`, `бур'ян`), after a prefix ending in a consonant (`з'їзд`,
`від'їзд`, `об'єднання`) and in some loans and names (`комп'ютер`, `Лук'ян`). So any consonant
may precede the missing apostrophe, and a spelling counts only when the dictionary knows it:
`бюро` and `рясно` are words as they stand and never change.
"""

from .lemmas import is_dictionary_word, morph

CONSONANTS = frozenset("бвгґджзклмнпрстфхцчшщ")
IOTATED = frozenset("яюєї")
MAX_PLACES = 3  # a word with more gaps than this is not a word missing its apostrophes


def _gaps(norm: str) -> list[int]:
    return [i for i in range(1, len(norm)) if norm[i] in IOTATED and norm[i - 1] in CONSONANTS]


def apostrophe_forms(norm: str) -> tuple[str, ...]:
    """Known spellings of a lowercase word that is not a proper word as typed, with the
    apostrophe put into one gap or into all of them (`пята` → `п'ята`)."""
    if "'" in norm or is_dictionary_word(norm):
        return ()
    gaps = _gaps(norm)
    if not gaps or len(gaps) > MAX_PLACES:
        return ()
    tried = [norm[:i] + "'" + norm[i:] for i in gaps]
    if len(gaps) > 1:
        every = norm
        for i in reversed(gaps):
            every = every[:i] + "'" + every[i:]
        tried.append(every)
    return tuple(form for form in tried if morph().word_is_known(form))
