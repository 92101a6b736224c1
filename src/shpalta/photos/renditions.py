"""Renditions: the cleaned original cropped around its focal point, scaled to one of the
layout's widths and encoded as AVIF, WebP or JPEG.

A rendition's name says everything it is made of (`card-50x30-640.webp`: the 16:9 crop around
the point 50 % across and 30 % down, 640 px wide, WebP) and the folder is the original's content
hash, so a name never changes meaning: it is served with far-future cache headers, and moving
the focal point gives the pages new names. The background task (tasks.make_renditions) makes
the ones pages use at upload; any other is made the first time it is asked for.
"""

import io
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from . import conf

NAME = re.compile(
    r"^(?P<crop>[a-z]+)-(?P<fx>\d{1,3})x(?P<fy>\d{1,3})-(?P<width>\d{1,4})\.(?P<fmt>avif|webp|jpg)$"
)


@dataclass(frozen=True)
class Spec:
    crop: str
    fx: int
    fy: int
    width: int
    fmt: str

    @property
    def name(self) -> str:
        return f"{self.crop}-{self.fx}x{self.fy}-{self.width}.{self.fmt}"

    @classmethod
    def parse(cls, name: str) -> "Spec | None":
        match = NAME.match(name)
        if not match or match["crop"] not in conf.CROPS:
            return None
        spec = cls(
            match["crop"], int(match["fx"]), int(match["fy"]), int(match["width"]), match["fmt"]
        )
        return spec if spec.fx <= 100 and spec.fy <= 100 else None


def folder(sha256: str) -> str:
    return f"photos/r/{sha256[:2]}/{sha256}"


def path(image, spec: Spec) -> str:
    return f"{folder(image.sha256)}/{spec.name}"


def widths(image, crop: str) -> list[int]:
    """The widths offered for this photo and crop: the layout's widths below the crop's own
    width, then that width (capped at the largest layout width). A photo is never scaled up,
    except to the social card's fixed size."""
    fixed = conf.CROPS[crop].fixed_width
    if fixed:
        return [fixed]
    largest = min(image.crop_size(crop)[0], conf.WIDTHS[-1])
    return [w for w in conf.WIDTHS if w < largest] + [largest]


def allowed(image, spec: Spec) -> bool:
    """Only names a page can emit are made on demand, so nobody fills the disk with sizes."""
    return spec.width in widths(image, spec.crop)


def size(image, crop: str, width: int) -> tuple[int, int]:
    """Width and height of the rendition: what `<img width height>` must say."""
    ratio = conf.CROPS[crop].ratio
    if ratio is None:
        return width, max(1, round(width * image.height / image.width)) if image.width else width
    return width, max(1, round(width * ratio[1] / ratio[0]))


def crop_box(width: int, height: int, ratio, fx: int, fy: int) -> tuple[int, int, int, int]:
    """The largest box of the ratio inside width×height, centred on the focal point as far as
    the edges allow (so the point stays in frame)."""
    if ratio is None:
        return 0, 0, width, height
    rw, rh = ratio
    if width * rh > height * rw:  # wider than the crop: cut the sides
        box_w, box_h = max(1, round(height * rw / rh)), height
    else:
        box_w, box_h = width, max(1, round(width * rh / rw))
    left = min(max(round(width * fx / 100 - box_w / 2), 0), width - box_w)
    top = min(max(round(height * fy / 100 - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def render(source: bytes, spec: Spec) -> bytes:
    """One rendition from the cleaned original's bytes."""
    crop = conf.CROPS[spec.crop]
    picture = PILImage.open(io.BytesIO(source))
    full_w, full_h = picture.size
    box = crop_box(full_w, full_h, crop.ratio, spec.fx, spec.fy)
    target = (spec.width, size_of_box(box, spec.width, crop))
    # JPEG decodes at 1/2, 1/4 or 1/8 straight from the DCT when that still covers the target:
    # a 12-megapixel photo for a 640 px rendition never decodes all its pixels.
    scale = min((box[2] - box[0]) / target[0], (box[3] - box[1]) / target[1])
    if picture.format == "JPEG" and scale >= 2:
        picture.draft("RGB", (max(1, round(full_w / scale)), max(1, round(full_h / scale))))
        factor = picture.size[0] / full_w
        box = tuple(round(edge * factor) for edge in box)
    picture = picture.crop(box).resize(target, PILImage.Resampling.LANCZOS, reducing_gap=3.0)
    return encode(picture, spec.fmt)


def size_of_box(box, width: int, crop) -> int:
    if crop.ratio:
        return max(1, round(width * crop.ratio[1] / crop.ratio[0]))
    return max(1, round(width * (box[3] - box[1]) / (box[2] - box[0])))


def encode(picture: PILImage.Image, fmt: str) -> bytes:
    """Encoded with nothing but pixels: no EXIF, XMP or ICC is passed to the encoder."""
    output = io.BytesIO()
    quality = conf.QUALITY[fmt]
    if fmt == "jpg":
        picture.convert("RGB").save(
            output, "JPEG", quality=quality, optimize=True, progressive=True
        )
    elif fmt == "webp":
        picture.save(output, "WEBP", quality=quality, method=4)
    else:
        picture.save(output, "AVIF", quality=quality, speed=8)
    return output.getvalue()


def ensure(image, spec: Spec, source: bytes | None = None) -> str:
    """The rendition's storage name, made and stored first if it is not there yet."""
    name = path(image, spec)
    if not default_storage.exists(name):
        if source is None:
            source = original(image)
        default_storage.save(name, ContentFile(render(source, spec)))
    return name


def original(image) -> bytes:
    with image.file.open("rb") as handle:
        return handle.read()


def warm(image) -> int:
    """Every rendition pages use, made now (from the background task); how many were new."""
    source = None
    made = 0
    for crop, crop_widths, formats in conf.WARM:
        offered = widths(image, crop)
        for width in [w for w in offered if w in crop_widths or w == offered[-1]]:
            for fmt in formats:
                spec = Spec(crop, image.focal_x, image.focal_y, width, fmt)
                if default_storage.exists(path(image, spec)):
                    continue
                source = source if source is not None else original(image)
                ensure(image, spec, source)
                made += 1
    return made
