"""URL slugs by the official KMU 2010 transliteration (Cabinet of Ministers resolution No. 55)."""

import re
import unicodedata

from translitua import translit

APOSTROPHES = "\u2019\u02bc\u2018`\u0027\u02b9\u2032"
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def transliterate(text: str) -> str:
    """KMU 2010 Latin spelling; the apostrophe is not transliterated at all by that standard."""
    text = unicodedata.normalize("NFC", text)
    text = text.translate({ord(ch): None for ch in APOSTROPHES})
    return translit(text)


def slugify_uk(text: str, max_length: int = 120) -> str:
    """A lowercase ASCII slug, cut at a word boundary so it never ends mid-word."""
    slug = _NON_SLUG.sub("-", transliterate(text).lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug
        slug = slug[:max_length].strip("-")
    return slug
