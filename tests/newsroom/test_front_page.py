"""Front-page curation: an editor pins the lead story and top slots, each until an optional
time; unpinned places, and the whole page with nothing pinned, fill with the newest stories."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shpalta.caching.models import SiteVersion
from shpalta.news import factories
from shpalta.news.models import FrontPageSlot

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    """Ten live stories, newest first: «Новина 0» is a minute old, «Новина 9» ten."""
    return [factories.article(f"Новина {n}", age=timedelta(minutes=n + 1)) for n in range(10)]


def home(client):
    context = client.get("/").context
    return context["lead"], list(context["featured"]), list(context["latest"])


def titles(articles):
    return [article.title for article in articles]


def test_with_nothing_pinned_the_newest_stories_fill_the_page(client, stories):
    lead, featured, latest = home(client)
    assert lead.title == "Новина 0"
    assert titles(featured) == ["Новина 1", "Новина 2", "Новина 3", "Новина 4"]
    assert titles(latest)[0] == "Новина 5"


def test_pinned_stories_take_their_places_and_the_newest_fill_the_rest(client, stories):
    FrontPageSlot.objects.create(position=FrontPageSlot.LEAD, article=stories[7])
    FrontPageSlot.objects.create(position=2, article=stories[9])
    lead, featured, latest = home(client)
    assert lead.title == "Новина 7"
    assert titles(featured) == ["Новина 0", "Новина 9", "Новина 1", "Новина 2"]
    assert titles(latest) == ["Новина 3", "Новина 4", "Новина 5", "Новина 6", "Новина 8"]


def test_a_pin_lapses_at_its_time(client, stories):
    FrontPageSlot.objects.create(
        position=FrontPageSlot.LEAD, article=stories[7], until=timezone.now() + timedelta(hours=2)
    )
    assert home(client)[0].title == "Новина 7"
    FrontPageSlot.objects.update(until=timezone.now() - timedelta(seconds=1))
    assert home(client)[0].title == "Новина 0"


def test_a_pinned_story_readers_may_not_see_is_not_shown(client, stories):
    draft = factories.article("Чернетка", status="draft")
    scheduled = factories.article("Завтрашня", published_at=timezone.now() + timedelta(days=1))
    FrontPageSlot.objects.create(position=FrontPageSlot.LEAD, article=draft)
    FrontPageSlot.objects.create(position=1, article=scheduled)
    lead, featured, latest = home(client)
    shown = titles([lead, *featured, *latest])
    assert "Чернетка" not in shown and "Завтрашня" not in shown
    assert lead.title == "Новина 0"


def test_a_pin_changes_the_site_version_and_its_expiry_is_due(
    stories, django_capture_on_commit_callbacks
):
    until = timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        FrontPageSlot.objects.create(position=FrontPageSlot.LEAD, article=stories[5], until=until)
    version = SiteVersion.objects.get()
    assert version.next_due == until
    with django_capture_on_commit_callbacks(execute=True):
        FrontPageSlot.objects.all().delete()
    assert SiteVersion.objects.get().token != version.token
