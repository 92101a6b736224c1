"""Teasers: plain text cut at a word boundary and ending in an ellipsis, like the seed's list."""

import html
import re

from django.utils.html import strip_tags

ELLIPSIS = "…"
_SPACE = re.compile(r"\s+")
_BLOCK_EDGE = re.compile(
    r"<(?:/?(?:p|div|li|td|th|tr|h[1-6]|blockquote|figcaption|figure|pre|ul|ol|table|section)"
    r"|br|hr|img)\b[^>]*>",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TRAILING_PUNCT = " .,;:—–-"


def plain_text(markup: str) -> str:
    """Visible text of an HTML fragment with its entities resolved and spaces collapsed."""
    markup = _INVISIBLE.sub(" ", markup or "")
    text = strip_tags(_BLOCK_EDGE.sub(" ", markup))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def teaser(markup: str, length: int = 160) -> str:
    """At most `length` characters of text; cut texts end in `…`, never mid-word."""
    text = plain_text(markup)
    if len(text) <= length:
        return text
    cut = text[: length + 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else text[:length]
    return cut.rstrip(_TRAILING_PUNCT) + ELLIPSIS
