"""`{% picture image crop sizes %}`: a library image as responsive `<picture>` markup."""

from django import template

from .. import pictures

register = template.Library()


@register.simple_tag
def picture(image, crop="full", sizes="100vw", lazy=True, alt=None, css_class="", width=None):
    if not image:
        return ""
    return pictures.picture(
        image, crop, sizes, lazy=lazy, alt=alt, css_class=css_class, display_width=width
    )


@register.simple_tag
def rendition_url(image, crop="full", width=640, fmt="jpg"):
    return pictures.url(image, crop, int(width), fmt) if image else ""
