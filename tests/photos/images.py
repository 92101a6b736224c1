"""Photos for the photo tests, drawn with Pillow: a JPEG carrying GPS coordinates, a camera
serial, maker notes, XMP and an orientation tag, as a phone in the field writes it."""

import io
import struct

from PIL import Image, TiffImagePlugin

GPS_LATITUDE = (50.0, 27.0, 4.56)  # degrees, minutes, seconds: somewhere near Kyiv
SERIAL = "SN-CAM-4471-0923"
MAKER_NOTE = b"MAKERNOTE-Nikon-LENS-77731"
XMP_PLACE = "Bakhmut-position-XMP"
# The latitude as EXIF stores it: three rationals (50/1, 27/1, 114/25), in the byte order Pillow
# writes ("II", little-endian).
GPS_BYTES = struct.pack("<6I", 50, 1, 27, 1, 114, 25)
SECRETS = [
    SERIAL.encode(),
    MAKER_NOTE,
    XMP_PLACE.encode(),
    GPS_BYTES,
    b"Exif\0",
    b"ns.adobe.com/xap",
]


def leaks(data: bytes) -> list[bytes]:
    """Which of the camera's secrets these bytes still carry."""
    return [secret for secret in SECRETS if secret in data]


def photo(width=1200, height=800, colour=(40, 120, 200), orientation=None, **kwargs) -> Image.Image:
    image = Image.new("RGB", (width, height), colour)
    # a red block in the top-left corner tells which way up the pixels ended
    image.paste((220, 20, 20), (0, 0, width // 4, height // 4))
    return image


def jpeg(width=1200, height=800, colour=(40, 120, 200), orientation=None, gps=True) -> bytes:
    image = photo(width, height, colour)
    exif = Image.Exif()
    exif[0x010F] = "NIKON CORPORATION"  # Make
    exif[0x0110] = "NIKON Z 6"  # Model
    if orientation:
        exif[0x0112] = orientation
    ifd = exif.get_ifd(0x8769)  # Exif IFD
    ifd[0xA431] = SERIAL  # BodySerialNumber
    ifd[0x927C] = MAKER_NOTE  # MakerNote
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = tuple(TiffImagePlugin.IFDRational(v) for v in GPS_LATITUDE)
        gps_ifd[3] = "E"
        gps_ifd[4] = tuple(TiffImagePlugin.IFDRational(v) for v in (30.0, 31.0, 24.0))
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
        'syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Label="'
        f'{XMP_PLACE}"/></rdf:RDF></x:xmpmeta>'
    ).encode()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif, xmp=xmp)
    return out.getvalue()


def png(width=400, height=300, alpha=False) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", (width, height), (10, 200, 90, 128))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
