from shpalta.search.highlight import snippet
from shpalta.search.query import parse

SENTENCE = "Найбільше експортували до країн Європи та Північної Африки, основні напрямки. "


def test_the_snippet_marks_the_texts_own_form_and_escapes_the_rest():
    html = snippet(["Переговори <b>у Стамбулі</b> тривали три дні."], parse("переговорах"))
    assert html == "<mark>Переговори</mark> &lt;b&gt;у Стамбулі&lt;/b&gt; тривали три дні."


def test_a_cut_snippet_does_not_end_in_punctuation_before_its_ellipsis():
    text = "Експорт зерна зріс. " + SENTENCE * 6
    for size in range(60, 200, 7):
        html = str(snippet([text], parse("зерна"), size=size))
        assert html.endswith("…")
        assert html[-2] not in " .,;:—–-", html


def test_a_whole_short_text_keeps_its_final_full_stop():
    assert str(snippet(["Експорт зерна зріс."], parse("зерна"))).endswith("зріс.")
