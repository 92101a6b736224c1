"""Edit locks: the first editor holds a story while their form beats; the second sees who and
since when and may take it over; the lock lapses when the beats stop."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from shpalta.news import factories
from shpalta.newsroom import locks
from shpalta.newsroom.models import EditLock
from shpalta.newsroom.roles import CHIEF, EDITOR

from .conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return factories.article("Про мости")


def change_page(client, story) -> str:
    return client.get(f"/admin/news/article/{story.pk}/change/").content.decode()


def age(seconds: int) -> None:
    """Make the lock look as if its last heartbeat came `seconds` ago."""
    EditLock.objects.update(heartbeat=timezone.now() - timedelta(seconds=seconds))


def test_the_first_editor_holds_the_story_and_the_second_sees_who_since_when(people, story):
    first, second = logged_in(people[EDITOR]), logged_in(people[CHIEF])
    page = change_page(first, story)
    assert 'data-holder="self"' in page and "Зараз редагує" not in page
    EditLock.objects.update(since=datetime(2026, 12, 2, 12, 5, tzinfo=UTC))  # 14:05 in Kyiv
    page = change_page(second, story)
    assert "Зараз редагує Редактор (з 14:05)" in page
    assert "Перехопити редагування" in page
    assert 'name="_save"' not in page  # no save buttons while someone else edits
    assert EditLock.objects.get().holder == people[EDITOR]


def test_a_take_over_moves_the_lock_and_the_first_editor_hears_of_it(people, story):
    first, second = logged_in(people[EDITOR]), logged_in(people[CHIEF])
    change_page(first, story)
    response = second.post(f"/admin/news/article/{story.pk}/lock/take/")
    assert response.status_code == 302
    assert 'data-holder="self"' in change_page(second, story)
    beat = first.post(f"/admin/news/article/{story.pk}/lock/beat/").json()
    assert beat["held"] is False and beat["holder"] == "Випусковий редактор"
    assert re.fullmatch(r"\d{2}:\d{2}", beat["since"])


def test_the_lock_lapses_when_the_heartbeat_stops(people, story):
    change_page(logged_in(people[EDITOR]), story)
    age(locks.LAPSE_SECONDS + 1)
    assert "Зараз редагує" not in change_page(logged_in(people[CHIEF]), story)
    assert EditLock.objects.get().holder == people[CHIEF]


def test_a_heartbeat_keeps_the_lock_alive(people, story):
    first = logged_in(people[EDITOR])
    change_page(first, story)
    age(locks.LAPSE_SECONDS - 5)
    assert first.post(f"/admin/news/article/{story.pk}/lock/beat/").json() == {"held": True}
    assert EditLock.objects.get().heartbeat > timezone.now() - timedelta(seconds=5)
    age(locks.LAPSE_SECONDS - 5)  # a beat missed since, one more would still be in time
    assert "Зараз редагує Редактор" in change_page(logged_in(people[CHIEF]), story)


def test_leaving_the_page_releases_the_lock(people, story):
    first = logged_in(people[EDITOR])
    change_page(first, story)
    first.post(f"/admin/news/article/{story.pk}/lock/release/")
    assert "Зараз редагує" not in change_page(logged_in(people[CHIEF]), story)


def test_the_lock_endpoints_answer_only_posts_from_who_may_edit(people, story):
    first = logged_in(people[EDITOR])
    assert first.get(f"/admin/news/article/{story.pk}/lock/beat/").status_code == 404
    assert first.post(f"/admin/news/article/{story.pk}/lock/other/").status_code == 404
    outsider = logged_in(people["other author"])
    assert outsider.post(f"/admin/news/article/{story.pk}/lock/take/").status_code in {403, 404}
    assert not EditLock.objects.exists()
