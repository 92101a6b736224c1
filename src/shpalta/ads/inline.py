"""Where the inline slot goes in a story's HTML: after its N-th paragraph, at the top level.

Only paragraphs that are direct children of the body count and only the end of one is a
place: a paragraph inside a quote, a list, a table, a figure or an embed is nested, so the
slot can never land inside them. A story with fewer than N+2 top-level paragraphs gets no
inline slot (the ad would sit at its very end, or crowd a short text).
"""

import re

VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"]
    + ["param", "source", "track", "wbr"]
)

# The body is sanitised HTML (text/sanitise.py: no comments, scripts or styles survive it, every
# attribute value quoted), so its tags are read with one scan instead of html.parser, which
# cost about 100 us a story page. A comment or a declaration is still passed over, and a
# quoted attribute value may hold ">".
_TAG = re.compile(
    r"""<!--.*?-->|<[!?][^>]*>|<(/?)([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""",
    re.DOTALL,
)


def paragraph_ends(html: str) -> list[int]:
    """Offsets just after each top-level `</p>`."""
    depth, ends = 0, []
    for tag in _TAG.finditer(html):
        closing, name, rest = tag.groups()
        if name is None:  # a comment or a declaration
            continue
        name = name.lower()
        if name in VOID:
            continue
        if not closing:
            depth += 1
            if not rest.rstrip().endswith("/"):
                continue
            # <p/>: opened and closed at once, as html.parser reports it
        depth = max(0, depth - 1)
        if name == "p" and depth == 0:
            ends.append(tag.end())
    return ends


def split_after_paragraph(html: str, n: int) -> tuple[str, str] | None:
    """(before, after) around the end of the N-th top-level paragraph, or None when the story
    has fewer than N+2 of them."""
    if n < 1:
        return None
    ends = paragraph_ends(html)
    if len(ends) < n + 2:
        return None
    cut = ends[n - 1]
    return html[:cut], html[cut:]
