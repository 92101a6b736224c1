"""A story page's «Більше подібного» kept in its stored page (`{% hole "related" kept
"related" %}`, news/stored.py, issue 18): a later view takes the block from the page's row
after one query of the list's ids, and shows every change of what the block shows at once —
its list written again, a listed story saved, withdrawn (even by a bare UPDATE) or come due."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article, StoryPage
from shpalta.related.models import KeptItem, RelatedLink
from tests.news.test_stored_pages import get, stored_on, whole  # noqa: F401 - the fixture

# Committed transactions: the version changes after the commit (shpalta.changes).
pytestmark = pytest.mark.django_db(transaction=True)


def listing(story, *others):
    RelatedLink.objects.filter(article=story).delete()
    for rank, other in enumerate(others):
        RelatedLink.objects.create(article=story, related=other, rank=rank, score=1 - rank / 10)


@pytest.fixture
def story():
    story = factories.article("Головна історія")
    listing(story, factories.article("Перша схожа"), factories.article("Друга схожа"))
    return story


def block(page: str) -> str:
    """The «Більше подібного» section of a page ("" when it has none): «Популярне» beside
    the story lists the same stories."""
    start = page.find('<section class="related"')
    return "" if start < 0 else page[start : page.index("</section>", start)]


def kept_parts(story) -> str:
    return StoryPage.objects.get(article=story).parts


def test_the_block_is_kept_with_the_page_and_served_from_it(client, settings, story):
    path = story.get_absolute_url()
    expected = whole(client, settings, path)
    assert "Перша схожа" in block(expected) and "Друга схожа" in block(expected)
    assert get(client, path) == expected  # first view: rendered, kept with its block
    assert "Перша схожа" in kept_parts(story)
    with CaptureQueriesContext(connection) as captured:
        assert get(client, path) == expected
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert KeptItem._meta.db_table not in read  # the items were not read again
    assert "UPDATE" not in read and "INSERT" not in read  # nor written


def test_a_listed_story_saved_shows_at_once(client, settings, story):
    path = story.get_absolute_url()
    get(client, path)
    first = Article.objects.get(title="Перша схожа")
    first.title = "Перша, виправлена"
    first.save()
    page = get(client, path)
    assert "Перша, виправлена" in block(page) and "Перша схожа" not in block(page)
    assert page == whole(client, settings, path)
    assert "Перша, виправлена" in kept_parts(story)  # kept again
    assert get(client, path) == page


def test_a_list_written_again_shows_at_once(client, settings, story):
    path = story.get_absolute_url()
    get(client, path)
    listing(story, factories.article("Нова схожа"), Article.objects.get(title="Друга схожа"))
    page = get(client, path)
    assert "Нова схожа" in block(page) and "Перша схожа" not in block(page)
    assert page == whole(client, settings, path)


def test_a_listed_story_withdrawn_by_a_bare_update_is_gone(client, settings, story):
    path = story.get_absolute_url()
    get(client, path)
    # No save, no signal, no new updated_at: the list's ids through the publishing rule differ.
    Article.objects.filter(title="Перша схожа").update(status=Article.Status.DRAFT)
    page = get(client, path)
    assert "Перша схожа" not in block(page) and "Друга схожа" in block(page)
    assert page == whole(client, settings, path)


def test_a_listed_story_come_due_appears_without_any_write(client, settings, story):
    later = factories.article("Запланована", published_at=timezone.now() + timedelta(hours=2))
    listing(story, Article.objects.get(title="Перша схожа"), later)
    path = story.get_absolute_url()
    assert "Запланована" not in block(get(client, path))
    # Its time comes: nothing is saved (a bare UPDATE stands in for the clock moving on).
    Article.objects.filter(pk=later.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    page = get(client, path)
    assert "Запланована" in block(page)
    assert page == whole(client, settings, path)


def test_a_page_with_an_empty_list_keeps_the_bare_line_end(client, settings):
    story = factories.article("Самотня історія")
    path = story.get_absolute_url()
    expected = whole(client, settings, path)
    assert get(client, path) == expected
    assert get(client, path) == expected
    assert block(expected) == ""
