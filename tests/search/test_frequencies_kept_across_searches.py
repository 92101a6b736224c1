"""A query's word counts are kept by the search service for ten minutes (service.frequencies):
on SQLite the walks' order (rarest word first) takes them from there, so a repeated two-word
search counts nothing again, and finds what the first one found."""

from datetime import timedelta

import pytest
from django.db import connection

from shpalta.news import factories
from shpalta.search import service
from shpalta.search.backends import sqlite as fts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only"),
]


def counting_statements(run) -> tuple[object, int]:
    """What `run()` gives, and how many word counts (`SELECT count(*)` over the index) it made."""
    seen: list[str] = []
    db = fts.raw()
    db.set_trace_callback(seen.append)
    try:
        result = run()
    finally:
        db.set_trace_callback(None)
    return result, sum(1 for sql in seen if sql.startswith("SELECT count(*) FROM (SELECT rowid"))


def titles(page) -> list[str]:
    return [result.article.title for result in page.results]


def test_a_repeated_two_word_search_counts_nothing_again():
    for n in range(6):
        factories.article(
            f"Бюджет і податок {n}", body="<p>Бюджет на податок.</p>", age=timedelta(hours=n)
        )
    factories.article("Бюджет міста", body="<p>Лише бюджет.</p>")
    service._FREQUENCIES.clear()
    first, counted_first = counting_statements(lambda: titles(service.search("бюджет податок")))
    again, counted_again = counting_statements(lambda: titles(service.search("бюджет податок")))
    assert counted_first == 2  # each word once
    assert counted_again == 0
    assert again == first and first
