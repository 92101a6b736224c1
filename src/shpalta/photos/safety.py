"""An upload made safe to keep and to serve: verified as an image, within the byte and pixel
caps, turned upright, and stored again with no metadata at all.

Photos from the field carry EXIF GPS coordinates, camera serials and maker notes; XMP and IPTC
blocks carry names and places. None of it may reach a reader, so the pixels are copied into a
new image (which carries no `info`), colours are converted to sRGB when the file brings an ICC
profile, and that image is encoded again: JPEG, or PNG when the photo has transparency. What is
stored is therefore only what Pillow writes, and every rendition is made from it.
"""

import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from . import conf

ACCEPTED = {
    "JPEG": "JPEG",
    "MPO": "JPEG",
    "PNG": "PNG",
    "WEBP": "WebP",
    "AVIF": "AVIF",
    "GIF": "GIF",
}
FAILURES = (OSError, SyntaxError, ValueError, Image.DecompressionBombError, EOFError)
SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Cleaned:
    content: bytes  # the image encoded again, with no metadata
    extension: str  # "jpg" or "png"
    width: int
    height: int
    sha256: str  # of the bytes as uploaded: the same file twice is one library image


def _number(value: float) -> str:
    """One decimal at most, with the Ukrainian decimal comma: 30, 0,1, 12,5."""
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def megabytes(size: int) -> str:
    return _number(size / (1024 * 1024))


def megapixels(pixels: int) -> str:
    return _number(pixels / 1_000_000)


def refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_size(size: int) -> None:
    if size > conf.max_bytes():
        raise refuse(
            _("Файл завеликий: %(size)s МБ, а найбільше можна %(limit)s МБ. Зменште фото.")
            % {"size": megabytes(size), "limit": megabytes(conf.max_bytes())},
            "too_big",
        )


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clean(data: bytes) -> Cleaned:
    """The upload verified, upright and stripped; a ValidationError in Ukrainian otherwise."""
    check_size(len(data))
    image = _open(data)
    try:
        image.seek(0)  # a GIF's (or animated WebP's) first frame
        image.load()
        upright = ImageOps.exif_transpose(image)
    except FAILURES as error:
        raise refuse(
            _("Файл пошкоджений, його не вдалося прочитати як фото (%(error)s).")
            % {"error": error.__class__.__name__},
            "broken",
        ) from error
    pixels, extension = _stripped(upright, image.info.get("icc_profile"))
    output = io.BytesIO()
    if extension == "png":
        pixels.save(output, "PNG", optimize=True)
    else:
        pixels.save(output, "JPEG", quality=conf.ORIGINAL_QUALITY, optimize=True)
    return Cleaned(output.getvalue(), extension, pixels.width, pixels.height, content_hash(data))


def not_an_image() -> ValidationError:
    return refuse(
        _("Це не фото: приймаємо файли JPEG, PNG, WebP, AVIF і GIF."),
        "not_an_image",
    )


def _open(data: bytes) -> Image.Image:
    """Opened (headers only) and verified, refused before decoding when it is too large."""
    try:
        image = Image.open(io.BytesIO(data))
        kind = image.format
    except UnidentifiedImageError as error:
        raise not_an_image() from error
    except FAILURES as error:
        refused = bomb() if isinstance(error, Image.DecompressionBombError) else not_an_image()
        raise refused from error
    if kind not in ACCEPTED:
        raise not_an_image()
    width, height = image.size
    if width * height > conf.max_pixels() or not width or not height:
        raise refuse(
            _(
                "Фото завелике: %(width)s×%(height)s пікселів (%(pixels)s Мп), а найбільше "
                "можна %(limit)s Мп. Зменште його."
            )
            % {
                "width": width,
                "height": height,
                "pixels": megapixels(width * height),
                "limit": megapixels(conf.max_pixels()),
            },
            "too_many_pixels",
        )
    try:
        image.verify()
        image = Image.open(io.BytesIO(data))  # verify() leaves the image unusable
    except FAILURES as error:
        raise refuse(
            _("Файл пошкоджений, його не вдалося прочитати як фото (%(error)s).")
            % {"error": error.__class__.__name__},
            "broken",
        ) from error
    return image


def bomb() -> ValidationError:
    return refuse(
        _("Файл розгортається в завелике зображення (найбільше можна %(limit)s Мп).")
        % {"limit": megapixels(conf.max_pixels())},
        "too_many_pixels",
    )


def _stripped(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, str]:
    """The pixels alone in a new image (sRGB), RGB for JPEG or RGBA for PNG."""
    alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if alpha else "RGB"
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are
    converted = image.convert(mode)
    bare = Image.new(mode, converted.size)
    bare.paste(converted)
    return bare, "png" if alpha else "jpg"
