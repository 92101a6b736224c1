"""The live story's page: entries with times, anchors and share links, pinned ones on top, the
summary and state, and LiveBlogPosting JSON-LD, all in the HTML (JavaScript not needed)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import extruct
from bs4 import BeautifulSoup

from shpalta.live import service
from shpalta.live.models import LiveEntry
from shpalta.news import factories

UTC = ZoneInfo("UTC")


def page(client, article) -> BeautifulSoup:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def at(entry, hour, minute):
    LiveEntry.objects.filter(pk=entry.pk).update(
        created_at=datetime(2026, 12, 2, hour, minute, tzinfo=UTC)
    )


def test_entries_show_newest_first_with_kyiv_times_anchors_and_share_links(client, story):
    first = service.post(story.pk, "<p>Тривога в області</p>")
    second = service.post(story.pk, "<p>Відбій тривоги</p>")
    at(first, 12, 5)
    at(second, 12, 40)
    soup = page(client, story)
    entries = soup.select(".live-entry")
    assert [e["id"] for e in entries] == [f"onovlennia-{second.pk}", f"onovlennia-{first.pk}"]
    assert [e.select_one("time").get_text() for e in entries] == ["14:40", "14:05"]
    assert entries[1].select_one(".live-entry__time")["href"] == f"#onovlennia-{first.pk}"
    share = entries[1].select_one(".live-entry__share a")["href"]
    assert share.endswith(f"{story.get_absolute_url()}#onovlennia-{first.pk}")
    assert share.startswith("http")
    assert soup.select_one(".live__summary").get_text(" ", strip=True).endswith("Тривога триває.")
    assert "триває" in soup.select_one(".live__title").get_text()


def test_an_important_entry_is_pinned_on_top_and_flagged(client, story):
    pinned = service.post(story.pk, "Головне: евакуація", important=True)
    later = service.post(story.pk, "Пізніше оновлення")
    at(pinned, 10, 0)
    at(later, 11, 0)
    entries = page(client, story).select(".live-entry")
    assert entries[0]["id"] == f"onovlennia-{pinned.pk}"
    assert entries[0].select_one(".live-entry__flag").get_text() == "Важливо"
    assert entries[1]["id"] == f"onovlennia-{later.pk}"


def test_the_poller_knows_the_feed_and_the_newest_entry_and_stops_when_ended(client, story):
    entry = service.post(story.pk, "Перше")
    block = page(client, story).select_one("[data-live-endpoint]")
    assert block["data-live-endpoint"] == f"/api/live/{story.pk}"
    assert block["data-live-after"] == str(entry.pk)
    assert block["data-live-state"] == "live"
    service.end(story.pk)
    soup = page(client, story)
    assert soup.select_one("[data-live-state]")["data-live-state"] == "ended"
    assert "завершено" in soup.select_one(".live__title").get_text()


def test_the_page_carries_live_blog_posting_json_ld(client, story):
    entries = [service.post(story.pk, f"<p>Оновлення {n}</p>") for n in range(3)]
    service.end(story.pk)
    html = client.get(story.get_absolute_url()).content.decode()
    data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])
    (posting,) = [d for d in data["json-ld"] if d.get("@type") == "LiveBlogPosting"]
    coverage = story.live_coverage
    coverage.refresh_from_db()
    assert posting["headline"] == story.title
    assert posting["coverageStartTime"] == coverage.started_at.isoformat()
    assert posting["coverageEndTime"] == coverage.ended_at.isoformat()
    updates = posting["liveBlogUpdate"]
    assert [u["articleBody"] for u in updates] == ["Оновлення 2", "Оновлення 1", "Оновлення 0"]
    assert updates[0]["url"].endswith(f"#onovlennia-{entries[2].pk}")
    assert all(u["@type"] == "BlogPosting" and u["datePublished"] for u in updates)


def test_an_ordinary_article_has_no_live_block(client, db):
    article = factories.article("Звичайна новина")
    soup = page(client, article)
    assert soup.select_one(".live") is None
    assert "LiveBlogPosting" not in str(soup)
