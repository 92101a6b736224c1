import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shpalta.news import factories, views
from shpalta.news.models import Article, Category
from shpalta.news.views import HOME_PER_CATEGORY

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


@pytest.mark.parametrize("kind", ["category", "tag", "author"])
def test_later_list_pages_name_their_page_in_the_title(client, settings, kind):
    """Search engines and browser tabs told page 2 from page 1 only by the URL."""
    rubric, writer = factories.category("Культура"), factories.author("Олена Пчілка")
    for n in range(views.ArticleListView.paginate_by + 1):
        factories.article(f"Вистава {n}", category=rubric, tags=["Театр"], authors=[writer])
    subject = {"category": rubric, "tag": factories.tag("Театр"), "author": writer}[kind]
    url = subject.get_absolute_url()

    def title_of(page: str) -> str:
        html = client.get(url + page).content.decode()
        return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()

    def og_title_of(page: str) -> str:
        html = client.get(url + page).content.decode()
        return re.search(r'<meta property="og:title" content="([^"]*)"', html).group(1)

    assert title_of("") == f"{subject.name} — {settings.SITE_NAME}"
    assert title_of("?page=2") == f"{subject.name} — сторінка 2 — {settings.SITE_NAME}"
    assert og_title_of("?page=2") == f"{subject.name} — сторінка 2 — {settings.SITE_NAME}"
    assert "сторінка" not in og_title_of("")


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


def _newsroom(sections: range) -> None:
    """Top-level rubrics, each with a sub-rubric, and six stories spread over the two."""
    for n in sections:
        top = factories.category(f"Розділ {n}")
        below = Category.objects.create(name=f"Підрозділ {n}", parent=top)
        for k in range(6):
            rubric = below if k % 2 else top
            factories.article(f"Розділ {n}, новина {k}", category=rubric, age=timedelta(hours=k))


def _queries_of(path: str, client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_home_page_queries_do_not_grow_with_the_sections(
    client, django_assert_max_num_queries, settings
):
    # «Популярне»'s ranking is cached for a while (in Redis, across tests): read it on every
    # view here, so both counts see the same one query for it
    settings.SHPALTA_POPULAR_CACHE_SECONDS = 0
    _newsroom(range(2))
    few = len(_queries_of("/", client))
    _newsroom(range(2, 9))
    assert len(_queries_of("/", client)) == few
    # the pinned places, the top stories, the rubrics, the sections' ids and their stories, the
    # «Терміново» strip, the ad placements and their creatives, the ranking of views
    with django_assert_max_num_queries(9):
        client.get("/")


def test_the_rubric_table_is_read_once_per_page(client):
    _newsroom(range(3))
    for path in ("/", factories.category("Розділ 1").get_absolute_url()):
        rubric_queries = [sql for sql in _queries_of(path, client) if "news_category" in sql]
        reads = [sql for sql in rubric_queries if 'FROM "news_category"' in sql]
        assert len(reads) == 1, reads


def test_the_menu_lists_the_top_level_rubrics_in_their_order(client, story):
    factories.category("Економіка", position=1)
    Category.objects.create(name="Вибори", parent=story.category)
    html = client.get(story.get_absolute_url()).content.decode()
    menu = html.split('class="wrap menu"')[1].split("</nav>")[0]
    assert menu.index("Економіка") < menu.index("Політика") and "Вибори" not in menu


def test_a_home_section_holds_the_newest_of_its_rubric_and_sub_rubrics(client):
    _newsroom(range(1))
    for n in range(15):  # the top of the page takes these, the sections still show their own
        factories.article(f"Без рубрики {n}", age=timedelta(minutes=n))
    html = client.get("/").content.decode()
    section = html.split('id="section-rozdil-0"')[1].split("</section>")[0]
    shown = [f"Розділ 0, новина {k}" for k in range(6) if f"Розділ 0, новина {k}<" in section]
    assert shown == [f"Розділ 0, новина {k}" for k in range(HOME_PER_CATEGORY)]
    assert 'id="section-pidrozdil-0"' not in html  # a sub-rubric is inside its parent's section


def test_a_quiet_rubric_keeps_its_section_when_busy_ones_fill_the_newest_stories(
    client, monkeypatch
):
    monkeypatch.setattr(views, "HOME_SECTION_POOL", 1)  # the newest 8 stories: all "Гаряче"
    busy, quiet = factories.category("Гаряче"), factories.category("Архів")
    below = Category.objects.create(name="Старе", parent=quiet)
    for n in range(10):
        factories.article(f"Гаряча новина {n}", category=busy, age=timedelta(minutes=n))
    for n, rubric in enumerate([quiet, quiet, below]):
        factories.article(f"Давня новина {n}", category=rubric, age=timedelta(days=30 + n))
    html = client.get("/").content.decode()
    quiet_section = html.split('id="section-arkhiv"')[1].split("</section>")[0]
    assert all(f"Давня новина {n}<" in quiet_section for n in range(3))
    busy_section = html.split('id="section-hariache"')[1].split("</section>")[0]
    assert [n for n in range(10) if f"Гаряча новина {n}<" in busy_section] == [0, 1, 2, 3]


def test_a_rubric_page_lists_the_stories_of_its_grandchild_rubrics(client):
    world = factories.category("Світ")
    europe = Category.objects.create(name="Європа", parent=world)
    poland = Category.objects.create(name="Польща", parent=europe)
    story = factories.article("Вибори в Польщі", category=poland)
    factories.article("Матч", category=factories.category("Спорт"))
    for rubric in (world, europe, poland):
        html = client.get(rubric.get_absolute_url()).content.decode()
        assert story.title in html and "Матч" not in html


def test_share_links_use_the_canonical_address_not_the_request_host(client, story, settings):
    settings.SITE_URL = "https://shpalta.example"
    html = client.get(story.get_absolute_url()).content.decode()
    share = html.split('class="share"')[1].split("</section>")[0]
    canonical = f"https://shpalta.example{story.get_absolute_url()}"
    assert f'data-copy-url="{canonical}"' in share
    assert quote(canonical, safe="") in share
    assert "testserver" not in share


def test_cards_do_not_load_the_html_body(client, story):
    queries = _queries_of(story.category.get_absolute_url(), client)
    article_rows = [sql for sql in queries if 'FROM "news_article"' in sql and "LIMIT" in sql]
    assert article_rows and all('"news_article"."body",' not in sql for sql in article_rows)
