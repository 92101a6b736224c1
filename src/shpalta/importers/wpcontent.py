"""WordPress post bodies to clean HTML: blocks' comments out, shortcodes to HTML (or gone),
classic-editor line breaks to paragraphs (a port of `wpautop`), then the shared sanitiser."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from shpalta.text.sanitise import sanitise_html


@dataclass
class Media:
    """An attachment as the export describes it; bodies and covers refer to its original URL."""

    url: str
    title: str = ""
    alt: str = ""
    caption: str = ""
    parent: str = ""


MediaLookup = Callable[[str], "Media | None"]
ChildrenLookup = Callable[[str], list]

_EMPTY_P = re.compile(r"<p>(?:\s|<br>|&nbsp;)*</p>\s*")
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_WP_MARKERS = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL | re.IGNORECASE)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))|"([^"]*)"|(\S+)""")
_SHORTCODE = re.compile(
    r"\[(\[?)([a-zA-Z][\w-]*)(?![\w-])([^\]]*?)(/?)\](?:(.*?)\[/\2\])?(\]?)", re.S
)
_IMG = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL | re.I)
# Layout and plugin shortcodes whose content is the text itself: keep the content, drop the tag.
_WRAPPER_PREFIXES = ("vc_", "et_pb_", "fusion_", "av_", "su_", "mk_", "cs_", "tie_")
_WRAPPERS = {
    "column", "columns", "row", "one_half", "one_third", "two_third", "one_fourth",
    "three_fourth", "one_half_last", "one_third_last", "two_third_last", "box", "note",
    "highlight", "dropcap", "pullquote", "blockquote", "quote", "tab", "tabs", "toggle",
    "accordion", "section", "container", "wrapper", "center", "fullwidth", "raw", "code",
    "sourcecode", "spoiler", "alert", "callout", "button", "restrict", "private", "members",
}  # fmt: skip
# Shortcodes that only make sense on the old site (forms, widgets, ads): dropped.
_DROPPED = {
    "contact-form", "contact-form-7", "contact-field", "gravityform", "gravityforms",
    "wpforms", "ninja_form", "mc4wp_form", "newsletter", "ad", "ads", "adsense", "advert",
    "related", "related_posts", "jetpack_subscription_form", "subscribe", "polldaddy",
    "poll", "sitemap", "archives", "wpdm_package", "toc", "ez-toc", "share", "sharing",
    "social", "addtoany", "playlist", "recipe", "rating", "slideshow", "portfolio", "wpvideo",
}  # fmt: skip
_EMBEDS = {
    "embed", "youtube", "vimeo", "soundcloud", "twitter", "tweet", "instagram", "facebook",
    "googlemaps", "dailymotion", "flickr", "spotify", "ted", "scribd", "slideshare", "kickstarter",
}  # fmt: skip
_MEDIA_ATTRS = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "wav", "m4a", "url")


def attributes(text: str) -> dict[str, str]:
    """Shortcode attributes: name="v", name='v', name=v, and bare positional values."""
    found, position = {}, 0
    for match in _ATTR.finditer(text or ""):
        name, dq, sq, bare, pos_dq, pos_bare = match.groups()
        if name:
            found[name.lower()] = next(v for v in (dq, sq, bare, "") if v is not None)
        else:
            found[str(position)] = pos_dq if pos_dq is not None else pos_bare
            position += 1
    return found


def convert(
    content: str,
    *,
    post_id: str = "",
    media: MediaLookup | None = None,
    children: ChildrenLookup | None = None,
) -> str:
    """A WordPress body as stored in the export to the sanitised HTML of an article body."""
    content = (content or "").replace("\r\n", "\n").replace("\r", "\n")
    is_blocks = "<!-- wp:" in content
    content = _BLOCK_COMMENT.sub("", content)
    content = _WP_MARKERS.sub("", content)
    if not is_blocks:
        content = autop(content)  # before shortcodes, in WordPress's own order
    content = shortcodes(content, post_id=post_id, media=media, children=children)
    # a figure inside an autop paragraph is split by the HTML parser into empty paragraphs
    return _EMPTY_P.sub("", sanitise_html(content)).strip()


def shortcodes(content: str, *, post_id="", media=None, children=None) -> str:
    def replace(match: re.Match) -> str:
        escaped_open, name, attrs, _, inner, escaped_close = match.groups()
        if escaped_open and escaped_close:  # [[gallery]] is how WordPress writes a literal
            return "&#91;" + match.group(0)[2:-2] + "&#93;"
        render = _render(name.lower(), attributes(attrs), inner, post_id, media, children)
        if render is None:  # not ours: leave it as written, but convert what is inside
            if inner is None:
                return match.group(0)
            inner = shortcodes(inner, post_id=post_id, media=media, children=children)
            render = f"[{name}{attrs}]{inner}[/{name}]"
        return escaped_open + render + escaped_close

    for _ in range(3):  # nested shortcodes: [vc_row][vc_column][caption]…
        content, n = _SHORTCODE.subn(replace, content)
        if not n:
            break
    return content


def _render(name, attrs, inner, post_id, media, children) -> str | None:
    if name in {"caption", "wp_caption"}:
        return caption(attrs, inner or "")
    if name == "gallery":
        return gallery(attrs, post_id, media, children)
    if name in {"video", "audio"}:
        return _media_link(attrs, inner)
    if name in _EMBEDS:
        url = (inner or "").strip() or attrs.get("url") or attrs.get("0", "").lstrip("=")
        return _link(url) if url.startswith(("http://", "https://")) else ""
    if name in _DROPPED:
        return ""
    if name in _WRAPPERS or name.startswith(_WRAPPER_PREFIXES):
        return inner or ""
    return None  # not a shortcode we know: left as the author wrote it


def caption(attrs: dict, inner: str) -> str:
    """[caption]<img …> Text[/caption] (or caption="Text") to <figure> with <figcaption>."""
    match = _IMG.match(inner)
    image, text = (match.group(1), match.group(2)) if match else ("", inner)
    text = (attrs.get("caption") or text).strip()
    figcaption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"<figure>{image}{figcaption}</figure>" if image else f"<p>{text}</p>"


def gallery(attrs: dict, post_id, media: MediaLookup | None, children) -> str:
    """A gallery becomes a figure of its images, at their original URLs."""
    if media is None:
        return ""
    ids = [i.strip() for i in attrs.get("ids", attrs.get("include", "")).split(",") if i.strip()]
    if not ids and children is not None:
        ids = children(post_id)
    images = []
    for media_id in ids:
        found = media(media_id)
        if found is not None:
            alt = escape(found.alt or found.title)
            images.append(f'<img src="{escape(found.url)}" alt="{alt}" loading="lazy">')
    return f"<figure>{''.join(images)}</figure>" if images else ""


def _media_link(attrs: dict, inner) -> str:
    url = next((attrs[k] for k in _MEDIA_ATTRS if attrs.get(k)), "") or (inner or "").strip()
    return _link(url) if url.startswith(("http://", "https://")) else ""


def _link(url: str) -> str:
    url = escape(url.strip())
    return f'<p><a href="{url}">{url}</a></p>'


# --- wpautop -----------------------------------------------------------------------------

_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_AUTOP_STEPS = [
    (re.compile(r"<br\s*/?>\s*<br\s*/?>"), "\n\n"),
    (re.compile(r"(<" + _ALLBLOCKS + r"[\s/>])"), r"\n\n\1"),
    (re.compile(r"(</" + _ALLBLOCKS + r">)"), r"\1\n\n"),
    (re.compile(r"(<hr\s*?/?>)"), r"\1\n\n"),
]
_AUTOP_FIXES = [
    (re.compile(r"<p>\s*</p>"), ""),
    (re.compile(r"<p>([^<]+)</(div|address|form)>"), r"<p>\1</p></\2>"),
    (re.compile(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>"), r"\1"),
    (re.compile(r"<p>(<li.+?)</p>"), r"\1"),
    (re.compile(r"<p><blockquote([^>]*)>", re.I), r"<blockquote\1><p>"),
    (re.compile(r"</blockquote></p>"), "</p></blockquote>"),
    (re.compile(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)"), r"\1"),
    (re.compile(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>"), r"\1"),
]
_BR = re.compile(r"(?<!<br />)\s*\n")
_BR_FIXES = [
    (re.compile(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*<br />"), r"\1"),
    (re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)"), r"\1"),
]


def autop(text: str) -> str:
    """WordPress's `wpautop`: blank lines become paragraphs, single newlines <br />."""
    if not text.strip():
        return ""
    pres: list[str] = []

    def keep_pre(match):
        pres.append(match.group(0))
        return f"<pre wp-pre-tag-{len(pres) - 1}></pre>"

    text = _PRE.sub(keep_pre, text + "\n")
    for pattern, replacement in _AUTOP_STEPS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\n\n+", "\n\n", text)
    chunks = [c for c in re.split(r"\n\s*\n", text) if c.strip()]
    text = "".join(f"<p>{c.strip(chr(10))}</p>\n" for c in chunks)
    for pattern, replacement in _AUTOP_FIXES:
        text = pattern.sub(replacement, text)
    text = _BR.sub("<br />\n", text)
    for pattern, replacement in _BR_FIXES:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\n</p>$", "</p>", text)
    for n, pre in enumerate(pres):
        text = text.replace(f"<pre wp-pre-tag-{n}></pre>", pre)
    return text
