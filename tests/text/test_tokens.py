"""Tokens a caller filters by their normalised form are the same tokens tokenise() gives."""

from shpalta.text.tokens import _recent_tokens, iter_tokens, tokenise


def test_filtered_tokens_equal_the_full_list_filtered():
    text = "Вчора Ки\u0301їв. Зе\u00adленський заявив: Київ і Зеленський — разом. Кuїв"
    wanted = [t for t in tokenise(text) if t.norm[:1] in {"к", "з"}]
    assert list(iter_tokens(text, lambda norm: norm[:1] in {"к", "з"})) == wanted
    assert [t.surface for t in wanted] == [
        "Ки\u0301їв", "Зе\u00adленський", "заявив", "Київ", "Зеленський", "Кuїв",
    ]  # fmt: skip
    assert [t.is_name for t in wanted] == [True, False, False, True, True, False]


def test_trailing_line_breaks_change_no_token():
    """tokenise() reads a text and the same text with line breaks after it from one cache
    entry: the tokens, offsets and names must be those of the text as given."""
    for text in ["Київ. НАТО і 1 000 гривень", "слово-", "Кінець\n\n", "1 000\n", "п'ять\n"]:
        for ending in ["", "\n", "\n\n"]:
            assert tokenise(text + ending) == list(iter_tokens(text + ending))
            assert tokenise(text + ending) == tokenise(text.rstrip("\n"))


def test_a_body_and_the_body_with_a_line_break_are_tokenised_once():
    """Search's body (the text and its extras joined by a line break, the extras mostly empty)
    and the related lists' body (the text) are read once for both."""
    _recent_tokens.cache_clear()
    tokenise("Уряд ухвалив бюджет на 2025 рік")
    tokenise("Уряд ухвалив бюджет на 2025 рік\n")
    assert _recent_tokens.cache_info().misses == 1
