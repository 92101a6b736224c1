"""«Більше подібного» items kept by each process by what they show (related/templatetags/
related.py, issue 18): the block reads its list's ids and dates, writes only items it has not
written since their stories' last save, and shows every change of a listed story at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpRequest
from django.template import Context
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shpalta.news import factories, fragments
from shpalta.news.models import Article
from shpalta.photos import library
from shpalta.related.models import RelatedLink
from shpalta.related.templatetags import related as tags
from tests.photos.images import jpeg

# Committed transactions: the version changes after the commit (shpalta.changes).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.SHPALTA_PAGE_CACHE = False
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
    tags._items.clear()


def listing(story, *others):
    RelatedLink.objects.filter(article=story).delete()
    for rank, other in enumerate(others):
        RelatedLink.objects.create(article=story, related=other, rank=rank, score=1 - rank / 10)


def in_request(story, version="v1") -> str:
    request = HttpRequest()
    fragments.use_version(request, version)
    return tags.related_block_items(Context({"request": request}), story)


def loop(story) -> str:
    return tags.related_list_items(tags.related_items(story))


@pytest.fixture
def stories():
    image, _ = library.add(jpeg(1600, 900), "міст.jpg", alt="Міст")
    first = factories.article("Перша")
    second = factories.article("Друга")
    listed = [
        factories.article("Міст через Дніпро", cover=image, lead="Опис & «лапки»"),
        factories.article('Лапки "такі"', cover_image_url="https://example.com/a.jpg?x=1&y=<2>"),
        factories.article("Без обкладинки"),
    ]
    listing(first, *listed)
    listing(second, listed[2], listed[0])
    return first, second, listed


def test_the_kept_items_equal_the_items_written_whole(stories):
    first, second, _ = stories
    assert in_request(first) == loop(first) != ""
    assert in_request(second) == loop(second)
    assert in_request(first) == loop(first)  # from what this process kept


def test_a_story_whose_items_were_written_reads_only_its_list(stories):
    first, second, _ = stories
    in_request(first)
    with CaptureQueriesContext(connection) as captured:
        html = in_request(second)
    assert html == loop(second)
    assert len(captured.captured_queries) == 1, [q["sql"] for q in captured]
    assert "news_storypagegeneration" not in captured.captured_queries[0]["sql"]


def test_an_edited_story_shows_in_every_list_at_once(stories):
    first, second, listed = stories
    in_request(first)
    story = Article.objects.get(pk=listed[2].pk)
    story.title = "Нова назва"
    story.save()
    assert "Нова назва" in in_request(second, version="v2")
    assert "Без обкладинки" not in in_request(first, version="v2")


def test_an_edited_library_photo_shows_at_once(stories):
    first, _, listed = stories
    before = in_request(first)
    image = Article.objects.get(pk=listed[0].pk).cover
    image.focal_x, image.focal_y = 10, 90  # the crop's address changes
    image.save()
    after = in_request(first, version="v2")
    assert after == loop(first) and after != before


def test_a_scheduled_story_joins_the_list_when_its_time_comes(stories):
    first, _, listed = stories
    later = factories.article("Заплановано", published_at=timezone.now() + timedelta(hours=1))
    listing(first, later, *listed)
    assert "Заплановано" not in in_request(first)
    Article.objects.filter(pk=later.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert "Заплановано" in in_request(first)  # no save: the list's dates are read per page


def test_outside_a_reader_request_nothing_is_kept(stories):
    first, _, _ = stories
    html = tags.related_block_items(Context({}), first)
    assert html == loop(first) and not tags._items


def test_the_kept_items_are_let_go_when_full(stories, monkeypatch):
    first, _, listed = stories
    monkeypatch.setattr(tags, "ITEMS_MAX", 3)
    in_request(first)
    assert len(tags._items) == 3
    third = factories.article("Третя")
    listing(third, factories.article("Нова в списку"), listed[0])
    assert in_request(third) == loop(third)
    assert len(tags._items) == 2  # all let go, then the two of this list
