"""WordPress post bodies to article HTML: blocks' comments out, shortcodes to HTML (or gone),
classic-editor line breaks to paragraphs (a port of `wpautop`), empty paragraphs dropped.
`Article.save` sanitises the result, as it does every body."""

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from shpalta.text.cleaning import PARAGRAPH_ENDS
from shpalta.text.sanitise import TAGS


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
    """A WordPress body as stored in the export to the HTML of an article body."""
    content = (content or "").replace("\r\n", "\n").replace("\r", "\n")
    is_blocks = "<!-- wp:" in content
    content = _BLOCK_COMMENT.sub("", content)
    content = _WP_MARKERS.sub("", content)
    if not is_blocks:
        content = autop(content)  # before shortcodes, in WordPress's own order
    content = shortcodes(content, post_id=post_id, media=media, children=children)
    return drop_empty_paragraphs(content)


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


# --- empty paragraphs --------------------------------------------------------------------
# The author's (`<p>&nbsp;</p>`) and the HTML parser's: a block inside a paragraph ends it, so a
# caption's figure in an autop paragraph, `<p><figure>…</figure></p>`, is read as
# `<p></p><figure>…</figure><p></p>`. The body is read here as the parser will read it when
# `Article.save` sanitises it, and a paragraph goes, with the spaces after it, when the
# sanitised body would hold nothing in it but spaces, `&nbsp;` and `<br>`: tags the sanitiser
# drops do not count, kept ones do, and so does bold (or a link) left open in an earlier
# paragraph, which the parser opens again around the next text it meets.

# Bold and the like that the sanitiser keeps, which the parser re-opens ("active formatting").
_FORMATTING = {"a", "b", "code", "em", "i", "s", "small", "strong", "u"} & TAGS
_TABLE_PARTS = {"caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th"}
_VOID = {"hr", "col"}
_RCDATA = {"textarea", "title"}  # read with their entities resolved, unlike the others
_TOKEN = re.compile(
    r"<(?P<gone>script|style|template)\b.*?</(?P=gone)\s*>"  # gone with what they hold
    r"|<!--.*?(?:-->|$)|<![^>]*(?:>|$)"  # comments, doctypes: nothing to the parser
    r"|<(?P<raw>noscript|iframe|noembed|noframes|textarea|title)\b[^>]*>(?P<inner>.*?)"
    r"</(?P=raw)\s*>"  # what these hold is text, not markup
    r"|<(?P<end>/?)(?P<name>[a-zA-Z][^\s/>]*)[^>]*>"
    r"|(?P<text>[^<]+|<)",
    re.DOTALL | re.IGNORECASE,
)
# Spaces but the no-break one, which the sanitised body holds as `&nbsp;`.
_LEADING_SPACE = re.compile(r"^[^\S\xa0]+")


class _Paragraphs:
    """The state of a walk through the body's tags (see `drop_empty_paragraphs`)."""

    def __init__(self):
        self.out: list[str] = []
        self.start: int | None = None  # where in `out` the open paragraph begins
        self.empty = True  # nothing shown in the open paragraph yet
        self.blocks: Counter = Counter()  # open blocks by name, headings as "h"
        self.depth = 0  # open blocks and paragraph
        # kept formatting elements left open, with the depth they are open at; None once the
        # block they were in ended, until the parser opens them again
        self.formatting: list[list] = []
        self.skip_space = False  # after a dropped paragraph, the spaces that follow it go too

    def reopened(self) -> bool:
        return any(depth is None for _, depth in self.formatting)

    def reopen(self) -> None:
        """The parser opens formatting a block's end closed again before text or a tag."""
        for entry in self.formatting:
            if entry[1] is None:
                entry[1] = self.depth
                self.empty = self.empty and self.start is None

    def enter(self) -> None:
        self.depth += 1

    def leave(self) -> None:
        self.depth -= 1
        for entry in self.formatting:
            if entry[1] is not None and entry[1] > self.depth:
                entry[1] = None

    def open_paragraph(self) -> None:
        self.close_paragraph("</p>")  # what the parser does; the new one may be dropped
        self.start, self.empty, self.skip_space = len(self.out), True, False
        self.enter()

    def close_paragraph(self, end_tag: str = "") -> None:
        if self.start is None:
            return
        if self.empty:
            del self.out[self.start :]
            self.skip_space = not self.reopened() and not self.blocks["table"]
        elif end_tag:
            self.out.append(end_tag)
        self.start = None
        self.leave()

    def stray_end(self) -> None:
        """`</p>` with no paragraph open: the parser makes an empty one of it."""
        self.skip_space = not self.reopened() and not self.blocks["table"]

    def text(self, shown: str, in_element: bool = False) -> None:
        if not in_element:  # a noscript's or iframe's text is theirs: nothing re-opened
            self.reopen()
        if shown and not shown.isspace():
            self.skip_space = False
            self.empty = self.empty and self.start is None

    def start_tag(self, name: str) -> None:
        if name in _TABLE_PARTS and not self.blocks["table"]:
            return  # a cell outside a table: the parser ignores it
        if name in PARAGRAPH_ENDS:
            self.close_paragraph()
            if name not in _VOID:
                self.blocks[_block(name)] += 1
                self.enter()
            self.skip_space = self.skip_space and name not in TAGS
            return
        self.reopen()
        if name in TAGS:
            self.skip_space = False
            self.empty = self.empty and (self.start is None or name == "br")
        if name in _FORMATTING:
            self.formatting.append([name, self.depth])

    def end_tag(self, name: str) -> None:
        if name in PARAGRAPH_ENDS and self.blocks[_block(name)] > 0:
            self.blocks[_block(name)] -= 1
            self.close_paragraph()
            self.leave()
            self.skip_space = self.skip_space and name not in TAGS
        elif name in _FORMATTING:
            for n in range(len(self.formatting) - 1, -1, -1):
                if self.formatting[n][0] == name:
                    del self.formatting[n]
                    break


def _block(name: str) -> str:
    return "h" if name in {"h1", "h2", "h3", "h4", "h5", "h6"} else name


def drop_empty_paragraphs(markup: str) -> str:
    """The HTML without the paragraphs that would be empty once sanitised (see above)."""
    walk = _Paragraphs()
    for match in _TOKEN.finditer(markup):
        token, text = match.group(0), match.group("text")
        name, end = (match.group("name") or "").lower(), bool(match.group("end"))
        if text is not None:
            if walk.skip_space:
                token = text = _LEADING_SPACE.sub("", text)
                if not text:
                    continue
            walk.text(html.unescape(text))
        elif match.group("raw"):
            inner = match.group("inner")
            if match.group("raw").lower() in _RCDATA:
                inner = html.unescape(inner)
            walk.text(inner, in_element=True)
        elif name == "p" and end:
            if walk.start is None:
                walk.stray_end()
            walk.close_paragraph(token)
            continue
        elif name == "p":
            walk.open_paragraph()
        elif name == "br":  # `</br>` is a `<br>` too
            walk.start_tag(name)
        elif name and end:
            walk.end_tag(name)
        elif name:
            walk.start_tag(name)
        walk.out.append(token)
    walk.close_paragraph()
    return "".join(walk.out)
