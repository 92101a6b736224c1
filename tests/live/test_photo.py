"""An entry's photo is served without its EXIF: no place, no camera, whatever the upload had."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shpalta.live import service
from shpalta.live.models import LiveEntry

GPS_IFD = 0x8825
MAKE = 0x010F


def jpeg_with_location() -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "Камера редакції"
    exif[GPS_IFD] = {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif()  # the upload does carry it
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_stored_photo_has_no_exif_and_keeps_its_pixels(story, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = service.post(story.pk, "Наслідки удару")
    entry.image = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_location(), "image/jpeg")
    entry.save()
    stored = LiveEntry.objects.get(pk=entry.pk).image
    with Image.open(stored.path) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (64, 48) and image.format == "JPEG"
    assert stored.name.endswith(".jpg")
