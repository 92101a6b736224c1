"""The post's caption: bold headline, lead, link, escaped, within Telegram's 1,024 characters."""

from shpalta.telegram.captions import CAPTION_LIMIT, compose

URL = "https://example.com/news/statya/"


def test_a_short_story_is_headline_lead_and_link_in_html():
    text = compose("Київ <та> «Львів»", "Лід & подробиці.", URL, CAPTION_LIMIT)
    assert text == (
        "<b>Київ &lt;та&gt; «Львів»</b>\n\nЛід &amp; подробиці.\n\n"
        f'<a href="{URL}">Читати на сайті</a>'
    )


def test_a_long_lead_is_cut_at_a_word_boundary_within_the_limit():
    lead = " ".join(["слово&знак"] * 300)
    text = compose("Заголовок", lead, URL, CAPTION_LIMIT)
    assert len(text) <= CAPTION_LIMIT
    body = text.split("\n\n")[1]
    assert body.endswith("…")
    assert body.removesuffix("…").endswith("слово&amp;знак")
    assert text.endswith("Читати на сайті</a>")


def test_a_headline_longer_than_the_limit_is_cut_and_the_link_kept():
    text = compose("довгий " * 400, "лід", URL, CAPTION_LIMIT)
    assert len(text) <= CAPTION_LIMIT
    assert text.startswith("<b>довгий") and "…</b>" in text
    assert text.endswith("Читати на сайті</a>")
