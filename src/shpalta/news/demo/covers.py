"""Abstract cover images drawn locally, so the demo site has pictures without downloading any."""

import functools
import hashlib
import io
import random

from PIL import Image, ImageChops, ImageColor, ImageDraw

SIZE = (1200, 675)


@functools.lru_cache(maxsize=128)
def cover_jpeg(seed: str, colour: str) -> bytes:
    """A 16:9 JPEG in the category's colour; the same seed always draws the same picture."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    image = _gradient(ImageColor.getrgb(colour))
    overlay = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    _columns(draw, rng)
    _circles(draw, rng)
    image = Image.alpha_composite(image, overlay).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def _gradient(rgb: tuple[int, int, int]) -> Image.Image:
    """Lighter at the top left, darker at the bottom right."""
    light = Image.new("RGBA", SIZE, _mix(rgb, (255, 255, 255), 0.25))
    dark = Image.new("RGBA", SIZE, _mix(rgb, (0, 0, 0), 0.45))
    vertical = Image.linear_gradient("L")
    mask = ImageChops.add(vertical, vertical.rotate(90), scale=2).resize(SIZE)
    return Image.composite(dark, light, mask)


def _columns(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Newspaper columns — шпальти — as translucent vertical bands."""
    x = rng.randint(40, 200)
    while x < SIZE[0] - 60:
        width = rng.randint(70, 190)
        top = rng.randint(-40, 220)
        alpha = rng.randint(18, 55)
        draw.rectangle((x, top, x + width, SIZE[1] + 10), fill=(255, 255, 255, alpha))
        x += width + rng.randint(24, 120)


def _circles(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for _ in range(rng.randint(2, 4)):
        radius = rng.randint(60, 260)
        cx, cy = rng.randint(0, SIZE[0]), rng.randint(0, SIZE[1])
        shade = rng.choice([(255, 255, 255), (255, 214, 102), (0, 0, 0)])
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        draw.ellipse(box, fill=(*shade, rng.randint(25, 70)))


def _mix(a: tuple[int, ...], b: tuple[int, ...], share: float) -> tuple[int, int, int, int]:
    r, g, bl = (round(x + (y - x) * share) for x, y in zip(a, b, strict=True))
    return (r, g, bl, 255)
