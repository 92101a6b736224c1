"""Cards and blocks cached as fragments under the content version: reused between pages,
never shown stale after a publish or an edit (issue 18)."""

from datetime import timedelta

import pytest
from django.template import RequestContext, Template
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from shpalta.caching import versioning
from shpalta.live.models import BreakingNews
from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.related.models import RelatedLink

# Committed transactions: the version changes after the commit (shpalta.changes).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def renders_every_time(settings):
    """The page cache off, so each request renders and only the fragments can be reused."""
    settings.SHPALTA_PAGE_CACHE = False
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_card_is_rendered_once_per_version_and_reused(client):
    story = factories.article("Заголовок у картці")
    assert "Заголовок у картці" in home(client)
    # Behind the site's back (no save, no signal, no new version): the stored card stays.
    Article.objects.filter(pk=story.pk).update(title="Змінено в обхід")
    assert "Заголовок у картці" in home(client)
    versioning.bump()
    assert "Змінено в обхід" in home(client)


def test_an_edit_shows_in_its_card_at_once(client):
    story = factories.article("Перша версія")
    assert "Перша версія" in home(client)
    story.title = "Друга версія"
    story.save()
    page = home(client)
    assert "Друга версія" in page and "Перша версія" not in page


def test_a_publish_shows_at_once_and_old_cards_do_not_linger(client):
    factories.article("Стара новина")
    home(client)
    draft = factories.article("Щойно опублікована", status=Article.Status.DRAFT)
    assert "Щойно опублікована" not in home(client)
    assert draft.publish()
    assert "Щойно опублікована" in home(client)
    draft.unpublish()
    assert "Щойно опублікована" not in home(client)


def test_a_renamed_rubric_shows_in_every_card(client):
    rubric = factories.category("Політика")
    factories.article("Новина рубрики", category=rubric)
    assert "Політика" in home(client)
    rubric.name = "Влада"
    rubric.save()
    page = home(client)
    assert "Влада" in page and ">Політика<" not in page


def test_the_related_block_follows_its_stories_edits(client):
    seed = factories.article("Головна історія")
    other = factories.article("Схожа історія")
    RelatedLink.objects.update_or_create(
        article=seed, related=other, defaults={"rank": 0, "score": 0.5}
    )
    versioning.bump()  # a list written by the related task changes the version the same way
    assert "Схожа історія" in client.get(seed.get_absolute_url()).content.decode()
    other.title = "Схожа історія, виправлено"
    other.save()
    page = client.get(seed.get_absolute_url()).content.decode()
    assert "Схожа історія, виправлено" in page


def test_without_a_version_nothing_is_stored(rf):
    """A request the middleware did not see (no version) renders the card afresh each time."""
    story = factories.article("Без версії")
    request = rf.get("/")
    card = Template("{% load cards %}{% card article %}")
    first = card.render(RequestContext(request, {"article": story}))
    Article.objects.filter(pk=story.pk).update(title="Змінено")
    story.refresh_from_db()
    second = card.render(RequestContext(request, {"article": story}))
    assert "Без версії" in first and "Змінено" in second


def test_editors_pages_use_the_same_fragments_and_stay_fresh(admin_client: Client):
    story = factories.article("Для редактора")
    assert "Для редактора" in admin_client.get("/").content.decode()
    story.title = "Для редактора, нове"
    story.save()
    assert "Для редактора, нове" in admin_client.get("/").content.decode()


def test_the_breaking_strip_follows_its_saves_and_its_expiry(client):
    story = factories.article("Тривога")
    assert 'class="breaking' not in home(client)
    start = timezone.now()
    strip = BreakingNews.objects.create(
        article=story, text="Вибухи в Києві", expires_at=start + timedelta(minutes=30)
    )
    assert "Вибухи в Києві" in home(client)
    strip.text = "Відбій тривоги"
    strip.save()
    assert "Відбій тривоги" in home(client)
    with freeze_time(start + timedelta(minutes=31)):
        assert "Відбій тривоги" not in home(client)
