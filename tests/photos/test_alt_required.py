"""A story whose cover has no alt text is not published: the form and the list's action say
why in Ukrainian; a draft may have it; once the library photo is described, it publishes."""

import pytest
from django.contrib.messages import get_messages

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.photos import library
from tests.conftest import article_form

from .images import jpeg

pytestmark = pytest.mark.django_db


def test_publishing_with_an_undescribed_cover_is_refused_with_a_reason(staff_client):
    cover, _ = library.add(jpeg(800, 600), "a.jpg")  # no alt
    data = article_form("Міст відкрили", "<p>Текст.</p>", cover=cover.pk)
    response = staff_client.post("/admin/news/article/add/", data)
    assert response.status_code == 200 and not Article.objects.exists()
    [error] = response.context["adminform"].form.errors["cover"]
    assert "немає опису для незрячих (alt)" in error and "бібліотеці фото" in error

    draft = staff_client.post("/admin/news/article/add/", data | {"status": "draft"})
    assert draft.status_code == 302  # a draft may wait for its alt text
    story = Article.objects.get()
    refused = staff_client.post(
        "/admin/news/article/", {"action": "publish", "_selected_action": [story.pk]}, follow=True
    )
    [message] = [str(m) for m in get_messages(refused.wsgi_request) if "не опубліковано" in str(m)]
    assert "«Міст відкрили» не опубліковано" in message
    assert Article.objects.get().status == Article.Status.DRAFT

    cover.alt = "Міст через Дніпро вранці"
    cover.save()
    staff_client.post("/admin/news/article/", {"action": "publish", "_selected_action": [story.pk]})
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_the_focal_point_is_set_on_the_photos_page_and_moves_its_crops(staff_client):
    image, _ = library.add(jpeg(2400, 900), "wide.jpg", alt="Панорама")
    page = staff_client.get(f"/admin/photos/image/{image.pk}/change/").content.decode()
    assert "data-focal-picker" in page and "photos/focal.js" in page
    assert "/card-50x50-" in page  # the crops shown beside it
    form = {"alt": "Панорама", "caption": "", "credit": "", "source": ""}
    response = staff_client.post(
        f"/admin/photos/image/{image.pk}/change/", form | {"focal_x": 90, "focal_y": 40}
    )
    assert response.status_code == 302
    page = staff_client.get(f"/admin/photos/image/{image.pk}/change/").content.decode()
    assert "/card-90x40-" in page and "left:90%;top:40%" in page
    story = factories.article("Панорама міста", cover=image)
    html = staff_client.get(story.get_absolute_url()).content.decode()
    assert "/social-90x40-1200.jpg" in html  # og:image follows the focal point
