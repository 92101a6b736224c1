"""What the library refuses, and how it says so: not a photo, too many bytes, too many pixels,
a decompression bomb, a broken file; the same file twice is pointed to, not stored again."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from shpalta.photos import library
from shpalta.photos.models import Image

from .images import jpeg, png

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, name: str, content_type="image/jpeg"):
    form = {"alt": "Фото", "caption": "", "credit": "", "source": ""}
    form["file"] = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post("/admin/photos/image/add/", form)


def errors(response) -> str:
    assert response.status_code == 200  # the form again, not a crash
    return " ".join(response.context["adminform"].form.errors["file"])


def bomb_png(side: int) -> bytes:
    """A valid PNG header claiming side×side pixels over a tiny compressed stream of zeros."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
        )

    header = side.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])  # 8-bit greyscale
    rows = zlib.compress(b"\0" * (side + 1) * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><body>not a photo</body></html>", "photo.jpg"),
        (b"%PDF-1.4 fake", "scan.jpg"),
        (b"", "empty.jpg"),
    ],
)
def test_what_is_not_a_photo_is_refused_by_name(staff_client, data, name):
    message = errors(upload(staff_client, data, name))
    assert "Це не фото" in message or "порожній" in message
    assert not Image.objects.exists()


def test_a_file_over_the_byte_cap_is_refused_naming_the_limit(staff_client, settings):
    settings.SHPALTA_IMAGE_MAX_BYTES = 100_000
    message = errors(upload(staff_client, jpeg(3000, 2000) + b"\0" * 100_000, "big.jpg"))
    assert "Файл завеликий: 0,2 МБ, а найбільше можна 0,1 МБ" in message
    assert not Image.objects.exists()


def test_a_photo_over_the_pixel_cap_is_refused_naming_the_limit(staff_client, settings):
    settings.SHPALTA_IMAGE_MAX_PIXELS = 1_000_000
    message = errors(upload(staff_client, jpeg(1500, 1000), "wide.jpg"))
    assert "1500×1000" in message and "найбільше можна 1 Мп" in message


def test_a_decompression_bomb_is_refused_before_decoding(staff_client):
    data = bomb_png(60_000)  # 3.6 gigapixels in a few kilobytes
    assert len(data) < 100_000
    message = errors(upload(staff_client, data, "bomb.png", "image/png"))
    assert "найбільше можна 50 Мп" in message


def test_a_truncated_photo_is_refused_as_broken(staff_client):
    data = jpeg(800, 600)
    message = errors(upload(staff_client, data[: len(data) // 2], "cut.jpg"))
    assert "пошкоджений" in message


def test_a_gif_keeps_its_first_frame_and_a_transparent_png_stays_png(staff_client):
    frames = [PILImage.new("RGB", (64, 48), colour) for colour in ("red", "green")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    assert upload(staff_client, out.getvalue(), "a.gif", "image/gif").status_code == 302
    gif = Image.objects.get()
    assert gif.file.name.endswith(".jpg")
    assert PILImage.open(gif.file.path).convert("RGB").getpixel((5, 5))[0] > 200  # red: frame 1
    assert upload(staff_client, png(alpha=True), "a.png", "image/png").status_code == 302
    assert Image.objects.latest("id").file.name.endswith(".png")


def test_the_same_file_twice_is_one_image(staff_client):
    data = jpeg(640, 480)
    first, created = library.add(data, "a.jpg", alt="Раз")
    again, created_again = library.add(data, "b.jpg", alt="Два")
    assert created and not created_again and again == first and again.alt == "Раз"
    message = errors(upload(staff_client, data, "c.jpg"))
    assert "вже є в бібліотеці" in message and f"/admin/photos/image/{first.pk}/change/" in message
    assert Image.objects.count() == 1
