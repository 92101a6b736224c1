"""The inline slot goes after the N-th top-level paragraph, never inside a quote, list, table
or embed, and not at all in stories shorter than N+2 paragraphs."""

import pytest

from shpalta.ads.inline import paragraph_ends, split_after_paragraph


def paragraphs(count: int) -> str:
    return "".join(f"<p>Абзац {n}.</p>" for n in range(1, count + 1))


def test_after_paragraph_n():
    before, after = split_after_paragraph(paragraphs(6), 3)
    assert before.endswith("<p>Абзац 3.</p>")
    assert after.startswith("<p>Абзац 4.</p>")


@pytest.mark.parametrize(("count", "fits"), [(3, False), (4, False), (5, True), (9, True)])
def test_a_story_shorter_than_n_plus_two_paragraphs_gets_none(count, fits):
    assert (split_after_paragraph(paragraphs(count), 3) is not None) is fits


@pytest.mark.parametrize(
    "container",
    [
        "<blockquote><p>Цитата перша.</p><p>Цитата друга.</p><p>Третя.</p></blockquote>",
        "<ul><li><p>Пункт один.</p></li><li><p>Пункт два.</p></li><li><p>Три.</p></li></ul>",
        "<table><tbody><tr><td><p>Клітинка.</p><p>Ще.</p><p>І ще.</p></td></tr></tbody></table>",
        '<figure class="embed"><iframe src="https://www.youtube.com/embed/x"></iframe>'
        "<figcaption><p>Підпис.</p><p>Ще.</p><p>Ще раз.</p></figcaption></figure>",
        '<div class="embed"><p>Вбудоване.</p><p>Ще.</p><p>Ще раз.</p></div>',
    ],
)
def test_never_inside_a_quote_list_table_or_embed(container):
    html = "<p>Вступ.</p>" + container + paragraphs(4)
    before, after = split_after_paragraph(html, 3)
    assert container in before
    assert before.endswith("<p>Абзац 2.</p>")  # the third top-level paragraph counts
    assert after.startswith("<p>Абзац 3.</p>")


def test_nested_paragraphs_do_not_count_toward_the_minimum():
    html = paragraphs(2) + "<blockquote>" + paragraphs(10) + "</blockquote>" + paragraphs(1)
    assert len(paragraph_ends(html)) == 3
    assert split_after_paragraph(html, 3) is None


def test_attributes_void_tags_and_lines_keep_the_offsets_right():
    html = '<p class="x">Один<br>два</p>\n<img src="a.jpg" alt="">\n<p>Два\nрядки</p>\n'
    html += "<p>Три &amp; «лапки»</p><p>Чотири</p>\n<p>П’ять</p>"
    before, after = split_after_paragraph(html, 3)
    assert before.endswith("<p>Три &amp; «лапки»</p>")
    assert after == "<p>Чотири</p>\n<p>П’ять</p>"
