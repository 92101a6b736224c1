"""House promos for `make run`: the newsroom's newsletter and Telegram channel, with banners
drawn here (Pillow, DejaVu Sans when installed), in the article's inline, bottom and sidebar
places. Run by load_demo through news' demo_loaded (wired in changes/receivers.py)."""

import io
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

from shpalta.photos import library
from shpalta.telegram import conf as telegram_conf

from .models import Creative, Placement

FONTS = Path("/usr/share/fonts/truetype/dejavu")
SCALE = 2  # drawn at twice the CSS size: sharp on phones' dense screens


def _font(size: int, bold: bool = False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONTS / name), size * SCALE)
    except OSError:
        return ImageFont.load_default(size * SCALE)


def _fitted(pen, text: str, size: int, room: int, bold: bool = False):
    """The font at `size` (CSS px), smaller until the text fits `room` drawn pixels."""
    while True:
        font = _font(size, bold)
        if size <= 8 or pen.textlength(text, font=font) <= room:
            return font
        size -= 1


def draw(width: int, height: int, colour: str, title: str, line: str, mark: str) -> bytes:
    """A flat banner: brand colour, a round mark, a bold title and one line, as PNG (the
    library stores it cleaned and serves AVIF/WebP/JPEG renditions)."""
    w, h = width * SCALE, height * SCALE
    image = Image.new("RGB", (w, h), colour)
    pen = ImageDraw.Draw(image)
    wide = width / height > 2
    radius = int(min(h * 0.32, w * 0.12))
    cx, cy = (int(h * 0.5), h // 2) if wide else (w // 2, int(h * 0.3))
    pen.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill="#ffffff")
    pen.text((cx, cy), mark, fill=colour, font=_font(int(radius / SCALE), True), anchor="mm")
    big = max(12, int(height * (0.26 if wide else 0.1)))
    small = max(10, int(height * (0.17 if wide else 0.065)))
    if wide:
        x = cx + radius + 14 * SCALE
        room = w - x - 12 * SCALE
        pen.text(
            (x, int(h * 0.36)),
            title,
            fill="#ffffff",
            font=_fitted(pen, title, big, room, True),
            anchor="lm",
        )
        pen.text(
            (x, int(h * 0.7)),
            line,
            fill="#ffffff",
            font=_fitted(pen, line, small, room),
            anchor="lm",
        )
    else:
        room = w - 24 * SCALE
        pen.text(
            (w // 2, int(h * 0.6)),
            title,
            fill="#ffffff",
            font=_fitted(pen, title, big, room, True),
            anchor="mm",
        )
        pen.text(
            (w // 2, int(h * 0.76)),
            line,
            fill="#ffffff",
            font=_fitted(pen, line, small, room),
            anchor="mm",
        )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _telegram_url() -> str:
    channel = telegram_conf.chat_id()
    if channel.startswith("@"):
        return f"https://t.me/{channel[1:]}"
    return "https://telegram.org/"


PROMOS = [
    {
        "key": "newsletter",
        "colour": "#1f4e79",
        "mark": "@",
        "title": "Головне за день — у пошті",
        "line": "Підпишіться на вечірню розсилку редакції",
        "short": "Розсилка редакції",
        "alt": "Підпишіться на щоденну розсилку новин редакції",
    },
    {
        "key": "telegram",
        "colour": "#1d7fb8",
        "mark": "✈",
        "title": "Ми в Telegram",
        "line": "Термінові новини одразу в месенджері",
        "short": "Новини в Telegram",
        "alt": "Читайте новини редакції в Telegram-каналі",
    },
]


def _url(key: str) -> str:
    if key == "newsletter":
        return settings.SITE_URL + reverse("newsletter:subscribe")
    return _telegram_url()


def _picture(key: str, size: tuple[int, int], promo: dict, line: str):
    data = draw(*size, promo["colour"], promo["title"], line, promo["mark"])
    name = f"promo-{key}-{size[0]}x{size[1]}.png"
    return library.add(data, name, alt=promo["alt"], credit="Редакція")[0]


def load() -> None:
    """Idempotent: a second load_demo finds the promos by name and leaves them."""
    places = {p.key: p for p in Placement.objects.all()}
    banner_places = [places[k] for k in ("inline", "article_bottom") if k in places]
    side = places.get("sidebar")
    for promo in PROMOS:
        key = promo["key"]
        banner, made = Creative.objects.get_or_create(
            name=f"Домашнє промо: {promo['short']} (банер)",
            defaults={"alt": promo["alt"], "url": _url(key), "weight": 1},
        )
        if made:
            banner.image = _picture(key, (728, 90), promo, promo["line"])
            banner.mobile_image = _picture(key, (320, 100), promo, promo["short"])
            banner.save()
            banner.placements.set(banner_places)
        if side is None:
            continue
        square, made = Creative.objects.get_or_create(
            name=f"Домашнє промо: {promo['short']} (бічна панель)",
            defaults={"alt": promo["alt"], "url": _url(key), "weight": 1},
        )
        if made:
            square.image = _picture(key, (300, 250), promo, promo["short"])
            square.save()
            square.placements.set([side])
