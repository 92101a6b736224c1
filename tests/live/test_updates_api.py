"""`GET /api/live/{id}?after=N`: the update feed the page polls, its shape and validators."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from shpalta.api.errors import NOT_FOUND
from shpalta.live import service
from shpalta.live.models import LiveEntry
from shpalta.news import factories


def feed(client, article, after=None, **headers):
    path = f"/api/live/{article.pk}" + (f"?after={after}" if after is not None else "")
    return client.get(path, **headers)


def test_the_feed_lists_newer_entries_newest_first_in_the_promised_shape(client, story):
    old = service.post(story.pk, "<p>Перше</p>")
    middle = service.post(story.pk, "<p>Друге</p>", important=True)
    new = service.post(story.pk, "<p>Третє</p>")
    for entry, minute in ((old, 0), (middle, 1), (new, 5)):
        at = datetime(2026, 12, 2, 12, minute, tzinfo=ZoneInfo("UTC"))
        LiveEntry.objects.filter(pk=entry.pk).update(created_at=at)
    body = feed(client, story, after=old.pk).json()
    assert set(body) == {"state", "items", "count"}
    assert body["state"] == "live" and body["count"] == 2
    assert [item["id"] for item in body["items"]] == [new.pk, middle.pk]
    assert body["items"][0] == {
        "id": new.pk,
        "time": "14:05",  # 12:05 UTC is 14:05 in Kyiv in winter
        "text": "<p>Третє</p>",
        "important": False,
        "url": f"{story.get_absolute_url()}#onovlennia-{new.pk}",
    }
    assert body["items"][1]["important"] is True
    assert feed(client, story).json()["count"] == 3


def test_an_ended_story_says_so_and_unknown_or_draft_stories_are_404(client, story):
    service.end(story.pk)
    assert feed(client, story).json() == {"state": "ended", "items": [], "count": 0}
    draft = factories.article("Чернетка", status="draft")
    plain = factories.article("Звичайна стаття")
    for article in (draft, plain):
        answer = feed(client, article)
        assert answer.status_code == 404 and answer.json() == {"detail": NOT_FOUND}
    assert client.get(f"/api/live/{story.pk}?after=-1").status_code == 422


@pytest.mark.django_db(transaction=True)
def test_polling_readers_are_answered_from_the_page_cache_with_an_etag(client, settings):
    settings.SHPALTA_PAGE_CACHE = True
    article = factories.article("Наживо")
    service.start(article.pk)
    entry = service.post(article.pk, "Перше")
    statuses = [feed(client, article, after=entry.pk).get("X-Page-Cache") for _ in range(3)]
    assert statuses == [None, "miss", "hit"]  # the first answer notes the story's scope
    first = feed(client, article, after=entry.pk)
    assert first["X-Page-Cache"] == "hit" and first["ETag"]
    assert (
        feed(client, article, after=entry.pk, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )
    newer = service.post(article.pk, "Друге")
    fresh = feed(client, article, after=entry.pk, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and [i["id"] for i in fresh.json()["items"]] == [newer.pk]


def test_times_are_kyiv_times(story):
    entry = service.post(story.pk, "Літо")
    LiveEntry.objects.filter(pk=entry.pk).update(
        created_at=datetime(2026, 7, 1, 21, 30, tzinfo=ZoneInfo("UTC"))
    )
    item = service.updates(story.pk)["items"][0]
    assert item["time"] == "00:30" and timezone.get_current_timezone_name() == "Europe/Kyiv"
