"""The «Терміново» strip: on every reader page while it runs, linking to its story, gone when it
expires even though nothing was saved."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from freezegun import freeze_time

from shpalta.live.models import BreakingNews
from shpalta.news import factories


def strip(client, path="/"):
    return BeautifulSoup(client.get(path).content, "html.parser").select_one(".breaking")


@pytest.mark.django_db
def test_the_strip_shows_on_every_page_and_links_to_its_story(client):
    story = factories.article("Масована атака на енергетику")
    other = factories.article("Інша новина")
    BreakingNews.objects.create(article=story, expires_at=timezone.now() + timedelta(hours=2))
    for path in ("/", other.get_absolute_url(), "/search/?q=атака"):
        found = strip(client, path)
        assert found.select_one(".breaking__label").get_text() == "Терміново"
        link = found.select_one("a")
        assert link["href"] == story.get_absolute_url() and link.get_text() == story.title


@pytest.mark.django_db
def test_an_editors_text_replaces_the_headline_and_a_draft_story_shows_no_strip(client):
    story = factories.article("Заголовок")
    draft = factories.article("Чернетка", status="draft")
    soon = timezone.now() + timedelta(hours=1)
    BreakingNews.objects.create(article=story, text="Вибухи в Києві", expires_at=soon)
    assert strip(client).select_one("a").get_text() == "Вибухи в Києві"
    BreakingNews.objects.all().delete()
    BreakingNews.objects.create(article=draft, expires_at=soon)
    assert strip(client) is None


@pytest.mark.django_db(transaction=True)
def test_cached_pages_drop_the_strip_when_it_expires_without_a_save(client, settings):
    settings.SHPALTA_PAGE_CACHE = True
    start = timezone.now()
    story = factories.article("Тривога", published_at=start - timedelta(hours=1))
    BreakingNews.objects.create(
        article=story, starts_at=start, expires_at=start + timedelta(minutes=30)
    )
    with freeze_time(start + timedelta(minutes=1)):
        assert strip(client) is not None
        assert client.get("/")["X-Page-Cache"] == "hit"
    with freeze_time(start + timedelta(minutes=31)):
        assert strip(client) is None
