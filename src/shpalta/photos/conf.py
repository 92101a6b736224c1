"""The photo library's limits and the renditions it makes, in one place.

The byte and pixel caps are per site (settings `SHPALTA_IMAGE_MAX_BYTES`,
`SHPALTA_IMAGE_MAX_PIXELS`, defaults in shpalta.settings); widths, crops and formats follow the
layout and are measured by bench/images.py.
"""

from dataclasses import dataclass

from django.conf import settings

# Widths a reader's browser may pick from (srcset): a 320 px phone at 1x up to a 1920 px screen.
WIDTHS = (320, 480, 640, 960, 1280, 1600, 1920)


@dataclass(frozen=True)
class Crop:
    name: str
    ratio: tuple[int, int] | None  # width:height; None keeps the photo's own shape
    fixed_width: int | None = None  # one size only (the social card)


CROPS = {
    "full": Crop("full", None),
    "card": Crop("card", (16, 9)),
    "square": Crop("square", (1, 1)),
    "social": Crop("social", (1200, 630), fixed_width=1200),
}
# Formats in the order a <picture> offers them: the smallest first, JPEG for every browser.
FORMATS = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg"}
QUALITY = {"avif": 55, "webp": 75, "jpg": 80}
ORIGINAL_QUALITY = 92  # the cleaned original kept in storage (JPEG)
# Made in the background at upload: the shapes pages show (cover and cards) and the social card.
WARM = (
    ("full", WIDTHS, tuple(FORMATS)),
    ("card", (320, 480, 640, 960), tuple(FORMATS)),
    ("social", (1200,), ("jpg",)),
)


def max_bytes() -> int:
    return settings.SHPALTA_IMAGE_MAX_BYTES


def max_pixels() -> int:
    return settings.SHPALTA_IMAGE_MAX_PIXELS
