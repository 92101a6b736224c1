"""A new entry retires only its live story's cached page and feed, never the whole site's, and
an entry's edit or deletion reaches readers through the page cache."""

import pytest
from django.test import Client

from shpalta.caching import scopes, versioning
from shpalta.live import service
from shpalta.live.models import LiveEntry
from shpalta.news import factories

# Committed transactions: scopes and the site version change after the commit, as in a request.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.SHPALTA_PAGE_CACHE = True


def warm(client, *paths):
    """Asked until stored: a live page's first answer only notes its scope."""
    for path in paths:
        for _ in range(3):
            if client.get(path).get("X-Page-Cache") == "hit":
                break
        assert client.get(path)["X-Page-Cache"] == "hit", path


def two_stories():
    live = factories.article("Онлайн: тривога")
    other_live = factories.article("Онлайн: повінь")
    ordinary = factories.article("Звичайна новина")
    for article in (live, other_live):
        service.start(article.pk)
        service.post(article.pk, "Перше оновлення")
    return live, other_live, ordinary


def test_one_live_storys_new_entry_does_not_invalidate_other_pages(client):
    live, other_live, ordinary = two_stories()
    feed = f"/api/live/{live.pk}"
    others = ["/", ordinary.get_absolute_url(), other_live.get_absolute_url(), "/feed/"]
    others.append(f"/api/live/{other_live.pk}")
    warm(client, live.get_absolute_url(), feed, *others)
    site = versioning.current().token

    service.post(live.pk, "<p>Нове оновлення</p>")

    assert versioning.current().token == site
    for path in others:
        assert client.get(path)["X-Page-Cache"] == "hit", path
    assert client.get(live.get_absolute_url())["X-Page-Cache"] == "miss"
    assert "Нове оновлення" in client.get(live.get_absolute_url()).content.decode()
    assert client.get(feed).json()["count"] == 2


def test_an_entry_edit_and_deletion_reach_readers(client):
    live, _, _ = two_stories()
    path = live.get_absolute_url()
    entry = LiveEntry.objects.get(coverage__article=live)
    warm(client, path, f"/api/live/{live.pk}")
    entry.text = "<p>Виправлене оновлення</p>"
    entry.save()
    html = client.get(path).content.decode()
    assert "Виправлене оновлення" in html and "Перше оновлення" not in html
    entry.delete()
    warm(client, path)
    assert "Виправлене оновлення" not in client.get(path).content.decode()
    assert client.get(f"/api/live/{live.pk}").json()["count"] == 0


def test_an_entry_rolled_back_changes_no_scope(client):
    live, _, _ = two_stories()
    before = scopes.token(service.scope(live.pk))
    with pytest.raises(service.LiveError):
        service.post(live.pk, "   ")
    assert scopes.token(service.scope(live.pk)) == before


def test_starting_a_live_story_turns_its_cached_ordinary_page_live(client):
    article = factories.article("Стане трансляцією")
    warm(client, article.get_absolute_url())
    service.start(article.pk)
    assert 'class="live"' in Client().get(article.get_absolute_url()).content.decode()
