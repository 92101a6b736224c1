"""Ukrainian noun phrases in the case a sentence needs: «Додати статтю», «За рубрикою».

Django's admin builds its phrases from a model's verbose_name in the nominative («Додати
стаття»); the head noun of the phrase and the adjectives before it are inflected here with
pymorphy3's Ukrainian dictionary, and words after the head (a genitive: «час публікації») stay.
"""

from functools import cache

import pymorphy3

ACCUSATIVE = "accs"
INSTRUMENTAL = "ablt"


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="uk")


def _nominative(word: str, pos: str):
    """The word's nominative reading as `pos`, its own lemma first ("стара" is also a noun)."""
    readings = [p for p in _morph().parse(word) if p.tag.case == "nomn" and pos == p.tag.POS]
    readings.sort(key=lambda p: p.normal_form != word.lower())
    return readings[0] if readings else None


def _is_head(word: str) -> bool:
    return _nominative(word, "NOUN") is not None and _nominative(word, "ADJF") is None


def _agreement(noun, case: str) -> set[str]:
    grammemes = {case}
    if noun.tag.number == "plur":
        grammemes.add("plur")
    elif noun.tag.gender:
        grammemes.add(noun.tag.gender)
    if noun.tag.animacy:
        grammemes.add(noun.tag.animacy)
    return grammemes


def _wordlike(word: str) -> bool:
    """Cyrillic letters, maybe hyphenated: what the dictionary can inflect."""
    letters = word.replace("-", "")
    return letters.isalpha() and not any(char.isascii() for char in letters)


def _like(original: str, inflected: str) -> str:
    return inflected.capitalize() if original[:1].isupper() else inflected


@cache
def inflect(phrase: str, case: str) -> str:
    """`phrase` with its head noun and the adjectives before it put in `case`; unchanged when
    the dictionary cannot tell (a Latin word, an unknown noun)."""
    words = str(phrase).split()
    head = next((n for n, word in enumerate(words) if _wordlike(word) and _is_head(word)), None)
    if head is None or not all(_wordlike(word) for word in words[: head + 1]):
        return str(phrase)
    noun = _nominative(words[head], "NOUN")
    form = noun.inflect({case})
    if form is None:
        return str(phrase)
    unchanged = form.word == noun.word  # an inanimate accusative: its adjectives stay too
    words[head] = _like(words[head], form.word)
    if unchanged:
        return " ".join(words)
    agree = _agreement(noun, case)
    for n in range(head):
        adjective = _nominative(words[n], "ADJF")
        inflected = adjective and (
            adjective.inflect(agree) or adjective.inflect(agree - {noun.tag.animacy})
        )
        if inflected:
            words[n] = _like(words[n], inflected.word)
    return " ".join(words)


def accusative(phrase) -> str:
    return inflect(str(phrase), ACCUSATIVE)


def instrumental(phrase) -> str:
    return inflect(str(phrase), INSTRUMENTAL)
