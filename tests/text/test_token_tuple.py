"""Tokens are shared between search and the related lists through text.tokens' cache of recent
texts: they must stay immutable now that they are named tuples, and the capital-letter rule
(`is_name`), computed only for capitalised words, must still tell names from sentence starts."""

import pytest

from shpalta.text.tokens import Token, tokenise


def test_a_token_cannot_be_changed():
    token = tokenise("Київ")[0]
    with pytest.raises(AttributeError):
        token.norm = "львів"  # type: ignore[misc]
    assert isinstance(token, Token)
    assert (token.surface, token.norm, token.start, token.end) == ("Київ", "київ", 0, 4)


def test_a_cached_text_gives_the_same_tokens_to_every_caller():
    first, second = tokenise("Уряд ухвалив рішення."), tokenise("Уряд ухвалив рішення.")
    assert first == second and first is not second
    assert first[0] is second[0]  # one object, safe to share because it cannot change


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Уряд заявив, що Київ і НАТО готові.", ["Київ", "НАТО"]),
        ("НАТО заявило. Київ відповів! Потім Львів", ["НАТО", "Львів"]),
        ("Сьогодні\nЗеленський, а далі Сирський… Умєров", ["Сирський"]),
        ("слово Буданов", ["Буданов"]),
    ],
)
def test_names_are_capitalised_words_inside_a_sentence_or_abbreviations(text, names):
    assert [t.surface for t in tokenise(text) if t.is_name] == names
