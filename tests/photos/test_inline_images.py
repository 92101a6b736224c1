"""Library photos in a story's text: stored as references (their rendition address), shown
as <picture> with the library's alt, caption and credit, so an edit there reaches every story."""

import pytest

from shpalta.news import factories
from shpalta.photos import inline, library

from .images import jpeg

pytestmark = pytest.mark.django_db


def test_a_library_photo_in_the_text_is_shown_through_renditions_with_the_librarys_words(client):
    image, _ = library.add(jpeg(2000, 1500), "a.jpg", alt="Міст уночі", credit="Олена Коваль")
    body = (
        "<p>Перший абзац.</p>"
        f'<figure><img src="{inline.link(image)}" alt="старий опис"><figcaption>Підпис редактора'
        "</figcaption></figure>"
        f'<p>Другий.</p><p><img src="https://shpalta.example{inline.link(image)}" alt=""></p>'
        f'<p><img src="/img/{"f" * 64}/full-50x50-960.jpg" alt="зникле"></p>'
    )
    story = factories.article("Нічний Київ", body=body)
    assert inline.link(image) in story.body  # the reference is what is stored

    page = client.get(story.get_absolute_url()).content.decode()
    text = page.split('class="article__body"')[1]
    assert text.count("<picture>") == 2 and text.count('type="image/avif"') == 2
    assert 'alt="Міст уночі"' in text and "старий опис" not in text
    assert "Підпис редактора" in text and "Фото: Олена Коваль" in text
    assert 'loading="lazy"' in text and 'width="704" height="528"' in text
    assert f'/img/{"f" * 64}/full-50x50-960.jpg" alt="зникле"' in text  # unknown: as written

    image.alt, image.caption = "Міст Патона вночі", "Міст після ремонту"
    image.save()
    story.refresh_from_db()
    again = client.get(story.get_absolute_url()).content.decode().split('class="article__body"')[1]
    assert 'alt="Міст Патона вночі"' in again and "Міст після ремонту" in again
    assert "Підпис редактора" not in again  # the library's caption wins


def test_the_article_editor_offers_images_and_the_library_shows_the_address_to_insert(staff_client):
    image, _ = library.add(jpeg(1200, 800), "a.jpg", alt="Фото")
    form = staff_client.get("/admin/news/article/add/").content.decode()
    assert "Figure" in form and "Image" in form  # the editor's extensions
    change = staff_client.get(f"/admin/photos/image/{image.pk}/change/").content.decode()
    assert f'value="{inline.link(image)}"' in change
