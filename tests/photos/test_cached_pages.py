"""A library photo edited (alt text, caption, focal point) shows at once on every cached page
of the stories using it: its save changes the site version (changes/receivers.py)."""

import pytest

from shpalta.news import factories
from shpalta.photos import library

from .images import jpeg

pytestmark = pytest.mark.django_db(transaction=True)


def test_editing_a_photo_retires_the_cached_pages_that_show_it(client, settings):
    settings.SHPALTA_PAGE_CACHE = True
    image, _ = library.add(jpeg(1200, 800), "a.jpg", warm=False, alt="Стара назва")
    story = factories.article("Історія з фото", cover=image)
    first = client.get(story.get_absolute_url()).content.decode()
    assert 'alt="Стара назва"' in first
    image.alt, image.focal_x = "Нова назва", 80
    image.save()
    again = client.get(story.get_absolute_url()).content.decode()
    assert 'alt="Нова назва"' in again and "/full-80x50-" in again
    assert "/social-80x50-1200.jpg" in again
