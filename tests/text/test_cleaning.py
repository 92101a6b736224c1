import pytest

from shpalta.text.cleaning import cut, plain_text, teaser
from shpalta.text.sanitise import sanitise_html


def test_short_text_is_returned_whole_without_ellipsis():
    assert teaser("<p>Коротко.</p>", 100) == "Коротко."


def test_long_text_is_cut_at_a_word_boundary_with_an_ellipsis():
    text = "Якість нічного відпочинку може залежати не лише від режиму, а й від харчування"
    result = teaser(text, 60)
    assert result.endswith("…")
    assert len(result) <= 61
    assert text.startswith(result[:-1])
    rest = text[len(result) - 1 :]
    assert not rest[0].isalpha()  # the cut falls between words, never mid-word


def test_trailing_punctuation_is_dropped_before_the_ellipsis():
    assert teaser("Антикорупційні органи звернулися до банків, з вимогою", 40) == (
        "Антикорупційні органи звернулися до…"
    )


def test_no_html_leaks_into_a_teaser():
    result = teaser("<p>Перший <b>абзац</b> &amp; друге</p><script>x()</script><p>Ще</p>", 200)
    assert "<" not in result and ">" not in result
    assert result == "Перший абзац & друге Ще"


def test_paragraphs_are_separated_by_a_space():
    assert plain_text("<p>Один.</p><p>Два.</p>") == "Один. Два."


def test_a_single_overlong_word_is_cut_hard():
    assert teaser("а" * 50, 10) == "а" * 10 + "…"


def test_a_cut_after_a_full_stop_does_not_end_in_two_marks():
    assert teaser("Розподілену генерацію і резерв обладнання. Президент доручив", 45) == (
        "Розподілену генерацію і резерв обладнання…"
    )


def test_blocks_never_run_words_together():
    markup = (
        "<h2>Заголовок</h2><table><tr><td>1</td><td>Kyle</td></tr></table>"
        "<ul><li>а</li><li>б</li></ul>Кінець<br>рядка"
    )
    assert plain_text(markup) == "Заголовок 1 Kyle а б Кінець рядка"


def test_inline_markup_does_not_split_words():
    assert plain_text("<p>Пере<b>мога</b> і <a href='#'>лінк</a>.</p>") == "Перемога і лінк."


def test_plain_text_is_cut_as_it_is_written():
    """cut() takes text, not markup: `<b>` and `&amp;` in a stored teaser are words."""
    text = "Ціна <b> 5 &amp; 6 " + "слово " * 30
    assert cut(text, 30) == "Ціна <b> 5 &amp; 6 слово слово…"
    assert cut("Коротко & ясно", 30) == "Коротко & ясно"
    plain = "Антикорупційні органи звернулися до банків, з вимогою"
    assert cut(plain, 40) == teaser(plain, 40)


def test_cut_without_an_ellipsis_ends_on_a_whole_word_within_the_length():
    assert cut("Антикорупційні органи звернулися до банків", 30, ellipsis=False) == (
        "Антикорупційні органи"
    )
    assert cut("а" * 50, 10, ellipsis=False) == "а" * 10
    assert cut("Коротко", 30, ellipsis=False) == "Коротко"


# Importers hand bodies over unsanitised: their lines must be the ones the body has once
# Article.save sanitised it.
LINE_SAMPLES = [
    "<h2>Заголовок</h2><table><tr><td>1</td><td>Kyle</td></tr></table><ul><li>а</li></ul>",
    "<p>Перший &amp; <b>другий</b></p><p>Третій<br>рядок</p>",
    "<div>злито</div><div>разом</div><section>бо</section><h1>div і h1 зникають</h1>",
    "<p>абзац<div>блок закриває абзац</div>далі</p>",
    "<p>до<script>x()</script><style>p{}</style>після<svg><title>SVG</title></svg></p>",
    "<p>текст<noscript><img src=a></noscript></p><!-- коментар --><p>кінець</p>",
    "<p>зайве</ul>закриття</li>і клітинка<td>поза таблицею</p>",
]


@pytest.mark.parametrize("markup", LINE_SAMPLES)
def test_lines_of_unsanitised_html_are_those_of_the_sanitised_body(markup):
    assert plain_text(markup, keep_lines=True) == plain_text(sanitise_html(markup), keep_lines=True)


def test_lines_keep_cells_list_items_and_paragraphs_apart():
    markup = "<h2>Заголовок</h2><table><tr><td>1</td><td>Kyle</td></tr></table><p>Кінець</p>"
    assert plain_text(markup, keep_lines=True) == "Заголовок\n1\nKyle\nКінець"
