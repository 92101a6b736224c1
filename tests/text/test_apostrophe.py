"""A query word typed without its apostrophe (`обєднання`) also reads as the word it means."""

import pytest

from shpalta.text.analyser import query_lemmas, token_lemmas, tokenise
from shpalta.text.apostrophe import apostrophe_forms


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("обєднання", "об'єднання"),  # the dictionary knows this one as a misspelling (Dist)
        ("пята", "п'ята"),
        ("мясо", "м'ясо"),
        ("зїзд", "з'їзд"),  # after a prefix
        ("компютер", "комп'ютер"),
    ],
)
def test_the_apostrophe_goes_where_a_known_word_has_it(typed, meant):
    assert meant in apostrophe_forms(typed)


@pytest.mark.parametrize("word", ["бюро", "рясно", "об'єднання", "зелений", "квазарю"])
def test_a_proper_word_or_one_without_an_apostrophe_spelling_is_left_alone(word):
    assert apostrophe_forms(word) == ()


def test_the_query_word_keeps_its_own_lemmas_and_gains_the_apostrophe_forms():
    (token,) = tokenise("пята")
    lemmas = query_lemmas(token)
    assert lemmas[: len(token_lemmas(token))] == token_lemmas(token)
    assert {"п'ятий", "п'ята"} <= set(lemmas)


def test_a_proper_word_gets_no_extra_lemmas():
    (token,) = tokenise("бюро")
    assert query_lemmas(token) == token_lemmas(token)
