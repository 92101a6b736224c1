"""A bulk import re-indexes a live story with its entries: the batch asks once which of its
articles are live stories, and those keep their entries' words in search."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shpalta.importers.wxr import import_wxr
from shpalta.live import service as live
from shpalta.news.models import Article
from shpalta.search.service import search

from .test_wxr_bulk import export, post


def found(query: str) -> list[int]:
    return [hit.article.pk for hit in search(query).results]


@pytest.mark.django_db(transaction=True)
def test_an_updated_live_story_keeps_its_entries_words_in_search(tmp_path: Path):
    import_wxr([export(tmp_path, [post(n) for n in range(1, 4)])])
    story = Article.objects.get(import_id="2")
    live.start(story.pk)
    live.post(story.pk, "<p>Уламки дрона впали у Вишгороді</p>")
    assert story.pk in found("Вишгород")
    # the story edited in WordPress and imported again: all three posts go through a batch
    edited = post(2, body="<p>Оновлений текст новини про енергетиків.</p>")
    report = import_wxr([export(tmp_path, [post(1), edited, post(3)])])
    assert report.summary() == "imported 0, updated 1, skipped 2, failed 0"
    assert story.pk in found("Вишгород")  # the entry's word, still in its document
    assert story.pk in found("енергетиків")  # and the new text


@pytest.mark.django_db(transaction=True)
def test_a_batch_asks_for_live_stories_once_not_once_an_article(tmp_path: Path):
    with CaptureQueriesContext(connection) as queries:
        import_wxr([export(tmp_path, [post(n) for n in range(1, 13)])])
    coverage = [q["sql"] for q in queries if "live_livecoverage" in q["sql"]]
    assert len(coverage) == 1, coverage
