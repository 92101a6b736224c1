"""URL slugs by the official KMU 2010 transliteration (Cabinet of Ministers resolution No. 55)."""

import re

from translitua import translit

from .normalise import normalise

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def transliterate(text: str) -> str:
    """KMU 2010 Latin spelling; the apostrophe is not transliterated at all by that standard.

    Normalised first, as search is: a stress mark, soft hyphen or odd apostrophe pasted into a
    title would otherwise split a word of a permanent URL (`Ки́їв` → `ky-yiv`)."""
    return translit(normalise(text).replace("'", ""))


def slugify_uk(text: str, max_length: int = 120) -> str:
    """A lowercase ASCII slug, cut at a word boundary so it never ends mid-word."""
    slug = _NON_SLUG.sub("-", transliterate(text).lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug
        slug = slug[:max_length].strip("-")
    return slug
