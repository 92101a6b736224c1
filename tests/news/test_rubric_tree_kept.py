"""The rubric tree is kept by each process for the site version it serves: pages of one
version read and rebuild nothing, and a rubric saved shows on the next page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shpalta.caching import versioning
from shpalta.news import factories, rubrics
from shpalta.news.models import Category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.SHPALTA_PAGE_CACHE = False
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600


def test_pages_of_one_version_share_one_tree():
    politics = factories.category("Політика")
    story = factories.article("Новина в рубриці", category=politics)
    client = Client()
    client.get(story.get_absolute_url())
    first = rubrics._kept
    assert first is not None and first[0] == versioning.current().token
    with CaptureQueriesContext(connection) as read:
        page = client.get(story.get_absolute_url()).content.decode()
    assert rubrics._kept[1] is first[1]  # the same tree, not rebuilt
    assert not [q for q in read.captured_queries if 'FROM "news_category"' in q["sql"]]
    assert "Політика" in page


def test_a_renamed_rubric_shows_on_the_next_page():
    politics = factories.category("Політика")
    story = factories.article("Новина в рубриці", category=politics)
    client = Client()
    assert "Політика" in client.get(story.get_absolute_url()).content.decode()
    politics.name = "Внутрішня політика"
    politics.save()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Внутрішня політика" in page


def test_the_menu_marks_the_top_rubric_of_a_sub_rubrics_story():
    world = factories.category("Світ")
    europe = Category.objects.create(name="Європа", slug="yevropa", parent=world)
    story = factories.article("Новина з Європи", category=europe)
    tree = rubrics.Rubrics(Category.objects.all())
    assert tree.top_of(europe.pk) == world.pk == tree.top_of(world.pk)
    assert tree.top_of(None) is None
    assert tree.sections() == {world.pk: {world.pk, europe.pk}}
    Client().get(story.get_absolute_url())  # the page renders with the kept tree
