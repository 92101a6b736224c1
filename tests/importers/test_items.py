"""tidy_item(): what every importer's items look like before they reach the database."""

import pytest

from shpalta.importers.items import Item, tidy_item
from shpalta.news.models import Article


def item(**fields) -> Item:
    return Item(source="test", import_source="test", import_id="1", title="Назва", **fields)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        " JavaScript:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/photo.jpg",
        "//example.org/photo.jpg",
        "/relative/photo.jpg",
    ],
)
def test_links_that_are_not_web_addresses_are_dropped(url):
    """The article page links to source_url and shows cover_image_url; only http(s) may
    reach it, whichever importer read the item."""
    tidied = tidy_item(item(source_url=url, cover_image_url=url))
    assert tidied.source_url == ""
    assert tidied.cover_image_url == ""


def test_web_addresses_are_kept_and_cut_to_the_field_length():
    source_max = Article._meta.get_field("source_url").max_length
    cover_max = Article._meta.get_field("cover_image_url").max_length
    long_url = "https://example.org/" + "a" * 2000
    tidied = tidy_item(item(source_url=long_url, cover_image_url=long_url))
    assert tidied.source_url == long_url[:source_max]
    assert tidied.cover_image_url == long_url[:cover_max]
    kept = tidy_item(item(source_url=" HTTP://example.org/a ", cover_image_url="https://x.org/i"))
    assert kept.source_url == "HTTP://example.org/a"
    assert kept.cover_image_url == "https://x.org/i"
