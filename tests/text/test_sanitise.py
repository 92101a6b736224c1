import pytest

from shpalta.text.sanitise import sanitise_html


@pytest.mark.parametrize(
    "markup",
    [
        "<p>ok</p><script>alert(1)</script>",
        '<p onclick="alert(1)">ok</p>',
        '<img src="x.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">ok</a>',
        '<a href="JaVaScRiPt:alert(1)">ok</a>',
        "<style>body{display:none}</style><p>ok</p>",
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_hostile_markup_is_neutralised(markup):
    clean = sanitise_html(markup).lower()
    assert "<script" not in clean
    assert "onclick" not in clean and "onerror" not in clean
    assert "javascript:" not in clean
    assert "<style" not in clean and "<iframe" not in clean


def test_editorial_markup_survives():
    markup = (
        "<h2>Підзаголовок</h2><p><strong>Жирний</strong> і <em>курсив</em>, "
        '<a href="https://example.com/x">посилання</a></p><blockquote>Цитата</blockquote>'
        "<ul><li>пункт</li></ul>"
    )
    clean = sanitise_html(markup)
    for fragment in (
        "<h2>",
        "<strong>",
        "<em>",
        'href="https://example.com/x"',
        "<blockquote>",
        "<li>",
    ):
        assert fragment in clean


def test_links_get_noopener():
    assert 'rel="noopener noreferrer"' in sanitise_html('<a href="https://example.com">x</a>')


def test_empty_input_gives_empty_output():
    assert sanitise_html("") == ""
    assert sanitise_html(None) == ""
