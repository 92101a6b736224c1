"""Whole-page caching for anonymous readers, its invalidation, and HTTP validators."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from shpalta.caching import versioning
from shpalta.caching.models import SiteVersion
from shpalta.news import factories

# Committed transactions, as in a real request: the site version changes after the commit
# (shpalta.changes), which a test wrapped in one never-committed transaction would not reach.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    """No cache.clear(): on Redis that would flush a database others may share. Each test's
    pages are keyed by a fresh random version token (the version table is emptied)."""
    settings.SHPALTA_PAGE_CACHE = True


def get(client, path, **headers):
    return client.get(path, **headers)


def test_a_second_anonymous_request_is_served_from_the_cache(client):
    article = factories.article("Перша версія")
    first = get(client, article.get_absolute_url())
    second = get(client, article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"]


def test_editing_an_article_shows_the_edit_on_the_next_request(client):
    article = factories.article("Перша версія", body="<p>Старий текст.</p>")
    for path in (article.get_absolute_url(), "/", "/feed/"):
        get(client, path)
        assert get(client, path)["X-Page-Cache"] == "hit"
    article.title = "Друга версія"
    article.body = "<p>Новий текст.</p>"
    article.save()
    page = get(client, article.get_absolute_url()).content.decode()
    assert "Друга версія" in page and "Новий текст." in page
    assert "Друга версія" in get(client, "/").content.decode()
    assert "Друга версія" in get(client, "/feed/").content.decode()


def test_renaming_a_category_or_changing_tags_shows_on_the_next_request(client):
    politics = factories.category("Політика")
    article = factories.article("Новина", category=politics, tags=["старий-тег"])
    path = article.get_absolute_url()
    get(client, path)
    politics.name = "Влада"
    politics.save()
    assert "Влада" in get(client, path).content.decode()
    get(client, path)
    article.tags.add(factories.tag("новий тег"))
    assert "новий тег" in get(client, path).content.decode()
    tag = factories.tag("новий тег")
    tag.name = "перейменований"
    tag.save()
    assert "перейменований" in get(client, path).content.decode()


def test_unpublishing_and_deleting_take_effect_at_once(client):
    article = factories.article("Зникне")
    path = article.get_absolute_url()
    assert get(client, path).status_code == 200
    article.status = "draft"
    article.save()
    assert get(client, path).status_code == 404
    other = factories.article("Видалена")
    get(client, "/")
    other.delete()
    assert "Видалена" not in get(client, "/").content.decode()


def test_a_scheduled_article_appears_when_its_time_comes_without_a_save(client):
    start = timezone.now()
    factories.article("Заплановано", published_at=start + timedelta(minutes=5))
    with freeze_time(start):
        assert "Заплановано" not in get(client, "/").content.decode()
        assert get(client, "/")["X-Page-Cache"] == "hit"
    with freeze_time(start + timedelta(minutes=6)):
        assert "Заплановано" in get(client, "/").content.decode()


def test_logged_in_editors_never_get_or_fill_the_cache(staff_client):
    article = factories.article("Новина")
    path = article.get_absolute_url()
    editor = staff_client.get(path)
    assert "X-Page-Cache" not in editor
    assert "private" in editor["Cache-Control"] and "no-cache" in editor["Cache-Control"]
    assert "X-Page-Cache" not in staff_client.get(path)
    assert get(Client(), path)["X-Page-Cache"] == "miss"


def test_admin_preview_and_api_are_never_cached(staff_client):
    article = factories.article("Новина")
    anonymous = Client()
    for path in ("/api/articles", f"/api/articles/{article.pk}"):
        get(anonymous, path)
        assert "X-Page-Cache" not in get(anonymous, path)
    preview = staff_client.get(f"/peredohliad/{article.pk}/")
    assert "X-Page-Cache" not in preview
    assert "no-cache" in preview["Cache-Control"]


def test_previews_and_the_health_check_are_never_stored(staff_client):
    """Neither needs a path rule in the middleware: each answer already refuses caching."""
    article = factories.article("Новина")
    preview, client = f"/peredohliad/{article.pk}/", Client()
    for _ in range(2):
        anonymous = get(client, preview)
        assert anonymous.status_code == 302 and "X-Page-Cache" not in anonymous
        editor = staff_client.get(preview)
        assert editor.status_code == 200 and "X-Page-Cache" not in editor
        assert "no-cache" in editor["Cache-Control"]
        health = get(client, "/healthz")
        assert health.status_code == 200 and "X-Page-Cache" not in health
        assert "no-cache" in health["Cache-Control"]


def test_responses_that_set_cookies_are_not_stored(client):
    """A CSRF token or a session cookie belongs to one visitor, not to every reader."""
    response = get(client, "/admin/login/")
    assert response.cookies
    assert "X-Page-Cache" not in response
    factories.article("Новина")
    page = get(client, "/")
    assert not page.cookies
    assert "csrfmiddlewaretoken" not in page.content.decode()


def test_pages_answer_conditional_requests_with_304(client):
    article = factories.article("Новина")
    path = article.get_absolute_url()
    first = get(client, path)
    by_etag = get(client, path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = get(client, path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    article.title = "Оновлена"
    article.save()
    assert get(client, path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_version_changes_once_per_save_and_survives_a_missing_row(client):
    before = versioning.current()
    factories.category("Нова")
    after = versioning.current()
    assert after.token != before.token
    assert versioning.current().token == after.token
    SiteVersion.objects.all().delete()
    assert versioning.current().token not in {before.token, after.token}


def test_search_form_stays_a_get_form_without_csrf(client):
    factories.article("Новина")
    page = get(client, "/").content.decode()
    assert 'method="get"' in page
    assert "csrfmiddlewaretoken" not in page
