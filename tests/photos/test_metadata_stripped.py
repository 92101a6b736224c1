"""A photo from the field, uploaded through the admin: no served byte of the original or of any
rendition carries its GPS coordinates, camera serial, maker note or XMP, and it stands upright."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from shpalta.photos import conf, pictures, renditions
from shpalta.photos.models import Image

from .images import GPS_BYTES, SECRETS, SERIAL, jpeg, leaks

pytestmark = pytest.mark.django_db


def upload(staff_client, data: bytes, name="field.jpg", **fields):
    form = {"alt": "Міст через річку", "caption": "", "credit": "", "source": ""} | fields
    form["file"] = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return staff_client.post("/admin/photos/image/add/", form)


def every_variant(image) -> list[str]:
    urls = [image.file.url]
    for crop in conf.CROPS:
        for width in renditions.widths(image, crop):
            urls += [pictures.url(image, crop, width, fmt) for fmt in conf.FORMATS]
    return urls


def served(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def test_no_served_byte_of_any_variant_carries_the_cameras_metadata(staff_client):
    # MEDIA_ROOT as the site serves it (/media/ is bound to it when the URLs load)
    data = jpeg(4000, 3000)
    before = PILImage.open(io.BytesIO(data)).getexif()
    assert before.get_ifd(0x8825)[2] == (50.0, 27.0, 4.56)  # GPS latitude
    assert before.get_ifd(0x8769)[0xA431] == SERIAL  # body serial number
    assert leaks(data) == SECRETS

    response = upload(staff_client, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    image = Image.objects.get()
    variants = every_variant(image)
    assert len(variants) > 30
    for url in variants:
        body = served(staff_client, url)
        assert leaks(body) == [], url
        assert GPS_BYTES not in body and SERIAL.encode() not in body
        after = PILImage.open(io.BytesIO(body))
        assert not after.getexif() and "xmp" not in after.info and "exif" not in after.info, url


def test_the_orientation_is_applied_before_the_tags_go(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # stored as 1200×800 with the red block top-left; orientation 6 means "rotate 90° clockwise"
    response = upload(staff_client, jpeg(1200, 800, orientation=6))
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (800, 1200)
    pixels = PILImage.open(image.file.path).convert("RGB")
    assert pixels.getpixel((790, 10))[0] > 180  # the red block now top-right
    assert pixels.getpixel((10, 10))[2] > 150  # and blue where it was
    rendition = served(staff_client, pictures.url(image, "full", 320, "jpg"))
    assert PILImage.open(io.BytesIO(rendition)).size == (320, 480)
