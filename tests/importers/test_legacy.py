"""Old addresses answer 301 with the new page; nothing else changes for live pages."""

import pytest

from shpalta.importers import legacy
from shpalta.importers.models import LegacyURL
from shpalta.news import factories
from shpalta.news.models import Article


@pytest.mark.parametrize(
    ("old", "key"),
    [
        (
            "https://old.example/2010/10/05/post-format-standard/",
            "/2010/10/05/post-format-standard/",
        ),
        ("/2010/10/05/Post-Format-Standard", "/2010/10/05/post-format-standard/"),
        ("https://old.example/?p=123", "/?p=123"),
        ("/index.php?p=123&utm_source=x", "/?p=123"),
        ("/index.php/2010/10/slug/", "/2010/10/slug/"),
        ("/%D0%BD%D0%BE%D0%B2%D0%B8%D0%BD%D0%B0/", "/новина/"),
        ("/blog/post.html", "/blog/post.html"),
        ("/category/news/?utm_source=x", "/category/news/"),
        ("/?cat=7", "/?cat=7"),
    ],
)
def test_normalise_path(old, key):
    assert legacy.normalise_path(old) == key


@pytest.fixture
def article(db):
    item = factories.article("Стаття, що переїхала")
    legacy.remember(
        [
            "https://old.example/2019/05/01/stattia/",
            "/?p=42",
            "/%D1%81%D1%82%D0%B0%D1%82%D1%82%D1%8F/",
        ],
        source="wxr:test",
        article=item,
    )
    return item


def test_old_addresses_redirect_permanently(article, client):
    for old in (
        "/2019/05/01/stattia/",
        "/2019/05/01/stattia",
        "/?p=42",
        "/index.php?p=42",
        "/стаття/",
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == article.get_absolute_url()


def test_live_pages_and_unknown_addresses_are_untouched(article, client):
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/?p=999").status_code == 200  # an unknown id: just the home page
    assert client.get("/2019/05/01/insha/").status_code == 404
    assert client.post("/2019/05/01/stattia/").status_code in {403, 404, 405}


def test_a_draft_is_not_revealed_by_its_old_address(article, client):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get("/2019/05/01/stattia/").status_code == 404


def test_category_tag_and_author_archives(db, client):
    category = factories.category("Політика")
    tag = factories.tag("вибори")
    author = factories.author("Ольга Петренко")
    legacy.remember(["/category/polityka/"], source="wxr:test", category=category)
    legacy.remember(["/tag/vybory/"], source="wxr:test", tag=tag)
    legacy.remember(["/author/olha/"], source="wxr:test", author=author)
    assert client.get("/category/polityka/")["Location"] == category.get_absolute_url()
    assert client.get("/tag/vybory/")["Location"] == tag.get_absolute_url()
    assert client.get("/author/olha/")["Location"] == author.get_absolute_url()


def test_remember_moves_an_address_to_its_new_target(article, db):
    other = factories.article("Інша стаття")
    legacy.remember(["/?p=42"], source="wxr:test", article=other)
    assert LegacyURL.objects.get(path="/?p=42").article == other
    assert LegacyURL.objects.filter(article=article).count() == 2


def test_admin_lists_old_addresses(article, staff_client):
    response = staff_client.get("/admin/importers/legacyurl/?q=stattia")
    assert response.status_code == 200
    assert "/2019/05/01/stattia/" in response.content.decode()
