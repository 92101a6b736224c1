"""news 0005 moves each story's uploaded cover into the photo library, stripped, and deletes the
old file that still carried the camera's metadata."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.photos.models import Image

from .images import SECRETS, jpeg, leaks

pytestmark = pytest.mark.django_db

migration = importlib.import_module("shpalta.news.migrations.0005_cover_from_library")


def test_uploaded_covers_become_library_images_stripped_and_shared(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = jpeg()
    assert leaks(data) == SECRETS  # what the camera wrote
    first = factories.article(
        "Перша",
        cover_image=ContentFile(data, name="field.jpg"),
        cover_alt="Блокпост",
        cover_credit="Ірина",
    )
    second = factories.article("Друга", cover_image=ContentFile(data, name="same.jpg"))
    old_files = [Path(first.cover_image.path), Path(second.cover_image.path)]
    gone = factories.article(
        "Зникле", cover_image=ContentFile(jpeg(colour=(1, 2, 3)), name="g.jpg")
    )
    Path(gone.cover_image.path).unlink()

    migration.covers_to_library(apps, None)

    image = Image.objects.get()  # one file on two stories: one library image
    assert (image.alt, image.credit, image.width, image.height) == ("Блокпост", "Ірина", 1200, 800)
    assert set(Article.objects.filter(cover=image).values_list("title", flat=True)) == {
        "Перша",
        "Друга",
    }
    stored = Path(image.file.path).read_bytes()
    assert leaks(stored) == []
    assert not any(path.exists() for path in old_files)  # the unstripped originals are gone
    kept = Article.objects.get(pk=gone.pk)  # a missing file leaves the story as it was
    assert kept.cover_id is None and kept.cover_image
