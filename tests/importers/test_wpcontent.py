"""WordPress bodies: the empty paragraphs go before Article.save sanitises the body, exactly as
they went when the importer sanitised it and then dropped them."""

import re

import pytest

from shpalta.importers.wpcontent import Media, convert, drop_empty_paragraphs
from shpalta.text.sanitise import sanitise_html

# The rule as it was applied to the sanitised body: the reference the new walk must match.
EMPTY_P = re.compile(r"<p>(?:\s|<br>|&nbsp;)*</p>\s*")

SAMPLES = [
    "<p><figure><img src='https://e/a.jpg'><figcaption>Підпис</figcaption></figure></p>\n<p>Текст</p>",
    "<p><figure><img src='https://e/a.jpg'></figure>Текст після фото</p>\n",
    "<p>&nbsp;</p>\n<p> \u00a0 </p>\n<p><br /></p>\n<p class='x'>&#160;</p>\n<p>Текст</p>",
    "<p><span style='color:red'>&nbsp;</span></p>\n<p><!-- c --></p>\n<p><iframe src='https://x'></iframe></p>",
    "<p><strong>Жирний через абзаци</p>\n<p>&nbsp;</p>\n<p>кінець</strong></p>",
    "<strong><p>&nbsp;</p></strong><p>Текст</p>",
    "<p><p><a href='https://y/v'>https://y/v</a></p></p>\n<p>Далі</p>",
    "<blockquote><p>&nbsp;</p><p>Цитата</p></blockquote><ul><li><p></p>пункт</li></ul>",
    "<p>Текст</p></p>\n\n<p>Ще</p>",
    "<p><img src='https://e/a.jpg'></p><p><b></b></p><p>а</p>",
]


@pytest.mark.parametrize("markup", SAMPLES)
def test_empty_paragraphs_go_as_they_did_from_the_sanitised_body(markup):
    expected = sanitise_html(EMPTY_P.sub("", sanitise_html(markup)))
    assert sanitise_html(drop_empty_paragraphs(markup)) == expected


def test_a_caption_in_an_autop_paragraph_leaves_no_empty_paragraph():
    body = "Перший абзац.\n\n[caption id='a' caption='Підпис']<img src='https://e/c.jpg'>[/caption]\n\nДругий."
    stored = sanitise_html(convert(body, media=lambda _: Media(url="https://e/c.jpg")))
    assert "<p></p>" not in stored
    assert '<figure><img src="https://e/c.jpg"><figcaption>Підпис</figcaption></figure>' in stored
