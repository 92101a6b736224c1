"""sitemap.xml (an index of id-range pages), the Google News sitemap and robots.txt."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from shpalta.news import factories
from shpalta.news.models import Article

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return response, etree.fromstring(response.content)


def all_urls(client):
    """Every <loc> of every page the index lists."""
    _, index = xml(client, "/sitemap.xml")
    locations = []
    for loc in index.xpath("//s:sitemap/s:loc/text()", namespaces=NS):
        assert loc.startswith(SITE + "/sitemap-")
        _, page = xml(client, loc.removeprefix(SITE))
        locations += page.xpath("//s:url/s:loc/text()", namespaces=NS)
    return locations


def test_the_index_pages_cover_every_published_article_exactly_once(client, settings):
    settings.SHPALTA_SITEMAP_PAGE_SIZE = 2
    live = [factories.article(f"Стаття {n}", age=timedelta(days=n)) for n in range(5)]
    draft = factories.article("Чернетка", status=Article.Status.DRAFT)
    later = factories.article("Пізніше", published_at=timezone.now() + timedelta(hours=3))
    urls = all_urls(client)
    article_urls = [u for u in urls if "/novyny/" in u]
    assert sorted(article_urls) == sorted(SITE + a.get_absolute_url() for a in live)
    assert SITE + draft.get_absolute_url() not in urls
    assert SITE + later.get_absolute_url() not in urls
    assert SITE + "/" in urls


def test_sections_list_categories_tags_and_authors_that_have_articles(client):
    politics = factories.category("Політика")
    factories.category("Порожня")
    writer = factories.author("Марко Вовчок")
    factories.author("Без статей")
    factories.article("Текст", category=politics, tags=["вибори"], authors=[writer])
    factories.article("Прихована", status=Article.Status.DRAFT, tags=["таємниця"])
    urls = all_urls(client)
    assert SITE + politics.get_absolute_url() in urls
    assert SITE + writer.get_absolute_url() in urls
    assert SITE + "/tema/vybory/" in urls
    assert not any(u.endswith(("/porozhnia/", "/bez-statei/", "/taiemnytsia/")) for u in urls)


def test_a_rubric_whose_stories_sit_in_rubrics_below_it_is_listed(client):
    world = factories.category("Світ")
    europe = factories.category("Європа", parent=world)
    poland = factories.category("Польща", parent=europe)
    factories.category("Азія", parent=world)
    factories.article("Вибори у Варшаві", category=poland)
    urls = all_urls(client)
    for rubric in (world, europe, poland):
        assert SITE + rubric.get_absolute_url() in urls
    assert not any(u.endswith("/aziia/") for u in urls)


def test_article_entries_and_index_pages_carry_lastmod(client, settings):
    """Pages are id ranges: ids need not start at 1 (PostgreSQL sequences are not rolled back
    between tests), so the expected pages are computed from the ids."""
    settings.SHPALTA_SITEMAP_PAGE_SIZE = 2
    articles = [factories.article(f"Стаття {n}") for n in range(3)]
    pages_with_articles = {(a.pk - 1) // 2 + 1 for a in articles}
    _, index = xml(client, "/sitemap.xml")
    stamped = {
        int(s[0].text.rsplit("-", 1)[1].removesuffix(".xml"))
        for s in index.xpath("//s:sitemap", namespaces=NS)
        if "-articles-" in s[0].text and s.find("s:lastmod", NS) is not None
    }
    assert stamped == pages_with_articles
    _, page = xml(client, f"/sitemap-articles-{max(pages_with_articles)}.xml")
    lastmods = page.xpath("//s:url/s:lastmod/text()", namespaces=NS)
    assert lastmods and all(datetime.fromisoformat(value).tzinfo for value in lastmods)


def test_a_sitemap_page_reads_an_id_range_without_offset(client, settings):
    """At a million articles a page must not skip rows with OFFSET or load whole rows."""
    settings.SHPALTA_SITEMAP_PAGE_SIZE = 3
    for n in range(7):
        factories.article(f"Стаття {n}", body="<p>" + "довгий текст " * 200 + "</p>")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sitemap-articles-3.xml")
    assert response.status_code == 200
    page_query = next(
        q["sql"]
        for q in queries
        if "news_article" in q["sql"] and "BETWEEN" not in q["sql"] and '"slug"' in q["sql"]
    )
    assert "OFFSET" not in page_query.upper()
    assert '"body"' not in page_query and '"body_text"' not in page_query
    assert '"id" >' in page_query and '"id" <=' in page_query
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {page_query}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "USING INTEGER PRIMARY KEY" in plan, plan


def test_unknown_sections_and_pages_are_404(client):
    assert client.get("/sitemap-nothing-1.xml").status_code == 404
    assert client.get("/sitemap-articles-99.xml").status_code == 404


def test_the_news_sitemap_lists_the_last_48_hours_for_google_news(client):
    fresh = factories.article("Свіжа <новина> & факти", age=timedelta(hours=3))
    factories.article("Стара", age=timedelta(hours=49))
    factories.article("Чернетка", status=Article.Status.DRAFT)
    _, root = xml(client, "/news-sitemap.xml")
    urls = root.xpath("//s:url", namespaces=NS)
    assert len(urls) == 1
    url = urls[0]
    assert url.findtext("s:loc", namespaces=NS) == SITE + fresh.get_absolute_url()
    publication = url.find("news:news/news:publication", NS)
    assert publication.findtext("news:name", namespaces=NS) == "Шпальта"
    assert publication.findtext("news:language", namespaces=NS) == "uk"
    assert url.findtext("news:news/news:title", namespaces=NS) == "Свіжа <новина> & факти"
    published = url.findtext("news:news/news:publication_date", namespaces=NS)
    assert datetime.fromisoformat(published) == fresh.published_at.replace(microsecond=0)


@pytest.mark.urls("tests.prefixed_urls")
def test_robots_txt_and_the_index_name_sitemaps_by_their_url_names(client):
    lines = client.get("/uk/robots.txt").content.decode().splitlines()
    assert f"Sitemap: {SITE}/uk/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/uk/news-sitemap.xml" in lines
    assert f"{SITE}/uk/sitemap-pages-1.xml" in client.get("/uk/sitemap.xml").content.decode()


def test_robots_txt_points_at_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines
