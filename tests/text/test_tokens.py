"""Tokens a caller filters by their normalised form are the same tokens tokenise() gives."""

from shpalta.text.tokens import iter_tokens, tokenise


def test_filtered_tokens_equal_the_full_list_filtered():
    text = "Вчора Ки\u0301їв. Зе\u00adленський заявив: Київ і Зеленський — разом. Кuїв"
    wanted = [t for t in tokenise(text) if t.norm[:1] in {"к", "з"}]
    assert list(iter_tokens(text, lambda norm: norm[:1] in {"к", "з"})) == wanted
    assert [t.surface for t in wanted] == [
        "Ки\u0301їв", "Зе\u00adленський", "заявив", "Київ", "Зеленський", "Кuїв",
    ]  # fmt: skip
    assert [t.is_name for t in wanted] == [True, False, False, True, True, False]
