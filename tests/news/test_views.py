from datetime import timedelta

import pytest
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    politics = factories.category("Політика")
    writer = factories.author("Олена Петренко", bio="Кореспондентка.")
    return factories.article(
        "Зеленський прагне вступити до НАТО",
        lead="Президент висловлює надію на запрошення.",
        body="<p>Перший абзац.</p><p>Другий абзац.</p>",
        category=politics,
        tags=["НАТО", "США"],
        authors=[writer],
        published_at=timezone.now().replace(month=11, day=26, hour=14, minute=5)
        if timezone.now().month == 11
        else timezone.now() - timedelta(hours=1),
    )


def test_the_article_page_shows_the_whole_story(client, story):
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for text in (story.title, story.lead, "Перший абзац.", "Олена Петренко", "Політика", "#НАТО"):
        assert text in html
    assert "Поділитися дописом:" in html
    for network in (
        "facebook.com/sharer",
        "x.com/intent",
        "t.me/share",
        "viber://",
        "wa.me",
        "mailto:",
    ):
        assert network in html
    assert "data-copy-url" in html


def test_the_article_date_reads_like_ukrainian_prose(client):
    kyiv = timezone.get_default_timezone()
    when = timezone.datetime(2026, 11, 20, 14, 5, tzinfo=kyiv)
    article = factories.article("Дата", published_at=when)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "20 листопада 2026, 14:05" in html


def test_home_lists_the_lead_the_latest_and_sections(client, story):
    other = factories.article("Інша новина", category=factories.category("Економіка"))
    html = client.get("/").content.decode()
    assert story.title in html and other.title in html
    assert "Останні новини" in html and "Економіка" in html


def test_home_without_articles_is_a_friendly_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "щойно редакція їх опублікує" in response.content.decode()


@pytest.mark.parametrize("kind", ["category", "tag", "author"])
def test_list_pages_show_their_articles(client, story, kind):
    subject = {
        "category": story.category,
        "tag": story.tags.first(),
        "author": story.authors.first(),
    }
    response = client.get(subject[kind].get_absolute_url())
    assert response.status_code == 200
    assert story.title in response.content.decode()


def test_list_pages_paginate(client, settings):
    category = factories.category("Спорт")
    for n in range(25):
        factories.article(f"Матч {n}", category=category, age=timedelta(hours=n + 1))
    first = client.get(category.get_absolute_url()).content.decode()
    second = client.get(category.get_absolute_url() + "?page=2").content.decode()
    assert "Матч 0" in first and "Матч 24" not in first
    assert "Матч 24" in second and "Сторінка 2 з 2" in second


def test_drafts_and_scheduled_articles_are_invisible_to_readers(client):
    draft = factories.article("Чернетка", status=Article.Status.DRAFT)
    future = factories.article("Майбутня", published_at=timezone.now() + timedelta(days=1))
    for article in (draft, future):
        assert client.get(article.get_absolute_url()).status_code == 404
    home = client.get("/").content.decode()
    assert "Чернетка" not in home and "Майбутня" not in home


def test_editors_preview_drafts_as_they_will_look(staff_client):
    draft = factories.article("Чернетка для перегляду", status=Article.Status.DRAFT)
    response = staff_client.get(f"/peredohliad/{draft.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Чернетка для перегляду" in html and "Попередній перегляд" in html
    assert 'content="noindex"' in html


def test_readers_cannot_preview(client):
    draft = factories.article("Таємна чернетка", status=Article.Status.DRAFT)
    response = client.get(f"/peredohliad/{draft.pk}/")
    assert response.status_code == 302
    assert "Таємна чернетка" not in response.content.decode()


def test_unknown_slug_is_a_ukrainian_404(client):
    response = client.get("/novyny/nemaie-takoi/")
    assert response.status_code == 404
    assert "Сторінку не знайдено" in response.content.decode()


def test_unknown_category_is_a_404(client):
    assert client.get("/rubryka/nemaie/").status_code == 404


def test_an_old_slug_redirects_permanently(client):
    article = factories.article("Стара адреса")
    article.slug = "nova-adresa"
    article.save()
    response = client.get("/novyny/stara-adresa/")
    assert response.status_code == 301
    assert response["Location"] == "/novyny/nova-adresa/"


def test_an_old_slug_of_an_unpublished_article_is_a_404(client):
    article = factories.article("Знята")
    article.slug = "znyata-nova"
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get("/novyny/zniata/").status_code == 404


def test_the_body_is_escaped_where_it_is_not_html(client):
    article = factories.article("<script>alert(1)</script>", lead="<b>лід</b>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;лід&lt;/b&gt;" in html


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_the_500_page_renders_without_the_database(rf):
    from shpalta.news.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Щось пішло не так" in response.content.decode()


def test_home_shows_the_newest_fifteen_once_each_above_the_sections(client):
    for n in range(20):
        factories.article(f"Подія номер {n:02d}", age=timedelta(hours=n + 1))
    html = client.get("/").content.decode()
    top = html.split('class="home-section"')[0]
    for n in range(15):
        assert top.count(f"Подія номер {n:02d}") == 1
    assert "Подія номер 15" not in top
