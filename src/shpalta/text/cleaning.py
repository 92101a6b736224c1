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
# What a cut text must not end on before its `…` (`Союз.…`, `рівні —…`).
TRAILING_PUNCTUATION = " .,;:—–-"


def plain_text(markup: str) -> str:
    """Visible text of an HTML fragment with its entities resolved and spaces collapsed."""
    markup = _INVISIBLE.sub(" ", markup or "")
    text = strip_tags(_BLOCK_EDGE.sub(" ", markup))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def teaser(markup: str, length: int = 160) -> str:
    """At most `length` characters of the markup's text; cut texts end in `…`, never mid-word."""
    return cut(plain_text(markup), length)


def cut(text: str, length: int) -> str:
    """`teaser` for text that is already plain (a stored teaser cut shorter, say): a `<` or
    `&` in it stays as written instead of being read as markup."""
    if len(text) <= length:
        return text
    head = text[: length + 1]
    head = head.rsplit(" ", 1)[0] if " " in head else text[:length]
    return head.rstrip(TRAILING_PUNCTUATION) + ELLIPSIS
