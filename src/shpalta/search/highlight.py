"""Matched words marked in the text's own forms (`Зеленського`, not the lemma), safely escaped."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from shpalta.text.analyser import STOP_WORDS, Token, token_lemmas, tokenise
from shpalta.text.teasers import ELLIPSIS

from .query import SearchQuery

SNIPPET_CHARS = 240


def _matches(token: Token, query: SearchQuery) -> bool:
    if token.norm in STOP_WORDS and not any(w.form == token.norm for w in query.words):
        return False
    return any(w.form == token.norm for w in query.words) or bool(
        set(token_lemmas(token)) & query.lemma_set
    )


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    return "".join(out)


def matched_spans(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    return [(t.start, t.end) for t in tokenise(text) if _matches(t, query)]


def highlight(text: str, query: SearchQuery) -> SafeString:
    """The whole text, escaped, with every word that matched the query in <mark>."""
    return mark_safe(_marked(text, matched_spans(text, query), 0, len(text)))  # noqa: S308


def _window(text: str, first: int, size: int) -> tuple[int, int]:
    """About `size` characters around the first match, cut at spaces."""
    start = max(0, first - size // 4)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return start, end


def snippet(texts: list[str], query: SearchQuery, size: int = SNIPPET_CHARS) -> SafeString:
    """A passage of the first text that mentions the query, matched words marked.

    With no match in any text (a match only in the title), the first text's opening is shown.
    """
    texts = [t for t in texts if t]
    if not texts:
        return mark_safe("")  # noqa: S308
    for text in texts:
        spans = matched_spans(text, query)
        if spans:
            start, end = _window(text, spans[0][0], size)
            break
    else:
        text, spans = texts[0], []
        start, end = _window(text, 0, size)
    html = _marked(text, spans, start, end)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308
