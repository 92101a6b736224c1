"""The rules of a live story, the same for the editors' form, the command and scripts."""

from datetime import timedelta

import pytest

from shpalta.live import service
from shpalta.live.models import LiveCoverage, LiveEntry
from shpalta.news import factories


def test_an_entry_is_sanitised_like_an_article_body(story):
    entry = service.post(
        story.pk,
        '<p onclick="x()">Вибухи<script>alert(1)</script> у <a href="javascript:x">місті</a></p>',
    )
    assert "script" not in entry.text and "onclick" not in entry.text
    assert "javascript" not in entry.text
    assert entry.text_plain == "Вибухи у місті"


def test_an_empty_entry_or_a_link_that_is_not_http_is_refused(story):
    with pytest.raises(service.LiveError, match="порожнє"):
        service.post(story.pk, "<script>alert(1)</script>  ")
    with pytest.raises(service.LiveError, match="http"):
        service.post(story.pk, "Текст", link="javascript:alert(1)")
    assert not LiveEntry.objects.exists()


def test_a_draft_cannot_go_live_and_an_unknown_story_is_named(db):
    draft = factories.article("Чернетка", status="draft")
    with pytest.raises(service.LiveError, match="чернетка"):
        service.start(draft.pk)
    with pytest.raises(service.LiveError, match="немає"):
        service.start(draft.pk + 1000)
    with pytest.raises(service.LiveError, match="не є онлайн-трансляцією"):
        service.post(draft.pk, "Текст")


def test_an_ended_story_takes_no_entries_until_it_is_started_again(story):
    coverage = service.end(story.pk)
    assert coverage.state == LiveCoverage.State.ENDED and coverage.ended_at
    with pytest.raises(service.LiveError, match="завершено"):
        service.post(story.pk, "Запізніле оновлення")
    resumed = service.start(story.pk)
    assert resumed.state == LiveCoverage.State.LIVE and resumed.ended_at is None
    assert service.post(story.pk, "Знову наживо").pk


def test_pinned_entries_come_first_then_the_rest_newest_first(story):
    coverage = story.live_coverage
    first = service.post(story.pk, "Перше")
    pinned = service.post(story.pk, "Головне", important=True)
    last = service.post(story.pk, "Останнє")
    LiveEntry.objects.filter(pk=first.pk).update(created_at=first.created_at - timedelta(minutes=5))
    assert [e.pk for e in service.entries(coverage)] == [pinned.pk, last.pk, first.pk]
