"""Matched words marked in the text's own forms (`Зеленського`, not the lemma), safely escaped."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from shpalta.text.analyser import STOP_WORDS, Token, token_lemmas, tokenise
from shpalta.text.cleaning import ELLIPSIS, TRAILING_PUNCTUATION
from shpalta.text.tokens import iter_tokens

from .query import SearchQuery

SNIPPET_CHARS = 240
SCAN_CHARS = 12_000  # a snippet comes from the first screens of text; past them, the opening


def _initials(query: SearchQuery) -> frozenset[str]:
    return frozenset(t[:1] for w in query.words for t in (w.form, *w.lemmas))


def _matches(token: Token, query: SearchQuery, initials: frozenset[str]) -> bool:
    """A form of a query word. A word and its lemma share their first letter (`Києва`/`київ`,
    `дні`/`день`), so other words are skipped without a dictionary look-up."""
    if token.norm[:1] not in initials:
        return False
    if any(w.form == token.norm for w in query.words):
        return True
    return token.norm not in STOP_WORDS and bool(set(token_lemmas(token)) & query.lemma_set)


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
    initials = _initials(query)
    return [(t.start, t.end) for t in tokenise(text) if _matches(t, query, initials)]


def first_match(text: str, query: SearchQuery) -> int | None:
    """Where the first matching word starts; only words with a plausible initial are built
    into tokens, since a long article is scanned to its end when nothing matches."""
    initials = _initials(query)
    for token in iter_tokens(text[:SCAN_CHARS], lambda norm: norm[:1] in initials):
        if _matches(token, query, initials):
            return token.start
    return None


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
        while end > first + 1 and text[end - 1] in TRAILING_PUNCTUATION:
            end -= 1  # the `…` that follows stands for the rest: no `Союз.…`
    return start, end


def snippet(texts: list[str], query: SearchQuery, size: int = SNIPPET_CHARS) -> SafeString:
    """A passage of the first text that mentions the query, matched words marked.

    With no match in any text (a match only in the title), the first text's opening is shown.
    """
    texts = [t for t in texts if t]
    if not texts:
        return mark_safe("")  # noqa: S308
    for text in texts:
        first = first_match(text, query)
        if first is not None:
            break
    else:
        text, first = texts[0], 0
    start, end = _window(text, first, size)
    spans = [(s + start, e + start) for s, e in matched_spans(text[start:end], query)]
    html = _marked(text, spans, start, end)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308
