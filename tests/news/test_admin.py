import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shpalta.news import factories
from shpalta.news.models import Article
from tests.conftest import article_form

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def form_data(**overrides):
    return article_form(
        "Нова стаття з адмінки",
        "<p>Текст <strong>статті</strong>.</p><script>alert(1)</script>",
        lead="Лід.",
        **overrides,
    )


def test_the_article_list_has_the_editorial_filters(staff_client):
    writer = factories.author("Олена Петренко")
    factories.article("У списку", category=factories.category("Політика"), authors=[writer])
    factories.article("Інша", category=factories.category("Спорт"), authors=[factories.author()])
    html = staff_client.get("/admin/news/article/").content.decode()
    assert "У списку" in html
    for filter_param in ("status__exact", "category__id__exact", "authors__id__exact"):
        assert filter_param in html
    assert 'name="q"' in html


def test_the_list_searches_titles(staff_client):
    factories.article("Про мости Києва")
    factories.article("Про енергетику")
    html = staff_client.get("/admin/news/article/?q=мости").content.decode()
    assert "Про мости Києва" in html and "Про енергетику" not in html


def test_the_editor_form_uses_the_rich_text_editor(staff_client):
    html = staff_client.get("/admin/news/article/add/").content.decode()
    assert "prose-editor" in html


def test_an_editor_publishes_an_article_with_a_cover(staff_client):
    cover = SimpleUploadedFile("cover.png", png_bytes(), content_type="image/png")
    response = staff_client.post("/admin/news/article/add/", form_data(cover_image=cover))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.slug == "nova-stattia-z-adminky"
    assert "<script>" not in article.body and "<strong>статті</strong>" in article.body
    assert article.cover_image.name.endswith(".png")
    assert staff_client.get(article.get_absolute_url()).status_code == 200


def test_history_names_the_editor(staff_client):
    staff_client.post("/admin/news/article/add/", form_data())
    article = Article.objects.get()
    assert article.history.first().history_user.username == "redaktor"
    html = staff_client.get(f"/admin/news/article/{article.pk}/history/").content.decode()
    assert "redaktor" in html


def test_a_draft_links_to_its_preview(staff_client):
    draft = factories.article("Чернетка", status=Article.Status.DRAFT)
    html = staff_client.get("/admin/news/article/").content.decode()
    assert f"/peredohliad/{draft.pk}/" in html


def test_the_publish_action_publishes(staff_client):
    draft = factories.article("Чернетка", status=Article.Status.DRAFT)
    staff_client.post(
        "/admin/news/article/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
