"""Open Graph, Twitter cards and JSON-LD of reader pages, read back with extruct."""

import io
from pathlib import Path

import extruct
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from lxml import html as lxml_html
from PIL import Image

from shpalta.news import factories

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def page_data(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    text = response.content.decode()
    data = extruct.extract(text, base_url=SITE + path, syntaxes=["json-ld", "opengraph"])
    og = {}
    for block in data["opengraph"]:
        for name, value in block["properties"]:
            og.setdefault(name, []).append(value)
    ld = {item["@type"]: item for item in data["json-ld"]}
    tree = lxml_html.fromstring(text)
    twitter = {m.get("name"): m.get("content") for m in tree.xpath("//meta[@name]")}
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    return {"og": og, "ld": ld, "twitter": twitter, "canonical": canonical, "text": text}


def iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


def png(width, height) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def story(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    writer = factories.author("Іван Франко")
    return factories.article(
        "Уряд ухвалив бюджет </script><b>",
        lead="Верховна Рада підтримала кошторис на наступний рік.",
        category=factories.category("Економіка"),
        tags=["бюджет", "Рада"],
        authors=[writer],
        cover_image=png(800, 450),
        cover_alt="Зала засідань",
    )


def test_the_cover_size_comes_from_the_columns_not_the_file(client, story):
    """Stored at upload: a render must not open the image (remote media storage would make
    that a network round trip), so the size survives the file being out of reach."""
    Path(story.cover_image.path).unlink()
    og = page_data(client, story.get_absolute_url())["og"]
    assert og["og:image:width"] == ["800"] and og["og:image:height"] == ["450"]


def test_an_article_page_has_full_open_graph(client, story):
    data = page_data(client, story.get_absolute_url())
    og, url = data["og"], SITE + story.get_absolute_url()
    assert data["canonical"] == [url]
    assert og["og:type"] == ["article"]
    assert og["og:locale"] == ["uk_UA"]
    assert og["og:title"] == ["Уряд ухвалив бюджет </script><b>"]
    assert og["og:description"] == ["Верховна Рада підтримала кошторис на наступний рік."]
    assert og["og:url"] == [url]
    assert og["og:image"] == [SITE + story.cover_image.url]
    assert og["og:image:width"] == ["800"] and og["og:image:height"] == ["450"]
    assert og["og:image:alt"] == ["Зала засідань"]
    assert og["article:published_time"] == [iso(story.published_at)]
    assert og["article:modified_time"] == [iso(story.updated_at)]
    assert og["article:section"] == ["Економіка"]
    assert sorted(og["article:tag"]) == ["Рада", "бюджет"]


def test_an_article_page_has_a_twitter_card(client, story):
    twitter = page_data(client, story.get_absolute_url())["twitter"]
    assert twitter["twitter:card"] == "summary_large_image"
    assert twitter["twitter:title"] == story.title
    assert twitter["twitter:description"] == story.lead
    assert twitter["twitter:image"] == SITE + story.cover_image.url


def test_an_article_page_has_news_article_json_ld(client, story):
    data = page_data(client, story.get_absolute_url())
    news, url = data["ld"]["NewsArticle"], SITE + story.get_absolute_url()
    assert "</script><b>" not in data["text"].split("application/ld+json")[1].split("</script>")[0]
    assert news["@context"] == "https://schema.org"
    assert news["headline"] == story.title
    assert news["description"] == story.lead
    assert news["datePublished"] == iso(story.published_at)
    assert news["dateModified"] == iso(story.updated_at)
    assert news["author"] == [
        {"@type": "Person", "name": "Іван Франко", "url": SITE + "/avtor/ivan-franko/"}
    ]
    assert news["image"] == [
        {"@type": "ImageObject", "url": SITE + story.cover_image.url, "width": 800, "height": 450}
    ]
    publisher = news["publisher"]
    assert publisher["name"] == "Шпальта"
    assert publisher["logo"]["url"].endswith(".png")
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (600, 60)
    assert news["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert news["articleSection"] == "Економіка"
    crumbs = data["ld"]["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Головна", "Економіка", story.title]
    assert crumbs[-1]["item"] == url


def test_an_article_without_cover_or_author_uses_the_site_card_and_name(client):
    article = factories.article("Без фото", lead="Лід.")
    data = page_data(client, article.get_absolute_url())
    og, news = data["og"], data["ld"]["NewsArticle"]
    assert og["og:image"][0].endswith(".png")
    assert og["og:image:width"] == ["1200"] and og["og:image:height"] == ["630"]
    assert news["author"] == [{"@type": "Organization", "name": "Шпальта", "url": SITE + "/"}]
    assert "article:section" not in og


def test_a_remote_cover_is_named_without_a_made_up_size(client):
    article = factories.article("Імпорт", cover_image_url="https://example.org/photo.jpg")
    og = page_data(client, article.get_absolute_url())["og"]
    assert og["og:image"] == ["https://example.org/photo.jpg"]
    assert "og:image:width" not in og


def test_a_very_long_title_is_cut_for_the_headline_only(client):
    title = "Дуже " * 40 + "довгий заголовок"
    article = factories.article(title.strip())
    data = page_data(client, article.get_absolute_url())
    headline = data["ld"]["NewsArticle"]["headline"]
    assert len(headline) <= 110 and headline.endswith("…")
    assert data["og"]["og:title"] == [title.strip()]


def test_the_home_page_describes_the_site(client):
    factories.article("Щось")
    data = page_data(client, "/")
    assert data["canonical"] == [SITE + "/"]
    assert data["og"]["og:type"] == ["website"]
    assert data["og"]["og:url"] == [SITE + "/"]
    assert data["og"]["og:locale"] == ["uk_UA"]
    website = data["ld"]["WebSite"]
    assert website["url"] == SITE + "/"
    assert website["potentialAction"]["target"]["urlTemplate"] == SITE + "/search/?q={q}"
    assert data["ld"]["NewsMediaOrganization"]["logo"]["url"].endswith(".png")
    crumbs = data["ld"]["BreadcrumbList"]["itemListElement"]
    assert [(c["name"], c["item"]) for c in crumbs] == [("Головна", SITE + "/")]
    assert data["twitter"]["twitter:card"] == "summary_large_image"


@pytest.mark.parametrize("kind", ["category", "tag", "author"])
def test_list_pages_have_their_metadata_and_breadcrumbs(client, story, kind):
    subject = {
        "category": story.category,
        "tag": story.tags.get(name="бюджет"),
        "author": story.authors.get(),
    }[kind]
    path = subject.get_absolute_url()
    data = page_data(client, path)
    assert data["canonical"] == [SITE + path]
    assert data["og"]["og:url"] == [SITE + path]
    assert data["og"]["og:title"] == [f"{subject.name} — Шпальта"]
    page_type = "ProfilePage" if kind == "author" else "CollectionPage"
    page = data["ld"][page_type]
    assert page["name"] == subject.name and page["url"] == SITE + path
    if kind == "author":
        assert page["mainEntity"]["name"] == "Іван Франко"
    crumbs = data["ld"]["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"]) for c in crumbs] == [(1, "Головна"), (2, subject.name)]
    assert crumbs[1]["item"] == SITE + path


def test_a_later_list_page_is_canonical_to_itself(client, settings):
    politics = factories.category("Політика")
    for n in range(settings.SHPALTA_PAGE_SIZE + 1):
        factories.article(f"Новина {n}", category=politics)
    data = page_data(client, politics.get_absolute_url() + "?page=2")
    expected = SITE + politics.get_absolute_url() + "?page=2"
    assert data["og"]["og:url"] == [expected]
    assert data["ld"]["CollectionPage"]["url"] == expected


def test_hostile_titles_and_leads_are_escaped_in_every_meta_tag(client):
    """The tags are written in Python: each value escaped as autoescape would, and the
    JSON-LD unable to close its <script>."""
    title = "Заголовок \"у лапках\" <script>alert(1)</script> & 'апостроф'"
    story = factories.article(title, lead='Лід із <b>розміткою</b> та "лапками"')
    data = page_data(client, story.get_absolute_url())
    head = data["text"].split("</head>", 1)[0]
    assert "<script>alert(1)</script>" not in head
    assert head.count("<script") == head.count('<script type="application/ld+json">')
    assert data["og"]["og:title"] == [title]
    assert data["twitter"]["twitter:title"] == title
    assert data["ld"]["NewsArticle"]["headline"] == title
    assert "&quot;у лапках&quot;" in head and "&#x27;апостроф&#x27;" in head
