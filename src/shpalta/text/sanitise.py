"""Editors' and imported HTML reduced to what an article body may hold."""

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "em", "figcaption",
    "figure", "h2", "h3", "h4", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "small",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise_html(markup: str) -> str:
    """Drop scripts, styles, event handlers and javascript: URLs; links get rel=noopener."""
    return nh3.clean(
        markup or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
