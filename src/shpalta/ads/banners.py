"""A banner's markup: its library image (and the phone's, if any) through the photo library's
renditions — AVIF, WebP, JPEG at the widths the slot needs — inside the signed click link."""

from django.utils.html import format_html, format_html_join

from shpalta.photos import conf as photos_conf
from shpalta.photos import pictures, renditions

from . import clicks

PHONE = "(max-width: 560px)"


def _sources(image, media: str, sizes: str, formats) -> list[tuple]:
    return [
        (media, photos_conf.FORMATS[fmt], pictures.srcset(image, "full", fmt), sizes)
        for fmt in formats
    ]


def banner_html(creative, placement) -> str:
    image = creative.image
    desktop = f"{placement.desktop_width}px"
    phone = f"{placement.mobile_width}px"
    rows: list[tuple] = []
    if creative.mobile_image_id:
        rows += _sources(creative.mobile_image, PHONE, phone, photos_conf.FORMATS)
        sizes = desktop
    else:
        sizes = f"{PHONE} {phone}, {desktop}"
    rows += _sources(image, "all", sizes, [f for f in photos_conf.FORMATS if f != "jpg"])
    offered = renditions.widths(image, "full")
    fallback = next((w for w in offered if w >= placement.desktop_width), offered[-1])
    width, height = renditions.size(image, "full", fallback)
    return format_html(
        '<a class="ad-banner" href="{}" rel="sponsored noopener"><picture>{}'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="lazy" '
        'decoding="async"></picture></a>',
        clicks.click_url(creative.pk, creative.url),
        format_html_join("", '<source media="{}" type="{}" srcset="{}" sizes="{}">', rows),
        pictures.url(image, "full", fallback, "jpg"),
        pictures.srcset(image, "full", "jpg"),
        sizes,
        width,
        height,
        creative.alt,
    )
