"""What a page needs to show a library image: `<picture>` markup with a srcset per format, and
single rendition addresses (the social card for Open Graph, Twitter and JSON-LD)."""

from functools import lru_cache

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join

from . import conf, renditions

# A page names dozens of renditions (a srcset per format, per picture): the address is the
# route's reversed once, with these stand-ins replaced (a hash and a name, both already in the
# route's own alphabet, so nothing needs quoting).
_SHA, _NAME = "0" * 64, "x"


@lru_cache(maxsize=16)
def _address(resolver, script_prefix: str) -> tuple[str, str]:
    """The route's address around the stand-ins. The key holds the URL resolver (a new one
    whenever the URLconf changes: another for a request that sets its own, a new one after a
    test overrides ROOT_URLCONF) and the script prefix that reverse() reads."""
    whole = reverse("photos:rendition", args=[_SHA, _NAME], urlconf=resolver.urlconf_name)
    head, tail = whole.rsplit(f"{_SHA}/{_NAME}", 1)
    return head, tail


def url(image, crop: str, width: int, fmt: str) -> str:
    head, tail = _address(get_resolver(get_urlconf()), get_script_prefix())
    spec = renditions.Spec(crop, image.focal_x, image.focal_y, width, fmt)
    return f"{head}{image.sha256}/{spec.name}{tail}"


def srcset(image, crop: str, fmt: str) -> str:
    return ", ".join(f"{url(image, crop, w, fmt)} {w}w" for w in renditions.widths(image, crop))


def largest(image) -> tuple[str, int]:
    """The photo's own shape at its largest offered width, as JPEG: for feeds, e-mail, the API
    and Telegram, which take one plain address."""
    width = renditions.widths(image, "full")[-1]
    return url(image, "full", width, "jpg"), width


def stored(image) -> str:
    """The storage name of `largest()`, made first if it is missing."""
    width = renditions.widths(image, "full")[-1]
    return renditions.ensure(
        image, renditions.Spec("full", image.focal_x, image.focal_y, width, "jpg")
    )


def social(image) -> tuple[str, int, int]:
    """The 1200×630 crop around the focal point (JPEG: every network reads it)."""
    width, height = renditions.size(image, "social", 1200)
    return url(image, "social", 1200, "jpg"), width, height


def picture(
    image,
    crop: str = "full",
    sizes: str = "100vw",
    lazy: bool = True,
    alt: str | None = None,
    css_class: str = "",
    display_width: int | None = None,
) -> str:
    """`<picture>` with AVIF, WebP and JPEG sources; the `<img>` carries width and height (the
    crop's shape, so nothing shifts while it loads), lazy loading, or `fetchpriority="high"` for
    the one image that is the page's largest paint."""
    offered = renditions.widths(image, crop)
    fallback = next((w for w in offered if w >= (display_width or 640)), offered[-1])
    width, height = renditions.size(image, crop, display_width or offered[-1])
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (conf.FORMATS[fmt], srcset(image, crop, fmt), sizes)
            for fmt in conf.FORMATS
            if fmt != "jpg"
        ),
    )
    loading = (
        format_html('loading="lazy" decoding="async"')
        if lazy
        else format_html('fetchpriority="high" decoding="async"')
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} {}>'
        "</picture>",
        sources,
        url(image, crop, fallback, "jpg"),
        srcset(image, crop, "jpg"),
        sizes,
        width,
        height,
        image.alt if alt is None else alt,
        format_html(' class="{}"', css_class) if css_class else "",
        loading,
    )
