import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from PIL import Image

from shpalta.news import factories
from shpalta.news.models import Article

pytestmark = pytest.mark.django_db

cover_sizes = importlib.import_module("shpalta.news.migrations.0002_cover_size_old_slug_labels")


def _jpeg(width: int, height: int) -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "olive").save(out, "JPEG")
    return ContentFile(out.getvalue(), name="cover.jpg")


def test_existing_covers_get_their_size_and_a_missing_file_is_skipped(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kept = factories.article("Є фото", cover_image=_jpeg(640, 360))
    gone = factories.article("Фото зникло", cover_image=_jpeg(800, 600))
    Path(gone.cover_image.path).unlink()
    factories.article("Без фото")
    Article.objects.update(cover_width=None, cover_height=None)  # as before the migration

    cover_sizes.fill_cover_sizes(apps, None)

    sizes = dict(Article.objects.values_list("title", "cover_width"))
    assert sizes == {"Є фото": 640, "Фото зникло": None, "Без фото": None}
    assert Article.objects.get(pk=kept.pk).cover_height == 360
