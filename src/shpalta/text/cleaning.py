"""Text cleaning, the one place for it: the visible text of HTML (on one line, or one line per
block), texts cut at a word boundary (with an ellipsis, or without for field lengths), teasers.

Sanitising is not cleaning: what an article body may hold is `shpalta.text.sanitise`, applied
by `Article.save` alone."""

import html
import re
from collections import Counter

from django.utils.html import strip_tags

ELLIPSIS = "…"
# What a cut text must not end on before its `…` (`Союз.…`, `рівні —…`).
TRAILING_PUNCTUATION = " .,;:—–-"
# Start tags that end an open paragraph (`<p>a<div>b` is `<p>a</p><div>b`), by HTML's rules.
PARAGRAPH_ENDS = {
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "main",
    "menu", "nav", "ol", "search", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5",
    "h6", "pre", "listing", "li", "dd", "dt", "plaintext", "table", "hr", "xmp", "caption",
    "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th", "p",
}  # fmt: skip
_SPACE = re.compile(r"\s+")
_LINE_SPACE = re.compile(r"[^\S\n]+")
_INVISIBLE = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# One-line text: these tags become a space, so blocks (and images) never run words together.
_BLOCK_EDGE = re.compile(
    r"<(?:/?(?:p|div|li|td|th|tr|h[1-6]|blockquote|figcaption|figure|pre|ul|ol|table|section)"
    r"|br|hr|img)\b[^>]*>",
    re.IGNORECASE,
)
# Text with its lines, read as the sanitised body will show it: the body reaches this from the
# importers before `Article.save` sanitises it. A line starts at the block tags a sanitised
# body keeps (`shpalta.text.sanitise.TAGS`), and where a block ends an open paragraph.
_LINE_TAGS = {
    "p", "li", "td", "th", "tr", "h2", "h3", "h4", "br", "blockquote", "figure", "figcaption",
    "ul", "ol", "table", "thead", "tbody", "caption", "pre", "hr",
}  # fmt: skip
_TABLE_PARTS = {"caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th"}
_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)")
# Gone with all they hold (SVG and MathML too: the sanitiser keeps no foreign content), and
# elements whose content is text, not markup (the sanitiser keeps `<b>` in a noscript as text).
_UNSHOWN = re.compile(
    r"<(?P<gone>script|style|template|svg|math)\b.*?</(?P=gone)\s*>"
    r"|<!--.*?(?:-->|$)|<![^>]*(?:>|$)"  # comments, doctypes and other declarations
    r"|<(?P<raw>noscript|iframe|noembed|noframes|xmp|textarea|title)\b[^>]*>(?P<text>.*?)"
    r"</(?P=raw)\s*>",
    re.IGNORECASE | re.DOTALL,
)


def plain_text(markup: str, keep_lines: bool = False) -> str:
    """Visible text of an HTML fragment with its entities resolved and spaces collapsed: on one
    line, or with `keep_lines` one line per block, so table cells, list items and headings stay
    separate words (a tag-stripping conversion glues `<td>1</td><td>Kyle</td>` into `1Kyle`)."""
    if keep_lines:
        return _lines(markup or "")
    markup = _INVISIBLE.sub(" ", markup or "")
    text = strip_tags(_BLOCK_EDGE.sub(" ", markup))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def _lines(markup: str) -> str:
    markup = _UNSHOWN.sub(_unshown, markup)
    text = html.unescape(strip_tags(_TAG.sub(_line_starts(), markup)))
    lines = (_LINE_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _unshown(match: re.Match) -> str:
    text = match.group("text")
    if text is None:
        return ""
    if match.group("raw").lower() in {"textarea", "title"}:
        text = html.unescape(text)  # read with its entities resolved, unlike the others
    return html.escape(text, quote=False)


def _line_starts():
    """A `_TAG.sub` replacement that puts a line break before the tags that start a line; not
    before the ones the parser ignores (an end tag of nothing open, a cell outside a table)."""
    paragraph_open = False
    open_blocks = Counter()

    def mark(match: re.Match) -> str:
        nonlocal paragraph_open
        end, name = bool(match.group(1)), match.group(2).lower()
        block = "h" if re.fullmatch(r"h[1-6]", name) else name
        if name in {"p", "br"}:  # a stray `</p>` is an empty paragraph, `</br>` a `<br>`
            starts = True
            paragraph_open = (name == "p" and not end) or (paragraph_open and name == "br")
        elif name not in PARAGRAPH_ENDS or (name in _TABLE_PARTS and not open_blocks["table"]):
            starts = False
        elif end:
            starts = open_blocks[block] > 0 and (name in _LINE_TAGS or paragraph_open)
            if open_blocks[block] > 0:
                open_blocks[block] -= 1
                paragraph_open = False
        else:
            starts = name in _LINE_TAGS or paragraph_open
            open_blocks[block] += name not in {"hr", "col"}
            paragraph_open = False
        return "\n" + match.group(0) if starts else match.group(0)

    return mark


def one_line(text: str) -> str:
    """Plain text with every run of whitespace, line breaks included, one space."""
    return _SPACE.sub(" ", text or "").strip()


def teaser(markup: str, length: int = 160) -> str:
    """At most `length` characters of the markup's text; cut texts end in `…`, never mid-word."""
    return cut(plain_text(markup), length)


def cut(text: str, length: int, ellipsis: bool = True) -> str:
    """Plain text (a stored teaser cut shorter, say) longer than `length` cut at a word
    boundary; a `<` or `&` in it stays as written instead of being read as markup. The cut
    text ends in `…` with no punctuation before it, like `teaser`; with `ellipsis=False` (a
    name cut to its field's length) it is at most `length` characters, ending on a whole word."""
    if len(text) <= length:
        return text
    head = text[: length + 1]
    head = head.rsplit(" ", 1)[0] if " " in head else text[:length]
    return head.rstrip(TRAILING_PUNCTUATION) + ELLIPSIS if ellipsis else head.rstrip()
