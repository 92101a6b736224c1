"""Renditions: made in the background at upload, or on demand; served with far-future caching;
cropped around the focal point; only the sizes pages emit are made."""

import io

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image as PILImage

from shpalta.photos import conf, library, pictures, renditions
from shpalta.photos.models import Image

from .images import jpeg

pytestmark = pytest.mark.django_db(transaction=True)


def fetch(client, url):
    response = client.get(url)
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def marked(width, height, x, y) -> bytes:
    """Grey, with a green square centred on (x, y)."""
    picture = PILImage.new("RGB", (width, height), (128, 128, 128))
    picture.paste((0, 220, 0), (x - 30, y - 30, x + 30, y + 30))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=95)
    return out.getvalue()


def test_the_background_task_makes_the_renditions_pages_use_after_commit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with transaction.atomic():
        image, created = library.add(jpeg(2000, 1500), "a.jpg", alt="Фото")
        stored = renditions.path(image, renditions.Spec("full", 50, 50, 640, "avif"))
        assert created and not default_storage.exists(stored)  # nothing before the commit
    assert default_storage.exists(stored)
    for fmt in conf.FORMATS:
        for width in (320, 640, 1600, 1920):
            name = renditions.path(image, renditions.Spec("full", 50, 50, width, fmt))
            assert default_storage.exists(name), name
    assert default_storage.exists(
        renditions.path(image, renditions.Spec("social", 50, 50, 1200, "jpg"))
    )


@pytest.mark.parametrize(("fmt", "kind"), [("avif", "AVIF"), ("webp", "WEBP"), ("jpg", "JPEG")])
def test_a_rendition_is_served_with_its_type_size_and_far_future_caching(
    client, settings, tmp_path, fmt, kind
):
    settings.MEDIA_ROOT = tmp_path
    image, _ = library.add(jpeg(1600, 1200), "a.jpg", alt="Фото")
    response, body = fetch(client, pictures.url(image, "card", 640, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == conf.FORMATS[fmt]
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    served = PILImage.open(io.BytesIO(body))
    assert (served.format, served.size) == (kind, (640, 360))


def test_a_missing_rendition_is_made_on_demand(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image, _ = library.add(jpeg(1600, 1200), "a.jpg", alt="Фото")
    name = renditions.path(image, renditions.Spec("square", 50, 50, 480, "webp"))
    assert not default_storage.exists(name)  # squares are not made in advance
    response, body = fetch(client, pictures.url(image, "square", 480, "webp"))
    assert response.status_code == 200 and PILImage.open(io.BytesIO(body)).size == (480, 480)
    assert default_storage.exists(name)


@pytest.mark.parametrize(
    "name",
    [
        "full-50x50-333.jpg",
        "full-50x50-1920.jpg",
        "card-50x50-640.gif",
        "wide-50x50-640.jpg",
        "full-150x50-320.jpg",
    ],
)
def test_only_the_sizes_pages_emit_are_made(client, settings, tmp_path, name):
    settings.MEDIA_ROOT = tmp_path
    image, _ = library.add(jpeg(1000, 800), "a.jpg", alt="Фото")  # too narrow for 1920
    assert client.get(f"/img/{image.sha256}/{name}").status_code == 404
    assert client.get(f"/img/{'0' * 64}/full-50x50-320.jpg").status_code == 404


def test_the_crops_keep_the_focal_point_in_frame(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # wider than every crop, the green mark near the right edge
    image, _ = library.add(marked(2400, 900, 2160, 450), "a.jpg", alt="Фото")
    image.focal_x, image.focal_y = 90, 50
    image.save()
    for crop, width in [("card", 640), ("square", 480), ("social", 1200)]:
        _, body = fetch(client, pictures.url(image, crop, width, "jpg"))
        picture = PILImage.open(io.BytesIO(body)).convert("RGB")
        greens = [
            (x, y)
            for x in range(0, picture.width, 4)
            for y in range(0, picture.height, 4)
            if picture.getpixel((x, y))[1] > 180 and picture.getpixel((x, y))[0] < 80
        ]
        assert greens, f"{crop}: the focal point was cut off"
    # centred, the same crops would have lost it
    left, _, right, _ = renditions.crop_box(2400, 900, (16, 9), 50, 50)
    assert not left <= 2160 <= right


def test_the_picture_markup_offers_every_format_with_size_and_loading():
    photo = Image(width=4000, height=3000, sha256="a" * 64, alt="Міст")
    html = pictures.picture(photo, "full", "(max-width: 720px) 100vw, 720px", lazy=True)
    assert (
        html.count("<source") == 2 and 'type="image/avif"' in html and 'type="image/webp"' in html
    )
    assert 'width="1920" height="1440"' in html and 'alt="Міст"' in html
    assert 'loading="lazy"' in html and "fetchpriority" not in html
    assert "full-50x50-320.avif 320w" in html and "full-50x50-1920.jpg 1920w" in html
    cover = pictures.picture(photo, "full", "100vw", lazy=False)
    assert 'fetchpriority="high"' in cover and "loading=" not in cover
