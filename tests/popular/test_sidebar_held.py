"""A stored story page's «Популярне» (the sidebar hole, `by "popular"`: popular.beside_story)
is held for the stories it shows and taken for every story it does not list: beside a story
that is itself among the most read, the block leaves it out and shows the next one; beside
one among the newest (no views yet), the next newest. Every page stays its whole render,
whichever page came before it in the process."""

from datetime import UTC, datetime

import pytest

from shpalta.news import factories, stored
from shpalta.popular.models import HourlyViews
from tests.news.test_stored_pages import get, stored_on, whole  # noqa: F401 - the fixture too

pytestmark = pytest.mark.django_db(transaction=True)


def sidebar(page: str) -> str:
    start = page.index('<aside class="sidebar"')
    return page[start : page.index("</aside>", start)]


def test_the_most_read_story_is_left_out_of_its_own_block_after_others_were_held(client, settings):
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    read = [factories.article(f"Читана {n}") for n in range(7)]
    for views, story in enumerate(read, start=1):
        HourlyViews.objects.create(article=story, hour=hour, views=views * 10)
    unread = [factories.article(f"Нечитана {n}") for n in range(3)]
    top = read[-1]  # the most read: first in everyone else's block
    paths = [story.get_absolute_url() for story in (*unread, top, read[-2], read[0])]
    expected = {path: whole(client, settings, path) for path in paths}
    for order in (paths, paths, paths[::-1]):  # first views, then kept pages and held holes
        for path in order:
            assert get(client, path) == expected[path], path
    assert "Читана 6<" in sidebar(expected[unread[0].get_absolute_url()])
    assert "Читана 6<" not in sidebar(expected[top.get_absolute_url()])
    assert "Читана 1<" in sidebar(expected[top.get_absolute_url()])  # the sixth most read
    held = [key for key in stored._filled.outputs if key[0] == "sidebar"]
    assert len(held) == 3  # the unread stories share one; the top two have their own


def test_beside_the_newest_story_the_next_newest_fill_the_place(client, settings):
    stories = [factories.article(f"Новина {n}") for n in range(8)]  # no views: the newest
    paths = [story.get_absolute_url() for story in (stories[0], stories[-1], stories[3])]
    expected = {path: whole(client, settings, path) for path in paths}
    for order in (paths, paths[::-1], paths):
        for path in order:
            assert get(client, path) == expected[path], path
    newest = sidebar(expected[stories[-1].get_absolute_url()])
    assert "Новина 7<" not in newest and "Новина 2<" in newest
