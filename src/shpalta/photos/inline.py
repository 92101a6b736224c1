"""Library images inside a story's text, kept as references and shown through renditions.

The body stores an image as an `<img>` whose address is one of its renditions
(`/img/<hash>/full-50x50-960.jpg`, what the editor inserts from the library, and what
`import wxr --fetch-media` writes for the archive's pictures): the content hash is the
reference. On the page each one becomes `<picture>` markup with the library's own alt text,
caption and credit, so editing them in the library changes every story that uses the image.
"""

import re

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import pictures
from .models import Image

SIZES = "(max-width: 800px) calc(100vw - 2rem), 704px"
_IMG = r'<img\b[^>]*?\bsrc="(?:https?://[^/"]+)?/img/(?P<{name}>[0-9a-f]{{64}})/[^"]*"[^>]*>'
REFERENCE = re.compile(
    r"<figure\b[^>]*>\s*"
    + _IMG.format(name="figure_sha")
    + r"\s*(?:<figcaption\b[^>]*>(?P<caption>.*?)</figcaption>)?\s*</figure>"
    + "|"
    + _IMG.format(name="sha"),
    re.S,
)


def referenced(html: str) -> set[str]:
    """The content hashes of the library images a body shows."""
    return {m["figure_sha"] or m["sha"] for m in REFERENCE.finditer(html or "")}


def link(image) -> str:
    """What an editor inserts into the text: the address that refers to the image."""
    width = next((w for w in pictures.renditions.widths(image, "full") if w >= 960), None)
    return pictures.url(
        image, "full", width or pictures.renditions.widths(image, "full")[-1], "jpg"
    )


def expand(html: str) -> str:
    """The body with each library image as `<figure>` + `<picture>` (one query for all)."""
    shas = referenced(html)
    if not shas:
        return html or ""
    images = {image.sha256: image for image in Image.objects.filter(sha256__in=shas)}

    def figure(match: re.Match) -> str:
        image = images.get(match["figure_sha"] or match["sha"])
        if image is None:  # no longer in the library: left as written
            return match[0]
        caption = image.caption or (match["caption"] or "").strip()
        words = format_html(
            "{}{}",
            format_html("{} ", image.caption) if image.caption else _kept(caption),
            format_html('<span class="credit">{} {}</span>', _("Фото:"), image.credit)
            if image.credit
            else "",
        )
        return format_html(
            '<figure class="article__figure">{}{}</figure>',
            pictures.picture(image, "full", SIZES, lazy=True, display_width=704),
            format_html("<figcaption>{}</figcaption>", words) if str(words).strip() else "",
        )

    return REFERENCE.sub(figure, html)


def _kept(caption: str):
    """The editor's own figcaption, already sanitised with the body (text/sanitise.py)."""
    return format_html("{} ", mark_safe(caption)) if caption else ""  # noqa: S308
