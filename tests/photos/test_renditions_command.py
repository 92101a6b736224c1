"""`shpalta photos renditions` makes what the background task would have: every rendition
pages use, for images added without it (the demo), and nothing twice."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from shpalta.photos import library, renditions

from .images import jpeg

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("photos", "renditions", stdout=out)
    return out.getvalue()


def test_the_command_makes_the_missing_renditions_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image, _ = library.add(jpeg(700, 500), "a.jpg", warm=False, alt="Фото")
    cover = renditions.path(image, renditions.Spec("full", 50, 50, 700, "avif"))
    assert not default_storage.exists(cover)
    assert run().strip() == "фото: 1, нових варіантів: 25, не вдалося: 0"
    assert default_storage.exists(cover)
    assert run().strip() == "фото: 1, нових варіантів: 0, не вдалося: 0"
