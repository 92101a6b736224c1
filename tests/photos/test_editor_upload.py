"""A photo uploaded from the article's text editor: staff with the right to add photos only,
CSRF-checked, through the library's safe path (stripped, capped, one image per file), answered
with the reference the editor inserts."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shpalta.photos import inline
from shpalta.photos.models import Image

from .images import jpeg, leaks

pytestmark = pytest.mark.django_db
URL = "/admin/photos/image/editor-upload/"


def post(client, data: bytes, name="field.jpg", content_type="image/jpeg", **words):
    fields = {"alt": "Міст у тумані", "caption": "", "credit": ""} | words
    fields["file"] = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(URL, fields)


def test_a_field_jpeg_is_kept_stripped_and_answered_with_the_reference_to_insert(staff_client):
    data = jpeg(1600, 1200)
    assert leaks(data)
    response = post(staff_client, data, caption="Туман над Дніпром", credit="Олена Коваль")
    assert response.status_code == 201, response.content.decode()
    answer = response.json()
    image = Image.objects.get()
    assert answer["src"] == inline.link(image) and answer["created"] is True
    assert answer["html"] == (
        f'<figure><img src="{inline.link(image)}" alt="Міст у тумані">'
        "<figcaption>Туман над Дніпром</figcaption></figure>"
    )
    assert (image.alt, image.caption, image.credit) == (
        "Міст у тумані",
        "Туман над Дніпром",
        "Олена Коваль",
    )
    with default_storage.open(image.file.name, "rb") as kept:
        assert leaks(kept.read()) == []
    rendition = b"".join(staff_client.get(answer["src"]).streaming_content)
    assert rendition[:2] == b"\xff\xd8" and leaks(rendition) == []


def test_the_same_file_twice_is_one_image_and_blank_words_are_filled_in(staff_client):
    data = jpeg(800, 600)
    first = post(staff_client, data, alt="Перший опис").json()
    again = post(staff_client, data, alt="Другий опис", caption="Новий підпис")
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["src"] == first["src"]
    image = Image.objects.get()
    assert (image.alt, image.caption) == ("Перший опис", "Новий підпис")


def test_an_html_file_is_refused_in_ukrainian(staff_client):
    page = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
    response = post(staff_client, page, name="photo.jpg", content_type="image/jpeg")
    assert response.status_code == 400
    assert response.json()["error"] == ("Це не фото: приймаємо файли JPEG, PNG, WebP, AVIF і GIF.")
    assert not Image.objects.exists()


def test_a_file_over_the_cap_is_refused_naming_the_limit(staff_client, settings):
    settings.SHPALTA_IMAGE_MAX_BYTES = 2 * 1024 * 1024
    response = post(staff_client, jpeg(400, 300, gps=False) + b"\0" * (3 * 1024 * 1024))
    assert response.status_code == 400
    assert "Файл завеликий" in response.json()["error"]
    assert "3 МБ, а найбільше можна 2 МБ" in response.json()["error"]
    assert not Image.objects.exists()


def test_alt_and_a_file_are_required(staff_client):
    response = post(staff_client, jpeg(400, 300), alt="   ")
    assert response.status_code == 400
    assert response.json()["error"].startswith("Додайте опис для незрячих (alt)")
    missing = staff_client.post(URL, {"alt": "Опис"})
    assert missing.status_code == 400 and missing.json()["error"] == "Виберіть файл фото."
    assert not Image.objects.exists()


def test_anonymous_readers_and_staff_without_the_right_are_refused(client, django_user_model):
    anonymous = post(client, jpeg(400, 300))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    user = django_user_model.objects.create_user("praktykant", password="pass", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(user)
    forbidden = post(client, jpeg(400, 300))
    assert forbidden.status_code == 403
    assert forbidden.json()["error"] == "Вам не дозволено додавати фото до бібліотеки."
    user.user_permissions.add(Permission.objects.get(codename="add_image"))
    client.force_login(django_user_model.objects.get(pk=user.pk))  # fresh permission cache
    assert post(client, jpeg(400, 300)).status_code == 201
    assert staff_client_get_is_refused(client)


def staff_client_get_is_refused(client) -> bool:
    return client.get(URL).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(django_user_model):
    user = django_user_model.objects.create_superuser("redaktorka", "r@example.com", "pass")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert post(client, jpeg(400, 300)).status_code == 403
    assert not Image.objects.exists()
    client.get("/admin/news/article/add/")
    token = client.cookies["csrftoken"].value
    fields = {"alt": "Опис", "file": SimpleUploadedFile("a.jpg", jpeg(400, 300), "image/jpeg")}
    assert client.post(URL, fields, HTTP_X_CSRFTOKEN=token).status_code == 201
