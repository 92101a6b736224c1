"""Publishing and editing through the real admin form, with real commits: no manual step."""

import pytest

from shpalta.news.models import Article
from tests.conftest import article_form

from .conftest import listed
from .stories import BRIDGE, FOOTBALL

pytestmark = pytest.mark.django_db(transaction=True)


def form(story, **overrides):
    title, body = story
    return article_form(title, f"<p>{body}</p>", **overrides)


def test_publishing_in_the_admin_updates_its_list_and_its_neighbours(staff_client):
    for story in (BRIDGE[0], FOOTBALL[0]):
        assert staff_client.post("/admin/news/article/add/", form(story)).status_code == 302
    old_bridge = Article.objects.get(title=BRIDGE[0][0])
    old_football = Article.objects.get(title=FOOTBALL[0][0])
    assert listed(old_bridge) == []

    response = staff_client.post("/admin/news/article/add/", form(BRIDGE[1]))
    assert response.status_code == 302
    new = Article.objects.get(title=BRIDGE[1][0])
    assert listed(new) == [old_bridge.pk]
    assert listed(old_bridge) == [new.pk]  # the neighbour's list changed by itself
    assert listed(old_football) == []


def test_editing_in_the_admin_moves_the_article_to_its_new_topic(staff_client):
    for story in (BRIDGE[0], BRIDGE[1], FOOTBALL[0]):
        staff_client.post("/admin/news/article/add/", form(story))
    moved = Article.objects.get(title=BRIDGE[1][0])
    bridge = Article.objects.get(title=BRIDGE[0][0])
    football = Article.objects.get(title=FOOTBALL[0][0])
    assert listed(bridge) == [moved.pk]

    response = staff_client.post(
        f"/admin/news/article/{moved.pk}/change/", form(FOOTBALL[1], slug=moved.slug)
    )
    assert response.status_code == 302
    assert listed(moved) == [football.pk]
    assert listed(football) == [moved.pk]
    assert listed(bridge) == []


def test_unpublishing_in_the_admin_removes_it_from_neighbours(staff_client):
    for story in BRIDGE[:2]:
        staff_client.post("/admin/news/article/add/", form(story))
    first = Article.objects.get(title=BRIDGE[0][0])
    second = Article.objects.get(title=BRIDGE[1][0])
    assert listed(first) == [second.pk]
    response = staff_client.post(
        f"/admin/news/article/{second.pk}/change/",
        form(BRIDGE[1], status="draft", slug=second.slug),
    )
    assert response.status_code == 302
    assert listed(first) == []
