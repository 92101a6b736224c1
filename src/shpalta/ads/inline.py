"""Where the inline slot goes in a story's HTML: after its N-th paragraph, at the top level.

Only paragraphs that are direct children of the body count and only the end of one is a
place: a paragraph inside a quote, a list, a table, a figure or an embed is nested, so the
slot can never land inside them. A story with fewer than N+2 top-level paragraphs gets no
inline slot (the ad would sit at its very end, or crowd a short text).
"""

from html.parser import HTMLParser

VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"]
    + ["param", "source", "track", "wbr"]
)


class _TopLevelParagraphs(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.depth = 0
        self.ends: list[int] = []  # offsets just after each top-level </p>

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self.depth = max(0, self.depth - 1)
        if tag == "p" and self.depth == 0:
            start = self.position()
            end = self.text.find(">", start)
            self.ends.append(len(self.text) if end < 0 else end + 1)


def paragraph_ends(html: str) -> list[int]:
    parser = _TopLevelParagraphs(html)
    parser.feed(html)
    parser.close()
    return parser.ends


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
