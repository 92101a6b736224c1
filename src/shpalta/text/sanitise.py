"""Editors' and imported HTML reduced to what an article body may hold."""

import re

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
# Every attribute a browser follows or fetches as a URL. nh3 checks url_schemes only on some of
# them (href and src, not cite), so _url_filter applies the rule to all of these itself.
URL_ATTRIBUTES = {
    "action", "background", "cite", "codebase", "data", "formaction", "href", "longdesc",
    "manifest", "ping", "poster", "src", "usemap", "xlink:href",
}  # fmt: skip
# Browsers ignore ASCII whitespace and control characters in a URL's scheme ("java\tscript:").
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def _url_filter(element: str, attribute: str, value: str) -> str | None:
    """Keep a URL attribute only when it is relative or its scheme is one of URL_SCHEMES."""
    if attribute.lower() not in URL_ATTRIBUTES:
        return value
    scheme = _SCHEME.match(_INVISIBLE.sub("", value).lower())
    if scheme and scheme.group(1) not in URL_SCHEMES:
        return None
    return value


def sanitise_html(markup: str) -> str:
    """Drop scripts, styles, event handlers and URLs of other schemes (javascript:, data:) in
    every URL attribute; links get rel=noopener."""
    return nh3.clean(
        markup or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_url_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
