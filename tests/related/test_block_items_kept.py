"""«Більше подібного» items kept in the database by what they show (related.KeptItem, issue 18):
a story page reads its list with the items in one query, writes only items not written since
their stories' last save (or since a photo, rubric, tag or author edit, or a new release), and
shows every change of a listed story at once."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpRequest
from django.template import Context
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shpalta.news import factories, fragments, stored
from shpalta.news.models import Article
from shpalta.photos import library
from shpalta.related.models import KeptItem, RelatedLink
from shpalta.related.templatetags import related as tags
from tests.photos.images import jpeg

# Committed transactions: the version changes after the commit (shpalta.changes).
pytestmark = pytest.mark.django_db(transaction=True)


RUN = ""


@pytest.fixture(autouse=True)
def fragments_on(settings, monkeypatch):
    global RUN
    RUN = uuid.uuid4().hex  # versions no other test (nor an earlier run's cache) has seen
    settings.SHPALTA_PAGE_CACHE = False
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
    settings.SHPALTA_STORED_PAGES = True


def listing(story, *others):
    RelatedLink.objects.filter(article=story).delete()
    for rank, other in enumerate(others):
        RelatedLink.objects.create(article=story, related=other, rank=rank, score=1 - rank / 10)


def in_request(story, version="v1") -> str:
    request = HttpRequest()
    fragments.use_version(request, f"{RUN}-{version}")
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
    assert len(captured.captured_queries) == 1, [q["sql"] for q in captured.captured_queries]
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
    assert html == loop(first) and not KeptItem.objects.exists()


def test_kept_items_outlive_a_new_version_and_the_process(stories, monkeypatch):
    first, second, _ = stories
    in_request(first)
    assert KeptItem.objects.count() == 3
    monkeypatch.setattr(stored, "_kept", ("", 0))  # a new process: nothing remembered
    expected = loop(second)
    with CaptureQueriesContext(connection) as captured:
        assert in_request(second, version="v2") == expected
    tables = " ".join(q["sql"].split(" FROM ")[1][:40] for q in captured.captured_queries)
    assert len(captured.captured_queries) == 2, tables  # the generation, the list with items
    assert KeptItem.objects.count() == 3  # nothing written again


def test_a_new_release_writes_each_item_again(stories, monkeypatch):
    first, _, _ = stories
    in_request(first)
    monkeypatch.setattr(stored, "_release", "another-release")
    assert in_request(first) == loop(first)
    assert set(KeptItem.objects.values_list("stamp", flat=True)) == {
        stamp
        for stamp in KeptItem.objects.values_list("stamp", flat=True)
        if stamp.startswith("another-release:")
    }
