"""What editors see of the importers' tables in the admin is in Ukrainian."""

from shpalta.importers import legacy
from shpalta.importers.models import FeedSource, LegacyURL
from shpalta.news import factories


def test_old_address_and_feed_fields_have_ukrainian_labels():
    labels = {
        name: str(LegacyURL._meta.get_field(name).verbose_name)
        for name in ("article", "category", "tag", "author")
    }
    assert labels == {"article": "стаття", "category": "рубрика", "tag": "тег", "author": "автор"}
    assert str(FeedSource._meta.get_field("etag").verbose_name) == "ETag"


def test_the_admin_list_of_old_addresses_shows_the_labels(staff_client, db):
    legacy.remember(["/?p=1"], source="wxr:test", article=factories.article("Стаття"))
    page = staff_client.get("/admin/importers/legacyurl/").content.decode()
    for label in ("Стаття", "Рубрика", "Тег", "Автор"):
        assert f">{label}<" in page, label
