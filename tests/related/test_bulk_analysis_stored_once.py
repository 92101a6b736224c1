"""A bulk import's batch is analysed for the related lists a few articles at a time (while
search's tokens of the same texts are fresh) but stored once: its terms are looked up, and the
new ones created, in one go for the whole batch, not once per few articles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shpalta.changes import receivers
from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.related import streamed
from shpalta.related.conf import params
from shpalta.related.features import Source, extract
from shpalta.related.models import ArticleVector, Term
from shpalta.related.vectors import unpack_counts

from .stories import BRIDGE, FOOTBALL


@pytest.mark.django_db(transaction=True)
def test_a_batch_looks_its_terms_up_once_and_stores_what_the_rebuild_would(monkeypatch):
    monkeypatch.setattr(receivers, "ANALYSE_TOGETHER", 4)
    stories = (BRIDGE + FOOTBALL) * 4
    articles = [
        factories.article(f"{t} ({i})", body=f"<p>{b}</p>") for i, (t, b) in enumerate(stories)
    ]
    assert len(articles) == 5 * receivers.ANALYSE_TOGETHER  # analysed in five parts
    ArticleVector.objects.all().delete()
    table = Term._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        receivers.articles_saved_in_bulk(Article, articles=articles, was_released=set())
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and table in q["sql"]]
    assert len(reads) <= 2, reads  # the known terms, then the ones just created
    config, terms = params(), dict(Term.objects.values_list("id", "text"))
    for article in articles:
        vector = ArticleVector.objects.get(article=article)
        expected = extract(Source.of(article), config)
        assert vector.fingerprint == expected.fingerprint
        ids, counts = unpack_counts(vector.counts)
        assert dict(zip((terms[i] for i in ids.tolist()), counts.tolist(), strict=True)) == (
            pytest.approx(expected.counts)
        )


@pytest.mark.django_db
def test_nothing_released_stores_nothing():
    draft = factories.article("Чернетка", body="<p>Текст</p>", status=Article.Status.DRAFT)
    assert streamed.analyse_saved([draft], params()) == []
    assert streamed.store_analysed([]) == 0
