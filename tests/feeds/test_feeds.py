"""RSS 2.0 and Atom feeds, read back with feedparser as a feed reader would."""

import calendar
import io
from datetime import timedelta
from html import unescape
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shpalta.news import factories
from shpalta.news.models import Article

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def newsroom():
    politics = factories.category("Політика")
    sport = factories.category("Спорт")
    writer = factories.author("Леся Українка")
    first = factories.article(
        "Вибори & «рейтинги»",
        body="<p>Повний <strong>текст</strong> про вибори.</p>",
        lead="Коротко: вибори.",
        category=politics,
        tags=["вибори", "рада"],
        authors=[writer],
        age=timedelta(hours=2),
    )
    second = factories.article(
        "Футбол", body="<p>Матч.</p>", category=sport, tags=["футбол"], age=timedelta(hours=1)
    )
    factories.article("Чернетка", status=Article.Status.DRAFT, category=politics)
    factories.article(
        "Завтрашня", published_at=timezone.now() + timedelta(days=1), category=politics
    )
    return {"politics": politics, "writer": writer, "first": first, "second": second}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return response, feed


def timestamp(moment) -> int:
    return int(moment.timestamp())


@pytest.mark.parametrize("url, version", [("/feed/", "rss20"), ("/feed/atom/", "atom10")])
def test_the_site_feed_has_every_field_of_every_published_article(client, newsroom, url, version):
    response, feed = parse(client, url)
    first = newsroom["first"]
    assert feed.version == version
    assert feed.feed.title == "Шпальта"
    assert feed.feed.link == SITE + "/"
    assert feed.feed.language == "uk"
    assert feed.feed.subtitle
    # RSS titles are HTML (escaped), Atom's are text: a reader shows both as the title was.
    assert [unescape(e.title) for e in feed.entries] == ["Футбол", "Вибори & «рейтинги»"]
    entry = feed.entries[1]
    assert entry.link == SITE + first.get_absolute_url()
    assert entry.id == f"tag:127.0.0.1,2025:article:{first.pk}"
    assert entry.summary == "Коротко: вибори."
    assert entry.author == "Леся Українка"
    assert [t.term for t in entry.tags] == ["Політика", "вибори", "рада"]
    assert calendar.timegm(entry.published_parsed) == timestamp(first.published_at)
    assert "<strong>текст</strong>" in entry.content[0].value
    if version == "atom10":
        assert calendar.timegm(entry.updated_parsed) == timestamp(first.updated_at)
    assert response["Content-Type"].startswith(
        "application/rss+xml" if version == "rss20" else "application/atom+xml"
    )


def test_with_full_text_off_items_carry_the_lead_only(client, newsroom, settings):
    settings.SHPALTA_FEED_FULL_TEXT = False
    for url in ("/feed/", "/feed/atom/"):
        _, feed = parse(client, url)
        entry = feed.entries[1]
        assert entry.summary == "Коротко: вибори."
        assert "content" not in entry


def subject_path(newsroom, kind: str) -> str:
    """The list page whose feeds a subject test reads."""
    return {
        "category": newsroom["politics"].get_absolute_url(),
        "tag": "/tema/vybory/",
        "author": newsroom["writer"].get_absolute_url(),
    }[kind]


@pytest.mark.parametrize("kind", ["category", "tag", "author"])
def test_subject_feeds_hold_only_their_subject(client, newsroom, kind):
    path = subject_path(newsroom, kind)
    for suffix in ("feed/", "feed/atom/"):
        _, feed = parse(client, path + suffix)
        assert [unescape(e.title) for e in feed.entries] == ["Вибори & «рейтинги»"]
        assert feed.feed.link == SITE + path
        assert ": " in feed.feed.title


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("category", "Новини рубрики «Політика»"),
        ("tag", "Новини на тему «вибори»"),
        ("author", "Статті автора: Леся Українка"),
    ],
)
def test_subject_feeds_describe_themselves_as_their_list_page_does(client, newsroom, kind, words):
    path = subject_path(newsroom, kind)
    for suffix in ("feed/", "feed/atom/"):
        _, feed = parse(client, path + suffix)
        assert feed.feed.subtitle == words


def test_a_category_feed_holds_the_stories_of_nested_rubrics(client):
    world = factories.category("Світ")
    europe = factories.category("Європа", parent=world)
    poland = factories.category("Польща", parent=europe)
    factories.article("Світова новина", category=world, age=timedelta(hours=3))
    factories.article("Новина з Європи", category=europe, age=timedelta(hours=2))
    factories.article("Новина з Польщі", category=poland, age=timedelta(hours=1))
    factories.article("Деінде", category=factories.category("Спорт"))
    _, feed = parse(client, world.get_absolute_url() + "feed/")
    assert [e.title for e in feed.entries] == [
        "Новина з Польщі",
        "Новина з Європи",
        "Світова новина",
    ]
    _, feed = parse(client, europe.get_absolute_url() + "feed/atom/")
    assert [e.title for e in feed.entries] == ["Новина з Польщі", "Новина з Європи"]


@pytest.mark.urls("tests.prefixed_urls")
def test_feed_links_come_from_the_url_names(client, newsroom):
    path = newsroom["politics"].get_absolute_url()
    assert path.startswith("/uk/rubryka/")
    _, feed = parse(client, "/uk/feed/atom/")
    assert feed.feed.link == SITE + "/uk/"
    assert {link.href for link in feed.feed.links} >= {SITE + "/uk/", SITE + "/uk/feed/atom/"}
    _, feed = parse(client, path + "feed/")
    assert feed.feed.link == SITE + path
    _, feed = parse(client, path + "feed/atom/")
    assert SITE + path + "feed/atom/" in {link.href for link in feed.feed.links}


def test_an_unknown_subject_has_no_feed(client):
    assert client.get("/rubryka/nemaie/feed/").status_code == 404
    assert client.get("/tema/nemaie/feed/atom/").status_code == 404


def test_control_characters_from_imports_do_not_break_the_feed(client):
    factories.article("Заголовок\x0bз сміттям", body="<p>Текст\x01 тут</p>", lead="Лід\x1f")
    for url in ("/feed/", "/feed/atom/"):
        _, feed = parse(client, url)
        assert feed.entries[0].title == "Заголовокз сміттям"


def test_feeds_answer_conditional_requests_with_304(client, newsroom):
    response = client.get("/feed/")
    assert response["Last-Modified"]
    assert response["ETag"]
    assert response["Cache-Control"]
    again = client.get("/feed/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304
    again = client.get("/feed/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_an_edit_makes_the_feed_modified_again(client, newsroom):
    before = client.get("/feed/")
    newsroom["first"].title = "Вибори: нові дані"
    newsroom["first"].save()
    after = client.get("/feed/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Вибори: нові дані" in after.content.decode()


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def covers(settings, tmp_path):
    """An uploaded cover, two imported ones (one without an extension) and no cover at all."""
    settings.MEDIA_ROOT = tmp_path
    uploaded = factories.article(
        "Фото з редакції", cover_image=png_upload(), age=timedelta(hours=4)
    )
    remote = "https://cdn.example.com/img/photo.webp?w=800"
    factories.article("Фото з агенції", cover_image_url=remote, age=timedelta(hours=3))
    factories.article(
        "Без розширення", cover_image_url="https://cdn.example.com/image/42", age=timedelta(hours=2)
    )
    factories.article("Без фото", age=timedelta(hours=1))
    return uploaded


def enclosures_by_title(feed) -> dict[str, list]:
    return {
        entry.title: [(e.href, e.get("length"), e.type) for e in entry.enclosures]
        for entry in feed.entries
    }


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_a_cover_is_the_item_enclosure_with_its_length_and_type(client, covers, url):
    _, feed = parse(client, url)
    found = enclosures_by_title(feed)
    size = str(covers.cover_image.size)
    assert found["Фото з редакції"] == [(SITE + covers.cover_image.url, size, "image/png")]
    assert found["Фото з агенції"] == [
        ("https://cdn.example.com/img/photo.webp?w=800", "0", "image/webp")
    ]
    assert found["Без розширення"] == [("https://cdn.example.com/image/42", "0", "image/jpeg")]
    assert found["Без фото"] == []


def test_the_rss_enclosure_carries_the_three_required_attributes(client, covers):
    channel = ElementTree.fromstring(client.get("/feed/").content).find("channel")
    enclosures = [item.find("enclosure") for item in channel.iter("item")]
    assert [e.attrib if e is not None else None for e in enclosures] == [
        None,
        {"url": "https://cdn.example.com/image/42", "length": "0", "type": "image/jpeg"},
        {
            "url": "https://cdn.example.com/img/photo.webp?w=800",
            "length": "0",
            "type": "image/webp",
        },
        {
            "url": SITE + covers.cover_image.url,
            "length": str(covers.cover_image.size),
            "type": "image/png",
        },
    ]


def test_a_cover_missing_from_storage_leaves_the_length_unknown(client, covers):
    Path(covers.cover_image.path).unlink()
    _, feed = parse(client, "/feed/")
    href, length, kind = enclosures_by_title(feed)["Фото з редакції"][0]
    assert (length, kind) == ("0", "image/png")


DC = "{http://purl.org/dc/elements/1.1/}"
MARKUP = "<svg onload=alert(1006)>"


@pytest.mark.parametrize("kind", ["category", "tag", "author"])
def test_names_with_markup_reach_rss_escaped_as_item_descriptions_are(client, kind):
    """RSS readers take these elements as HTML: a name is text there, never an element."""
    rubric = factories.category(f"ct1006 {MARKUP}")
    writer = factories.author(f"au1006 {MARKUP}")
    story = factories.article(
        f"Новина {MARKUP}",
        lead=f"Лід {MARKUP}",
        category=rubric,
        tags=[f"tg1006 {MARKUP}"],
        authors=[writer],
    )
    subject = {"category": rubric, "tag": story.tags.get(), "author": writer}[kind]
    response = client.get(subject.get_absolute_url() + "feed/")
    assert response.status_code == 200
    channel = ElementTree.fromstring(response.content).find("channel")
    item = channel.find("item")
    texts = [
        channel.findtext("title"),
        channel.findtext("description"),
        item.findtext("title"),
        item.findtext("description"),
        item.findtext(f"{DC}creator"),
        *[category.text for category in item.findall("category")],
    ]
    assert len(texts) == 7
    for text in texts:
        assert "<svg" not in text, text
        assert "&lt;svg onload=alert(1006)&gt;" in text, text
    # A reader, showing the HTML, shows the names as they were written.
    _, feed = parse(client, subject.get_absolute_url() + "feed/")
    assert MARKUP in unescape(feed.feed.title) and MARKUP in unescape(feed.feed.subtitle)
    assert unescape(feed.entries[0].title) == f"Новина {MARKUP}"
    assert unescape(feed.entries[0].author) == f"au1006 {MARKUP}"
    terms = [unescape(t.term) for t in feed.entries[0].tags]
    assert terms == [f"ct1006 {MARKUP}", f"tg1006 {MARKUP}"]


def test_names_with_markup_stay_plain_text_in_atom(client):
    """Atom says what its text is: titles and names are type text, so they are not escaped twice."""
    rubric = factories.category(f"ct1006 {MARKUP}")
    factories.article(f"Новина {MARKUP}", category=rubric, authors=[factories.author("Автор")])
    _, feed = parse(client, rubric.get_absolute_url() + "feed/atom/")
    assert feed.feed.title.endswith(f"ct1006 {MARKUP}")
    assert feed.entries[0].title == f"Новина {MARKUP}"
    assert [t.term for t in feed.entries[0].tags] == [f"ct1006 {MARKUP}"]
