"""A live story's RSS/Atom item carries its newest entries; other items are as they were."""

from datetime import datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shpalta.live import service
from shpalta.live.models import LiveEntry
from shpalta.news import factories


def items(client, path="/feed/") -> dict[str, dict]:
    parsed = feedparser.parse(client.get(path).content)
    return {entry.title: entry for entry in parsed.entries}


@pytest.mark.django_db
def test_the_live_storys_item_has_its_newest_entries_and_their_time(client, story):
    ordinary = factories.article("Звичайна новина", body="<p>Текст новини.</p>")
    first = service.post(story.pk, "<p>Тривога в області</p>")
    last = service.post(story.pk, "<p>Відбій тривоги</p>", important=True)
    LiveEntry.objects.filter(pk=first.pk).update(
        created_at=datetime(2026, 12, 2, 12, 5, tzinfo=ZoneInfo("UTC"))
    )
    LiveEntry.objects.filter(pk=last.pk).update(
        created_at=datetime(2026, 12, 2, 12, 40, tzinfo=ZoneInfo("UTC"))
    )
    for path in ("/feed/", "/feed/atom/"):
        found = items(client, path)
        content = found[story.title].content[0].value
        assert content.index("Відбій тривоги") < content.index("Тривога в області")
        assert "<strong>14:40</strong>" in content and "Важливо" in content
        assert f"#onovlennia-{first.pk}" in content
        assert "Онлайн-трансляція" not in found[ordinary.title].content[0].value
    updated = items(client, "/feed/atom/")[story.title].updated_parsed
    assert updated[:5] >= (2026, 12, 2, 12, 40)


def feed_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/feed/").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_feeds_queries_do_not_grow_with_its_live_stories(client):
    stories = [factories.article(f"Онлайн {n}") for n in range(4)]
    feed_queries(client)  # the first answer also reads what is then cached (site settings)
    without_live = feed_queries(client)
    for article in stories:
        service.start(article.pk)
        for k in range(3):
            service.post(article.pk, f"Оновлення {k}")
    assert feed_queries(client) == without_live  # their entries come in the one query made anyway
